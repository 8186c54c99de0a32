#pragma once
// The catalog's domain: the spec's GET /premiere/:id and /rent/:id?period= as typed values, answered at a
// catalog version through a cache that keeps premieres until the catalog changes. The cache and the version
// are the search module's (its answer cache and version follower implement PremiereCache and CatalogVersion):
// the catalog includes no other module.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chance/core/time.hpp"
#include "premieres/catalog/card.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/catalog/store.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

// A premiere page: the premiere (as the cache keeps it) and its card now.
struct PremierePage {
    std::shared_ptr<const PremiereRow> row;
    Card card;  // of row->card
};

// The price of a rental of a premiere for a period, valid for 15 minutes.
struct RentQuote {
    int64_t premiere_id = 0;
    int period_hours = 0;
    Quote price;
    time::TimePoint expires_at;
};

// The page of `row` at `now`.
PremierePage premiere_page(std::shared_ptr<const PremiereRow> row, time::TimePoint now);
// The rental of `row` for `period_hours` at `now`; 422 naming the allowed periods when it is not one of them.
RentQuote rent_quote_of(const CardRow& row, int period_hours, time::TimePoint now);

// The card's fields, then description_full, theatre, director, genre, age_rating, duration_minutes, live_at, cast,
// capacity.
boost::json::object to_json(const PremierePage& page);
// {premiere_id, period, base, discount, discount_percent, total, currency, quote_expires_at}
boost::json::object to_json(const RentQuote& quote);

// The catalog's version (catalog_version), which every kept answer is kept under.
class CatalogVersion {
  public:
    virtual ~CatalogVersion() = default;
    virtual int64_t version() = 0;
};

// Premieres kept by id until the catalog changes.
class PremiereCache {
  public:
    virtual ~PremiereCache() = default;
    // The premiere kept for `id` at `version`, or what `read` returns (null: no visible premiere), then kept.
    virtual std::shared_ptr<const PremiereRow> premiere(int64_t id, int64_t version,
                                                        const std::function<std::optional<PremiereRow>()>& read) = 0;
};

class Premieres {
  public:
    Premieres(CatalogStore& store, PremiereCache& cache, CatalogVersion& version, const time::Clock& clock)
        : store_(store), cache_(cache), version_(version), clock_(clock) {}

    // `version`: a catalog version the caller read already (a cart prices many premieres against one).
    // Throws 404 for an unknown or hidden premiere.
    PremierePage page(int64_t id, std::optional<int64_t> version = std::nullopt);
    RentQuote quote(int64_t id, int period_hours, std::optional<int64_t> version = std::nullopt);
    // Read at once (not kept): the poster is cached by the browser for an hour.
    std::string poster_svg(int64_t id);
    // The kept row of a visible premiere at `version` (read from the database on a miss); 404 otherwise.
    std::shared_ptr<const PremiereRow> premiere(int64_t id, std::optional<int64_t> version);

  private:
    CatalogStore& store_;
    PremiereCache& cache_;
    CatalogVersion& version_;
    const time::Clock& clock_;
};

}  // namespace chance::premieres
