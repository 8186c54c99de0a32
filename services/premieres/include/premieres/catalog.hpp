#pragma once
// The service's catalog: the catalog module (premieres/catalog/) and the search module (premieres/search/) put
// together over one answer cache and one catalog version. Not a module: the wiring of two, which the service,
// the orders (carts price through the cache) and the tests use as one object.
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "chance/core/time.hpp"
#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/catalog/catalog.hpp"
#include "premieres/catalog/store.hpp"
#include "premieres/http.hpp"
#include "premieres/search/answer_cache.hpp"
#include "premieres/search/search.hpp"
#include "premieres/search/version_follower.hpp"

namespace chance::premieres {

using CatalogOptions = SearchOptions;

class Catalog {
  public:
    Catalog(pg::Pool& pool, const time::Clock& clock, CatalogOptions options = {});

    Premieres& premieres() { return premieres_; }
    Search& searcher() { return search_; }

    // Premieres::page() and quote() as JSON. `version`: a catalog version the caller read already (a cart prices
    // many premieres against one). Throw 404 for an unknown or hidden premiere.
    boost::json::object premiere(int64_t id, std::optional<int64_t> version = std::nullopt);
    boost::json::object rent_quote(int64_t id, int period_hours, std::optional<int64_t> version = std::nullopt);
    std::string poster_svg(int64_t id) { return premieres_.poster_svg(id); }

    // {items, total, page, limit, did_you_mean}
    boost::json::object search(const SearchRequest& r);
    using Page = SearchPage;
    std::shared_ptr<const Page> search_page(const SearchRequest& r) { return search_.page(r); }
    boost::json::object suggest(const std::string& prefix);  // {items: [{id, title}]}

    // The catalog's version (catalog_version): from memory while follow_version() runs and its connection
    // is up, otherwise read from the database (which a non-blocking route may not do: WouldBlock).
    int64_t version() { return version_.version(); }
    // Runs until `st` stops: LISTENs on catalog_changed over its own connection and keeps version() current,
    // reconnecting after a failure (during which version() reads the database again), and keeps the search
    // index following it.
    void follow_version(const std::string& dsn, const std::stop_token& st);
    // Reads the version now (after this replica changed the catalog), so its next answer is the new one
    // without waiting for the notification, and brings the search index up to it.
    void refresh_version();
    // Search::sync_index(): at start-up (before the replica reports ready) and whenever the version changes.
    void sync_index() { search_.sync_index(); }
    const SearchIndex& search_index() const { return search_.index(); }

  private:
    const time::Clock& clock_;
    VersionFollower version_;
    AnswerCache cache_;
    CatalogStore store_;
    Premieres premieres_;
    Search search_;
};

// The routes of both modules: search, suggest, premiere pages, posters and quotes.
void install_catalog(http::Router& router, Catalog& catalog);

}  // namespace chance::premieres
