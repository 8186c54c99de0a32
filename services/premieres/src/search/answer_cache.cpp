#include "premieres/search/answer_cache.hpp"

#include "chance/core/blocking.hpp"
#include "chance/core/metrics.hpp"

namespace chance::premieres {

namespace {
constexpr size_t kCacheEntries = 5000;  // ~10 KB of rows each: at most ~50 MB

// The cache's metrics, looked up in the registry (under its lock) once, not on every answer.
struct CacheMetrics {
    metrics::Counter& hits;
    metrics::Counter& misses;
    metrics::Counter& joined;
};

const CacheMetrics& cache_metrics() {
    auto& reg = metrics::Registry::global();
    static const CacheMetrics m{
        reg.counter("search_cache_hits_total",
                    "Catalog answers (search, suggest, premiere pages) served from the cache"),
        reg.counter("search_cache_misses_total", "Catalog answers (search, suggest, premiere pages) computed"),
        reg.counter("search_cache_joined_total", "Catalog answers that waited for the same computation in flight")};
    return m;
}

// Keeps `value` under `key` unless the map holds an answer of a newer catalog already; bounded: when full, it
// starts again and the working set refills it.
template <typename T>
int64_t version_of(const T& v) {
    if constexpr (requires { v->version; })
        return v ? v->version : 0;  // a kept page (shared_ptr)
    else
        return v.version;
}

template <typename Map, typename Value>
void keep_newest(Map& map, const std::string& key, Value value, int64_t version, size_t bound) {
    if (map.size() >= bound) map.clear();
    auto& slot = map[key];
    if (version_of(slot) <= version) slot = std::move(value);
}
}  // namespace

AnswerCache::Entry AnswerCache::through(const std::string& key, int64_t version,
                                        const std::function<Entry()>& compute) {
    std::promise<Entry> promise;
    {
        std::unique_lock lock(mu_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.version == version) {
            cache_metrics().hits.inc();
            return it->second;
        }
        may_block();  // waiting for a computation, or computing, is not for an I/O thread
        auto flight = flights_.find(key);
        if (flight != flights_.end() && flight->second.version == version) {
            auto answer = flight->second.answer;
            lock.unlock();
            cache_metrics().joined.inc();
            return answer.get();  // rethrows the computation's error, if any
        }
        if (flight == flights_.end())
            flights_.emplace(key, Flight{version, promise.get_future().share()});
        else
            flight->second = Flight{version, promise.get_future().share()};
    }
    cache_metrics().misses.inc();
    auto land = [&](auto&& publish) {
        std::lock_guard lock(mu_);
        auto flight = flights_.find(key);
        if (flight != flights_.end() && flight->second.version == version) flights_.erase(flight);
        publish();
    };
    Entry entry;
    try {
        entry = compute();
    } catch (...) {
        land([&] { promise.set_exception(std::current_exception()); });
        throw;
    }
    entry.version = version;
    land([&] {
        keep_newest(entries_, key, entry, version, kCacheEntries);
        promise.set_value(entry);
    });
    return entry;
}

std::shared_ptr<const SearchPage> AnswerCache::page(const std::string& key, int64_t version, time::TimePoint now) {
    std::lock_guard lock(mu_);
    auto it = pages_.find(key);
    if (it != pages_.end() && it->second->version == version && now < it->second->valid_until) {
        cache_metrics().hits.inc();
        return it->second;
    }
    return nullptr;
}

void AnswerCache::keep(const std::string& key, std::shared_ptr<const SearchPage> page) {
    auto version = page->version;
    std::lock_guard lock(mu_);
    keep_newest(pages_, key, std::move(page), version, kCacheEntries);
}

std::shared_ptr<const PremiereRow> AnswerCache::premiere(int64_t id, int64_t version,
                                                         const std::function<std::optional<PremiereRow>()>& read) {
    return through("premiere\x1f" + std::to_string(id), version,
                   [&] {
                       Entry e;
                       if (auto row = read()) e.premiere = std::make_shared<const PremiereRow>(std::move(*row));
                       return e;
                   })
        .premiere;
}

}  // namespace chance::premieres
