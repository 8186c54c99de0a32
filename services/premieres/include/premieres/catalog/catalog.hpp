#pragma once
// The catalog: the spec's GET /premiere/:id and /rent/:id?period= as typed values, and the service's one catalog
// object, which puts the catalog and its search (premieres/search/) together over one answer cache and one
// catalog version.
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "chance/core/time.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/catalog/card.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/catalog/store.hpp"
#include "premieres/pricing.hpp"
#include "premieres/search/answer_cache.hpp"
#include "premieres/search/search.hpp"
#include "premieres/search/version_follower.hpp"

namespace chance::premieres {

// A premiere page: the premiere (as the answer cache keeps it) and its card now.
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

using CatalogOptions = SearchOptions;

class Catalog {
  public:
    Catalog(pg::Pool& pool, const time::Clock& clock, CatalogOptions options = {});

    // `version`: a catalog version the caller read already (a cart prices many premieres against one).
    // Throws 404 for an unknown or hidden premiere.
    PremierePage page(int64_t id, std::optional<int64_t> version = std::nullopt);
    RentQuote quote(int64_t id, int period_hours, std::optional<int64_t> version = std::nullopt);
    // The same as JSON (for the ordering module's carts).
    boost::json::object premiere(int64_t id, std::optional<int64_t> version = std::nullopt);
    boost::json::object rent_quote(int64_t id, int period_hours, std::optional<int64_t> version = std::nullopt);
    std::string poster_svg(int64_t id);

    // The search (premieres/search/search.hpp), and its answers as JSON.
    Search& searcher() { return search_; }
    boost::json::object search(const SearchRequest& r);  // {items, total, page, limit, did_you_mean}
    using Page = SearchPage;
    std::shared_ptr<const Page> search_page(const SearchRequest& r) { return search_.page(r); }
    boost::json::object suggest(const std::string& prefix);  // {items: [{id, title}]}

    // The catalog's version (catalog_version): from memory while follow_version() runs and its connection
    // is up, otherwise read from the database (which a non-blocking route may not do: WouldBlock).
    int64_t version() { return version_.version(); }
    // Runs until `st` stops: LISTENs on catalog_changed over its own connection and keeps version() current,
    // reconnecting after a failure (during which version() reads the database again), and keeps the search
    // index following it.
    void follow_version(const std::string& dsn, std::stop_token st);
    // Reads the version now (after this replica changed the catalog), so its next answer is the new one
    // without waiting for the notification, and brings the search index up to it.
    void refresh_version();
    // Search::sync_index(): at start-up (before the replica reports ready) and whenever the version changes.
    void sync_index() { search_.sync_index(); }
    const SearchIndex& search_index() const { return search_.index(); }

  private:
    std::shared_ptr<const PremiereRow> premiere_row(int64_t id, std::optional<int64_t> version);

    const time::Clock& clock_;
    VersionFollower version_;
    AnswerCache cache_;
    Search search_;
    CatalogStore store_;
};

}  // namespace chance::premieres
