#pragma once
// The catalog's version (catalog_version, ADR 0007), which every cached answer is kept under: followed through
// LISTEN catalog_changed, read from the database while that is down.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <stop_token>
#include <string>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/catalog.hpp"

namespace chance::premieres {

class VersionFollower : public CatalogVersion {
  public:
    explicit VersionFollower(pg::Pool& pool) : pool_(pool) {}

    // From memory while follow() runs and its connection is up, otherwise read from the database (which a
    // non-blocking route may not do: WouldBlock).
    int64_t version() override;
    // Reads the version from the database now.
    int64_t read();
    bool following() const { return following_; }
    // The catalog is at `v` at least.
    void note(int64_t v);

    // Runs until `st` stops: LISTENs on catalog_changed over its own connection and keeps version() current,
    // reconnecting after a failure (during which version() reads the database again). `tick` runs once the
    // version is read and after every wait (at most 500 ms); `unknown_change` for a notification that carries no
    // version. Every `check_every` the listening connection also reads the version itself: a notification lost
    // in a failover is then caught up, and a connection that ended on a read-only server (a demoted primary)
    // is dropped and made again, to the primary.
    void follow(const std::string& dsn, const std::stop_token& st, const std::function<void()>& tick,
                const std::function<void()>& unknown_change,
                std::chrono::milliseconds check_every = std::chrono::seconds(5));

  private:
    pg::Pool& pool_;
    std::atomic<bool> following_{false};
    std::atomic<int64_t> known_{0};
};

}  // namespace chance::premieres
