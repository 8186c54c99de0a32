#pragma once
// Search (ADR 0002, 0011): one interface for a page of a text — the in-memory search index first, the search
// statement behind it — and for title suggestions, both answered through the answer cache at the catalog's
// version.
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <semaphore>
#include <shared_mutex>
#include <string>
#include <vector>

#include "chance/core/time.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/catalog/card.hpp"
#include "premieres/search/answer_cache.hpp"
#include "premieres/search/query_text.hpp"
#include "premieres/search/search_index.hpp"
#include "premieres/search/speller.hpp"
#include "premieres/search/version_follower.hpp"

namespace chance::premieres {

struct SearchRequest {
    std::string q;
    int page = 1;
    int limit = 20;
};

// The text as searched: blank means none (the featured premieres).
std::string search_text(const SearchRequest& req);
// The answer cache's key of a request, and of a ranked page of a query (premieres_tsquery's text), which the
// inflected forms and corrected typos of one word share.
std::string search_key(const SearchRequest& req);
std::string query_key(const std::string& query, int page, int limit);

struct SearchOptions {
    // How many searches and suggestions computed by PostgreSQL (cache misses the search index cannot answer)
    // run at once; the rest wait. Such a miss ranks thousands of matches; unbounded, misses take every core
    // and the answers served from memory queue behind them.
    int search_concurrency = 2;
    // Search pages, suggestions and «did you mean» from the in-memory search index (ADR 0011) once sync_index()
    // has loaded it; otherwise, and whenever the index is behind the catalog, from the statements.
    bool search_index = true;
};

// A search answer: the page's rows (as the cache keeps them) and the correction its text took.
struct SearchAnswer {
    std::shared_ptr<const SearchRows> found;
    boost::json::value did_you_mean;  // null, or the corrected text whose matches these are
    int page = 1;
    int limit = 20;
};

// {items, total, page, limit, did_you_mean}, the items being `cards` (those of answer.found, in order).
boost::json::object to_json(const SearchAnswer& answer, const std::vector<Card>& cards);
// {items: [{id, title}, …]}
boost::json::object to_json(const std::vector<Suggestion>& suggestions);

class Search {
  public:
    Search(pg::Pool& pool, const time::Clock& clock, AnswerCache& cache, VersionFollower& version,
           SearchOptions options = {});

    // The answer at catalog `version` (read by the caller).
    SearchAnswer answer(const SearchRequest& r, int64_t version);
    // The answer as the response body, kept until the catalog changes or the earliest discount on the page ends
    // (prices change then), so that a repeated search costs no JSON building.
    std::shared_ptr<const SearchPage> page(const SearchRequest& r);
    // Up to 8 premieres for a prefix; none for a blank one.
    std::shared_ptr<const std::vector<Suggestion>> suggest(const std::string& prefix);

    // Brings the search index to the catalog's current version: the premieres changed since the index's
    // version, or the whole catalog on the first call, after a large change or once replaced premieres
    // left too many dead postings. Throws when the database fails (the index stays as it was).
    void sync_index();
    // From the version follower's thread, after each wait: sync_index() when the index is behind `known` or
    // wants a rebuild; after a failure, the next try waits a little longer.
    void follow_index(int64_t known);
    const SearchIndex& index() const { return index_; }
    bool uses_index() const { return options_.search_index; }

  private:
    // premieres_tsquery(text)::text: composed from the words' lexemes already learnt when the index is in use,
    // else (and to learn new words) from PostgreSQL.
    std::string query_of(const std::string& text);
    // The text with each word no premiere has replaced by the closest catalog word, or nullopt when none was: the
    // speller's (in memory, once the index is loaded) when it corrects a word, else the did-you-mean statement's
    // (trigram similarity).
    std::optional<std::string> corrected(const std::string& text);
    // Up to 8 suggestions from the index; nullopt when it cannot answer (not in use, behind the catalog).
    std::optional<std::vector<Suggestion>> suggest_from_index(const std::string& prefix, int64_t version);
    // The speller's words for the premieres of a load or a catch-up (under index_mu_).
    void spell_documents(const std::vector<int64_t>& gone, const std::vector<IndexedCard>& cards,
                         const std::vector<std::string>& words);
    // The index is behind the version an answer is for: catch up now if that takes a few statements and nobody else
    // is at it (true: it tried; ask the index again); otherwise the answer comes from a statement.
    bool try_catch_up();
    // A ranked page of a query (premieres_tsquery's text): from the index when it can, else the statement.
    std::shared_ptr<const SearchRows> rows(const std::string& query, int limit, int offset, int64_t version);
    // A page of the premieres whose titles have `words` one after another (a text of stop words only): from the
    // index when it can, else the title_words statement.
    std::shared_ptr<const SearchRows> title_rows(const std::vector<std::string>& words, int limit, int offset,
                                                 int64_t version);
    // The rows of a page the index found (counted as from the index).
    static std::shared_ptr<const SearchRows> rows_of(Found found);
    // The cards and total of a page statement's rows (card columns and total).
    static std::shared_ptr<const SearchRows> rows_of(const pg::Result& result);
    // sync_index() under index_mu_; with `full_allowed` false it leaves the index as it is where that would take
    // loading the whole catalog.
    void sync_index_locked(bool full_allowed);
    // The premieres changed since the index's version applied; false, leaving the index as it is, when that takes
    // a full load (too many changes, a TRUNCATE, changes older than catalog_changes keeps).
    bool catch_up_index_locked();
    void load_index_locked();  // the whole catalog at its current version

    pg::Pool& pool_;
    const time::Clock& clock_;
    AnswerCache& cache_;
    VersionFollower& version_;
    SearchOptions options_;
    std::counting_semaphore<256> slots_;
    SearchIndex index_;
    std::mutex index_mu_;  // one load or sync at a time
    WordLexemes lexemes_;
    mutable std::shared_mutex speller_mu_;
    Speller speller_;              // under speller_mu_; the catalog's words at the index's version
    bool speller_loaded_ = false;  // under speller_mu_
    // follow_index()'s back-off (the follower's thread only).
    std::chrono::steady_clock::time_point index_retry_{};
    std::chrono::milliseconds index_delay_{500};
};

}  // namespace chance::premieres
