#include "premieres/search/version_follower.hpp"

#include <chrono>
#include <thread>

#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/text.hpp"

namespace chance::premieres {

namespace {
constexpr pg::Query kCatalogVersion{"catalog_version", "SELECT version FROM catalog_version"};
constexpr pg::Query kFollowCheck{"catalog_version_check",
                                 "SELECT version, pg_is_in_recovery() AS standby FROM catalog_version"};
}  // namespace

int64_t VersionFollower::version() {
    if (following_) return known_;
    return read();
}

int64_t VersionFollower::read() { return pool_.exec(kCatalogVersion).int64(0, "version"); }

void VersionFollower::note(int64_t v) {
    auto cur = known_.load();
    while (cur < v && !known_.compare_exchange_weak(cur, v)) {
    }
}

void VersionFollower::follow(const std::string& dsn, const std::stop_token& st, const std::function<void()>& tick,
                             const std::function<void()>& unknown_change, std::chrono::milliseconds check_every) {
    auto& gauge = metrics::Registry::global().gauge(
        "catalog_version_following",
        "1 while this replica follows catalog changes by LISTEN, 0 while it reads them per request");
    while (!st.stop_requested()) {
        try {
            pg::Listener listener(dsn, "catalog_changed");
            // Listening first, then reading: a change after the read is notified.
            known_ = listener.connection().exec(kCatalogVersion).int64(0, "version");
            following_ = true;
            gauge.set(1);
            tick();
            auto next_check = std::chrono::steady_clock::now() + check_every;
            while (!st.stop_requested()) {
                for (const auto& payload : listener.wait(std::chrono::milliseconds(500))) {
                    if (auto v = text::positive_id(payload))
                        note(*v);
                    else
                        unknown_change();
                }
                if (std::chrono::steady_clock::now() >= next_check) {
                    // Notifications sent while a failover moved the primary never reach this connection; a
                    // server demoted under it sends none again. Read the version here, and leave a standby.
                    auto r = listener.connection().exec(kFollowCheck);
                    if (r.boolean(0, "standby")) throw pg::Unavailable("listening on a standby (demoted primary)");
                    note(r.int64(0, "version"));
                    next_check = std::chrono::steady_clock::now() + check_every;
                }
                tick();
            }
        } catch (const std::exception& e) {
            following_ = false;
            gauge.set(0);
            log::warn("catalog version: not following changes; reading the version per request", {{"error", e.what()}});
            for (int i = 0; i < 10 && !st.stop_requested(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    following_ = false;
    gauge.set(0);
}

}  // namespace chance::premieres
