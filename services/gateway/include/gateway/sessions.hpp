#pragma once
// Server-side sessions: idle timeout 30 min, absolute 12 h, or 30 days with "remember me".
//
// The table is the truth; each gateway keeps the sessions it has seen in memory and answers a known session
// without a database round trip while it hears from the primary (docs/adr/0013). Every change to a session row
// (logout, rotation, a new time zone, an expiry, an operator's UPDATE or DELETE; not the once-a-minute record of
// activity) is announced on the `sessions_changed` channel by a trigger when it commits, and every gateway drops
// its copy when the notification arrives. While the listening connection is down, or has
// not heard from a writable server within `kFreshFor`, the memory is not used at all: every request reads the
// table, as it did before the cache existed, and the memory is emptied before it is trusted again (a
// notification may have been missed).
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <vector>

#include "chance/auth/auth.hpp"
#include "chance/pg/pg.hpp"

namespace chance::gateway {

struct Session {
    std::string id_hash;
    std::string user_id;
    std::string role;
    std::string time_zone;
    std::string csrf_token;
    bool remember = false;
    std::string account_key;  // "user:<id>": whom the per-account rate limits count
};

// A looked-up session is shared, not copied: a request that is answered from memory holds a reference to it.
using SessionRef = std::shared_ptr<const Session>;

// Where a session is opened from (shown to the customer in their list of sessions; decides nothing).
struct Device {
    std::string user_agent;
    std::string client_address;
};

// One of an account's sessions as the customer sees it.
struct SessionInfo {
    std::string handle;  // names the session within the account (the first 16 hex digits of its row's id)
    bool current = false;
    std::string user_agent, client_address, created_at, last_seen_at;
};

struct NewSession {
    std::string token;  // goes into the cookie, never stored
    Session session;
    std::chrono::seconds max_age{};
};

class Sessions {
  public:
    using Clock = std::chrono::system_clock;
    static constexpr auto kIdle = std::chrono::minutes(30);
    // Activity is written to the table at most this often per session and gateway.
    static constexpr auto kTouchEvery = std::chrono::minutes(1);
    // The memory is trusted only while the listening connection has confirmed, this recently, that it is
    // connected to a writable server (the one every change is committed on).
    static constexpr auto kFreshFor = std::chrono::milliseconds(1500);
    // A remembered session is read again at least this often even without a notification.
    static constexpr auto kReloadEvery = std::chrono::minutes(5);
    static constexpr size_t kMaxKept = 100000;

    explicit Sessions(pg::Pool& pool) : pool_(pool) {}
    NewSession create(const std::string& user_id, const std::string& role, const std::string& time_zone, bool remember,
                      const Device& device = {});
    // The live session for a cookie token (and records activity), or null.
    SessionRef find(const std::string& token);
    void destroy(const std::string& token);
    // Ends every session of the account (a new password); every gateway hears of each and drops it.
    void destroy_all_of(const std::string& user_id);
    // The account's live sessions; `current_id_hash` marks the caller's.
    std::vector<SessionInfo> list(const std::string& user_id, const std::string& current_id_hash);
    // Ends the account's session with this handle; false when the account has none (another's is never touched).
    bool destroy_one(const std::string& user_id, const std::string& handle);
    // Ends every session of the account but one (a password changed in it); how many ended.
    int destroy_others_of(const std::string& user_id, const std::string& keep_id_hash);
    void update_time_zone(const std::string& id_hash, const std::string& tz);

    // Runs until `st` stops: LISTENs on sessions_changed over its own connection and drops what it is told
    // of; checks the connection every 500 ms; reconnects after a failure.
    void follow(const std::string& dsn, const std::stop_token& st);
    // Whether find() may answer from memory now.
    bool trusted() const;
    size_t kept() const;

  private:
    struct Kept {
        SessionRef session;
        Clock::time_point expires_at;
        Clock::time_point last_seen;   // activity known here: the table's at load, then this gateway's
        Clock::time_point touched_at;  // when this gateway last wrote last_seen_at
        Clock::time_point loaded_at;
    };
    // A SHA-256 digest is uniformly distributed: its first bytes are a hash already.
    struct DigestHash {
        size_t operator()(const auth::Sha256& d) const noexcept {
            size_t h = 0;
            std::memcpy(&h, d.data(), sizeof h);
            return h;
        }
    };
    SessionRef load(const auth::Sha256& digest, Clock::time_point now);
    void forget(const std::string& payload);
    // Forgets each row a DELETE … RETURNING id gave (their notifications reach the other gateways); how many.
    int forget_each(const pg::Result& deleted);
    void forget_all();

    pg::Pool& pool_;
    mutable std::mutex mu_;
    std::unordered_map<auth::Sha256, Kept, DigestHash> kept_;  // by the digest of the token (the row's id)
    std::atomic<uint64_t> changes_{0};  // bumped by every forget: a read that raced one is not kept
    // steady_clock ticks of the last check that the listening connection is on a writable server; 0 = never.
    std::atomic<int64_t> confirmed_at_{0};
};

}  // namespace chance::gateway
