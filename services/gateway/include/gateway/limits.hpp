#pragma once
// Rate limits and the failed-login guard shared by every gateway replica through the gateway's database.
//
// Rate limits (WindowLimiter) decide locally, without a database round trip: a sliding window estimated from two
// fixed windows (Cloudflare's "sliding window counter"). A limit of `rate`/s with `burst` becomes windows of
// W = max(1 s, burst / rate) and an allowance A = max(burst, rate * W) per window; a request is allowed while
//     count(previous window) * (1 - elapsed fraction of the current window) + count(current window) + 1 <= A.
// Each gateway counts what it took; LimitFlusher pushes the counts taken since its last flush to the table
// rate_limit_windows in one statement (every ~200 ms) and learns the cluster's totals for those keys. A window's
// count is max(what this gateway took, the cluster's total at the last flush + what it took since). Windows are
// numbered from the Unix epoch (wall clock), so every replica agrees on them. Without the database the limits are
// simply local (each replica its own allowance) until it is back.
//
// Failed logins (SharedLoginGuard) are rare: each one is a row in login_failures, each attempt reads them.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "gateway/protection.hpp"

namespace chance::gateway {

class WindowLimiter {
  public:
    using Clock = std::chrono::system_clock;
    // name: the limit's name ("api", "register").
    WindowLimiter(std::string name, double rate, double burst);
    // Seconds to wait, or 0 when allowed (and counted).
    int take(const std::string& key, Clock::time_point now = Clock::now());

    // The limit's rows in the shared table: its name and window length ("api/5000"), so that replicas started with
    // other settings (during a rolling change) do not mix their counts.
    const std::string& name() const { return name_; }
    std::chrono::milliseconds window() const { return window_; }
    int64_t allowance() const { return allowance_; }

    struct Count {
        std::string key;
        int64_t window;  // number of the window: milliseconds since the epoch / window()
        int64_t n;
    };
    // The counts taken since the last drain (for the flusher).
    std::vector<Count> drain();
    // The cluster's totals for windows this replica pushed (the flusher's answer).
    void learn(const std::vector<Count>& totals);
    // Counts a failed flush could not push: they go with the next one.
    void restore(const std::vector<Count>& counts);

  private:
    struct Slot {
        int64_t local = 0;    // taken here
        int64_t global = 0;   // the cluster's total at the last flush (this replica's flushed takes included)
        int64_t pending = 0;  // taken here since the last drain
        int64_t count() const { return std::max(local, global + pending); }
    };
    struct Entry {
        int64_t window = 0;  // number of `current`
        Slot current, previous;
    };
    // The slot of `key` that counts window `window`, or nullptr (an unknown key, or a window no longer kept).
    Slot* slot_of(const std::string& key, int64_t window);
    std::string name_;
    std::chrono::milliseconds window_{1000};
    int64_t allowance_ = 0;
    std::mutex mu_;
    std::map<std::string, Entry> entries_;
};

// Pushes the limiters' counts and learns the totals: one statement per flush. run() flushes every `interval`.
class LimitFlusher {
  public:
    LimitFlusher(pg::Pool& pool, std::vector<std::shared_ptr<WindowLimiter>> limiters);
    // One flush (and now and then the removal of old windows); false when the database could not be reached.
    bool flush();
    // Until stop is requested; logs once when the database goes away and once when it is back.
    void run(const std::stop_token& st, std::chrono::milliseconds interval = std::chrono::milliseconds(200));

  private:
    pg::Pool& pool_;
    std::vector<std::shared_ptr<WindowLimiter>> limiters_;
    std::chrono::steady_clock::time_point last_purge_{};
    bool down_ = false;
};

// Failed logins per account and per client address, in the database: free attempts, then a growing delay
// (2^(failures - free) s, at most 256 s, after the last failure), then a lockout after `lockout_after` failures
// (`lockout` after the last one). An address counts one failure per four (several customers may share it).
// Failures older than a day are forgotten; a successful login forgets the account's. When the database cannot
// be reached the in-memory LoginGuard of this replica decides alone.
class SharedLoginGuard {
  public:
    using Clock = std::chrono::system_clock;
    SharedLoginGuard(pg::Pool& pool, LoginGuard::Policy policy = {}) : pool_(pool), policy_(policy), local_(policy) {}
    // Seconds the caller must wait before trying again (0 = may try now).
    int retry_after(const std::string& account, const std::string& address);
    void failed(const std::string& account, const std::string& address);
    void succeeded(const std::string& account);

    // The wait for `failures` failures, the last one `since_last` ago (pure; for the tests).
    static int wait_for(const LoginGuard::Policy& p, int64_t failures, double seconds_since_last);

  private:
    pg::Pool& pool_;
    LoginGuard::Policy policy_;
    LoginGuard local_;
};

}  // namespace chance::gateway
