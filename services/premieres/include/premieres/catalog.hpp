#pragma once
// The catalog and its search: the spec's GET /search/, /premiere/:id and /rent/:id?period=.
#include <atomic>
#include <boost/json/object.hpp>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chance/core/time.hpp"
#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/search_index.hpp"

namespace chance::premieres {

struct SearchRequest {
    std::string q;
    int page = 1;
    int limit = 20;
};

struct CatalogOptions {
    // How many searches and suggestions computed by PostgreSQL (cache misses the search index cannot answer)
    // run at once; the rest wait. Such a miss ranks thousands of matches; unbounded, misses take every core
    // and the answers served from memory queue behind them.
    int search_concurrency = 2;
    // Search pages from the in-memory search index (ADR 0011) once sync_index() has loaded it; otherwise, and
    // whenever the index is behind the catalog, from the search statement.
    bool search_index = true;
};

class Catalog {
  public:
    Catalog(pg::Pool& pool, const time::Clock& clock, CatalogOptions options = {})
        : pool_(pool), clock_(clock), options_(options), search_slots_(options.search_concurrency) {}

    // {items, total, page, limit, did_you_mean}
    boost::json::object search(const SearchRequest& r);
    // A search answer as the response body, kept until the catalog changes or the earliest discount on the
    // page ends (prices change then), so that a repeated search costs no JSON building.
    struct Page {
        int64_t version = 0;
        time::TimePoint valid_until;
        std::string body;
        std::string etag;
    };
    std::shared_ptr<const Page> search_page(const SearchRequest& r);
    boost::json::object suggest(const std::string& prefix);
    // Throws 404 for an unknown or hidden premiere.
    // `version`: a catalog version the caller read already (a cart prices many premieres against one).
    boost::json::object premiere(int64_t id, std::optional<int64_t> version = std::nullopt);
    boost::json::object rent_quote(int64_t id, int period_hours, std::optional<int64_t> version = std::nullopt);
    // The catalog's version (catalog_version): from memory while follow_version() runs and its connection
    // is up, otherwise read from the database (which a non-blocking route may not do: WouldBlock).
    int64_t version();
    // Runs until `st` stops: LISTENs on catalog_changed over its own connection and keeps version() current,
    // reconnecting after a failure (during which version() reads the database again).
    void follow_version(const std::string& dsn, std::stop_token st);
    // Reads the version now (after this replica changed the catalog), so its next answer is the new one
    // without waiting for the notification, and brings the search index up to it.
    void refresh_version();
    // Brings the search index to the catalog's current version: the premieres changed since the index's
    // version, or the whole catalog on the first call, after a large change or once replaced premieres
    // left too many dead postings. Runs at start-up (before the replica reports ready) and whenever
    // follow_version() learns of a change; throws when the database fails (the index stays as it was).
    void sync_index();
    const SearchIndex& search_index() const { return index_; }
    std::string poster_svg(int64_t id);

  private:
    boost::json::object card(const CardRow& c) const;
    boost::json::object search_at(const SearchRequest& r, std::optional<int64_t> version);
    // A page of search cards and the number of matches (0 when the page is past the last match).
    struct SearchRows {
        std::vector<std::shared_ptr<const CardRow>> cards;
        int64_t total = 0;
    };
    std::shared_ptr<const SearchRows> search_rows(const std::string& query, int limit, int offset, int64_t version);
    // The cards and total of a search statement's rows (CARD_COLUMNS and total).
    static std::shared_ptr<const SearchRows> rows_of(const pg::Result& result);
    // Search, suggest and premiere-page answers by key, valid while catalog_version is unchanged. The rows are
    // kept, not the JSON: prices (discounts end at a moment) are computed from them at every answer.
    struct Cached {
        int64_t version = 0;
        std::shared_ptr<const pg::Result> rows;   // suggest, premiere pages
        std::shared_ptr<const SearchRows> found;  // search pages
        boost::json::value did_you_mean;
    };
    // The cached answer for `key` when the catalog has not changed since it was computed; otherwise
    // compute() (rows and did_you_mean) runs and its answer is kept under the version read before it.
    // Concurrent misses of one key at one version compute once; the others wait for that answer (after
    // a catalog change every entry is stale at once, and each popular query would otherwise run N times).
    Cached through_cache(const std::string& key, const std::function<Cached()>& compute,
                         std::optional<int64_t> version = std::nullopt);
    std::shared_ptr<const pg::Result> premiere_rows(int64_t id, std::optional<int64_t> version);

    void note_version(int64_t v);
    // sync_index() under index_mu_, publishing the index's gauges when it changed; with `full_allowed` false it
    // leaves the index as it is where that would take loading the whole catalog.
    void sync_index_locked(bool full_allowed);
    void load_index_locked();

    pg::Pool& pool_;
    const time::Clock& clock_;
    CatalogOptions options_;
    std::counting_semaphore<256> search_slots_;
    SearchIndex index_;
    std::mutex index_mu_;  // one load or sync at a time
    std::atomic<bool> following_{false};
    std::atomic<int64_t> known_version_{0};
    std::mutex cache_mu_;
    std::unordered_map<std::string, Cached> cache_;
    struct Flight {
        int64_t version;
        std::shared_future<Cached> answer;
    };
    std::unordered_map<std::string, Flight> flights_;                     // under cache_mu_
    std::unordered_map<std::string, std::shared_ptr<const Page>> pages_;  // under cache_mu_
};

// Validates the query string of a search request (400 with the field at fault).
SearchRequest parse_search(const http::Request& req);
// A positive id from a path segment (400 when malformed).
int64_t parse_id(const std::string& s, const char* field = "id");

void install_catalog(http::Router& router, Catalog& catalog);

// The SQL of a search page ($1 the query as kQueryOf gives it, $2 limit, $3 offset) and of suggest ($1 the
// prefix), for bench/search, which runs the same statements straight through pgbench.
std::string_view search_statement();
std::string_view suggest_statement();

// Applies the demo catalog (seed/*.sql), idempotent.
void seed_demo_catalog(pg::Pool& pool, const std::string& seed_dir);

}  // namespace chance::premieres
