#pragma once
// Search, suggest and premiere-page answers by key, valid while catalog_version is unchanged (ADR 0007). The rows
// are kept, not the JSON: prices (discounts end at a moment) are computed from them at every answer; a search
// page is kept as its response body too, until the catalog changes or the earliest discount on it ends.
#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "chance/core/time.hpp"
#include "premieres/catalog/catalog.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/search/search_index.hpp"

namespace chance::premieres {

// A page of search cards and the number of matches (0 when the page is past the last match).
struct SearchRows {
    std::vector<std::shared_ptr<const CardRow>> cards;
    int64_t total = 0;
};

// A search answer as the response body, so that a repeated search costs no JSON building.
struct SearchPage {
    int64_t version = 0;
    time::TimePoint valid_until;
    std::string body;
    std::string etag;
};

class AnswerCache : public PremiereCache {
  public:
    struct Entry {
        int64_t version = 0;
        std::shared_ptr<const SearchRows> found;  // search pages
        boost::json::value did_you_mean;          // search pages: null or the corrected text
        std::shared_ptr<const std::vector<Suggestion>> suggestions;
        std::shared_ptr<const PremiereRow> premiere;  // premiere pages; null: no visible premiere of that id
    };

    // The answer for `key` when the catalog is still at `version` (which the caller read before); otherwise
    // compute() runs and its answer is kept under `version`. Concurrent misses of one key at one version compute
    // once; the others wait for that answer (after a catalog change every entry is stale at once, and each
    // popular query would otherwise run N times). A miss calls may_block() first.
    Entry through(const std::string& key, int64_t version, const std::function<Entry()>& compute);

    // The page kept under `key` when it is of `version` and still valid at `now`; null otherwise.
    std::shared_ptr<const SearchPage> page(const std::string& key, int64_t version, time::TimePoint now);
    void keep(const std::string& key, std::shared_ptr<const SearchPage> page);

    // The catalog's premiere pages, kept under "premiere\x1f<id>".
    std::shared_ptr<const PremiereRow> premiere(int64_t id, int64_t version,
                                                const std::function<std::optional<PremiereRow>()>& read) override;

  private:
    struct Flight {
        int64_t version;
        std::shared_future<Entry> answer;
    };
    std::mutex mu_;
    std::unordered_map<std::string, Entry> entries_;                            // under mu_
    std::unordered_map<std::string, Flight> flights_;                           // under mu_
    std::unordered_map<std::string, std::shared_ptr<const SearchPage>> pages_;  // under mu_
};

}  // namespace chance::premieres
