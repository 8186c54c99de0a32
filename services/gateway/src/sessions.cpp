#include "gateway/sessions.hpp"

#include <thread>

#include "chance/auth/auth.hpp"
#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"

namespace chance::gateway {

namespace {
constexpr pg::Query kInsert{"sessions_insert",
                            "INSERT INTO sessions (id, user_id, role, time_zone, csrf_token, remember, expires_at, "
                            "user_agent, client_address) VALUES ($1, $2, $3, $4, $5, $6, "
                            "now() + make_interval(secs => $7::double precision), $8, $9)"};
// The account's live sessions, newest activity first; the handle is the first 16 hex digits of the row's id (the
// token's digest), enough to name one of an account's sessions and nothing to sign in with.
constexpr pg::Query kList{"sessions_list",
                          "SELECT left(id, 16) AS handle, id = $2 AS current, user_agent, client_address, "
                          "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
                          "to_char(last_seen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS last_seen_at "
                          "FROM sessions "
                          "WHERE user_id = $1 AND expires_at > now() "
                          "AND (remember OR last_seen_at > now() - interval '30 minutes') "
                          "ORDER BY last_seen_at DESC, created_at DESC LIMIT 100"};
constexpr pg::Query kDeleteOne{"sessions_delete_one",
                               "DELETE FROM sessions WHERE user_id = $1 AND left(id, 16) = $2 RETURNING id"};
// The account's sessions but the one $2 names (none when $2 is NULL: all of them).
constexpr pg::Query kDeleteAllBut{"sessions_delete_all_but",
                                  "DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2 RETURNING id"};
// Times relative to the database's clock, so that a gateway's clock being off does not move them.
constexpr pg::Query kFind{"sessions_find",
                          "SELECT user_id, role, time_zone, csrf_token, remember, "
                          "extract(epoch FROM expires_at - now())::double precision AS expires_in, "
                          "extract(epoch FROM now() - last_seen_at)::double precision AS idle_for FROM sessions "
                          "WHERE id = $1 AND expires_at > now() "
                          "AND (remember OR last_seen_at > now() - interval '30 minutes')"};
constexpr pg::Query kTouch{"sessions_touch", "UPDATE sessions SET last_seen_at = now() WHERE id = $1"};
// Every change to a row (these, and any other UPDATE or DELETE but kTouch's) is announced by a trigger on
// 'sessions_changed' (migration 0003) when it commits: the other gateways drop their copy then.
constexpr pg::Query kDelete{"sessions_delete", "DELETE FROM sessions WHERE id = $1"};
constexpr pg::Query kTz{"sessions_time_zone", "UPDATE sessions SET time_zone = $2 WHERE id = $1"};
constexpr pg::Query kPurge{"sessions_purge", "DELETE FROM sessions WHERE expires_at < now() - interval '1 day'"};
constexpr pg::Query kWritable{"sessions_listener_check", "SELECT pg_is_in_recovery() AS standby"};

int64_t steady_ticks() { return std::chrono::steady_clock::now().time_since_epoch().count(); }

Sessions::Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Sessions::Clock::duration>(std::chrono::duration<double>(s));
}

metrics::Counter& lookups(const char* how) {
    return metrics::Registry::global().counter("gateway_session_lookups_total",
                                               "Session lookups by where they were answered", {{"from", how}});
}
}  // namespace

NewSession Sessions::create(const std::string& user_id, const std::string& role, const std::string& time_zone,
                            bool remember, const Device& device) {
    NewSession out;
    out.token = auth::random_token(32);
    out.max_age = remember ? std::chrono::seconds(30 * 24 * 3600) : std::chrono::seconds(12 * 3600);
    out.session = {
        auth::sha256_hex(out.token), user_id, role, time_zone, auth::random_token(24), remember, "user:" + user_id};
    pool_.exec(kInsert, pg::Params(out.session.id_hash, user_id, role, time_zone, out.session.csrf_token, remember,
                                   static_cast<double>(out.max_age.count()), device.user_agent.substr(0, 300),
                                   device.client_address.substr(0, 64)));
    pool_.exec(kPurge);
    return out;
}

bool Sessions::trusted() const {
    auto at = confirmed_at_.load();
    if (at == 0) return false;
    auto age = std::chrono::steady_clock::duration(steady_ticks() - at);
    return age < kFreshFor;
}

size_t Sessions::kept() const {
    std::lock_guard lock(mu_);
    return kept_.size();
}

SessionRef Sessions::find(const std::string& token) {
    if (token.empty() || token.size() > 100) return nullptr;
    auto digest = auth::sha256(token);
    auto now = Clock::now();
    if (trusted()) {
        std::unique_lock lock(mu_);
        if (auto it = kept_.find(digest); it != kept_.end()) {
            auto& k = it->second;
            bool live = now < k.expires_at && (k.session->remember || now - k.last_seen < kIdle) &&
                        now - k.loaded_at < kReloadEvery;
            if (live) {
                k.last_seen = now;
                bool touch = now - k.touched_at >= kTouchEvery;
                SessionRef s = k.session;
                lock.unlock();
                if (touch) {
                    // The table learns of the activity (another gateway's idle check reads it); once a minute.
                    pool_.exec(kTouch, pg::Params(s->id_hash));
                    std::lock_guard again(mu_);
                    if (auto still = kept_.find(digest); still != kept_.end()) still->second.touched_at = now;
                }
                static auto& hits = lookups("memory");
                hits.inc();
                return s;
            }
            // Idle here, expired or due for a reload: the table decides (another gateway may have seen activity).
            kept_.erase(it);
        }
    }
    return load(digest, now);
}

SessionRef Sessions::load(const auth::Sha256& digest, Clock::time_point now) {
    static auto& reads = lookups("database");
    reads.inc();
    // Kept only if nothing was forgotten meanwhile: a change committed after the read is notified, and its
    // notification may arrive before the row would be kept.
    bool keep = trusted();
    auto seen = changes_.load();
    auto hash = auth::hex(digest);
    auto r = pool_.exec(kFind, pg::Params(hash));
    if (r.empty()) return nullptr;
    auto idle_for = seconds(r.number(0, "idle_for"));
    bool stale = idle_for >= kTouchEvery;
    if (stale) pool_.exec(kTouch, pg::Params(hash));
    auto user_id = r.text(0, "user_id");
    auto s =
        std::make_shared<const Session>(Session{hash, user_id, r.text(0, "role"), r.text(0, "time_zone"),
                                                r.text(0, "csrf_token"), r.boolean(0, "remember"), "user:" + user_id});
    if (keep) {
        Kept k{s, now + seconds(r.number(0, "expires_in")), now, stale ? now : now - idle_for, now};
        std::lock_guard lock(mu_);
        if (changes_.load() != seen) return s;
        if (kept_.size() >= kMaxKept) kept_.clear();  // rare: a reload of what is in use costs one read each
        kept_[digest] = std::move(k);
    }
    return s;
}

void Sessions::destroy(const std::string& token) {
    auto hash = auth::sha256_hex(token);
    pool_.exec(kDelete, pg::Params(hash));
    forget(hash);
}

void Sessions::destroy_all_of(const std::string& user_id) {
    forget_each(pool_.exec(kDeleteAllBut, pg::Params(user_id, std::optional<std::string>{})));
}

std::vector<SessionInfo> Sessions::list(const std::string& user_id, const std::string& current_id_hash) {
    auto r = pool_.exec(kList, pg::Params(user_id, current_id_hash));
    std::vector<SessionInfo> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.text(i, "handle"), r.boolean(i, "current"), r.text(i, "user_agent"),
                       r.text(i, "client_address"), r.text(i, "created_at"), r.text(i, "last_seen_at")});
    return out;
}

bool Sessions::destroy_one(const std::string& user_id, const std::string& handle) {
    if (handle.size() != 16 || handle.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
    return forget_each(pool_.exec(kDeleteOne, pg::Params(user_id, handle))) > 0;
}

int Sessions::destroy_others_of(const std::string& user_id, const std::string& keep_id_hash) {
    return forget_each(pool_.exec(kDeleteAllBut, pg::Params(user_id, keep_id_hash)));
}

int Sessions::forget_each(const pg::Result& deleted) {
    for (int i = 0; i < deleted.rows(); ++i) forget(deleted.text(i, "id"));
    return deleted.rows();
}

void Sessions::update_time_zone(const std::string& id_hash, const std::string& tz) {
    pool_.exec(kTz, pg::Params(id_hash, tz));
    forget(id_hash);
}

void Sessions::forget(const std::string& payload) {
    auto digest = auth::sha256_from_hex(payload);
    std::lock_guard lock(mu_);
    ++changes_;
    if (digest) kept_.erase(*digest);
}

void Sessions::forget_all() {
    std::lock_guard lock(mu_);
    ++changes_;
    kept_.clear();
}

void Sessions::follow(const std::string& dsn, const std::stop_token& st) {
    auto& gauge = metrics::Registry::global().gauge(
        "gateway_sessions_following",
        "1 while this gateway answers known sessions from memory (it hears session changes by LISTEN)");
    while (!st.stop_requested()) {
        try {
            pg::Listener listener(dsn, "sessions_changed");
            // Whatever is kept may have changed while nobody listened.
            forget_all();
            while (!st.stop_requested()) {
                if (listener.connection().exec(kWritable).boolean(0, "standby"))
                    throw pg::Unavailable("listening on a standby (a demoted primary)");
                confirmed_at_ = steady_ticks();
                gauge.set(1);
                auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
                while (!st.stop_requested() && std::chrono::steady_clock::now() < until) {
                    auto left =
                        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
                    for (const auto& payload : listener.wait(std::max(left, std::chrono::milliseconds(1))))
                        forget(payload);
                }
            }
        } catch (const std::exception& e) {
            confirmed_at_ = 0;
            gauge.set(0);
            forget_all();
            log::warn("sessions: not following session changes; every request reads the table", {{"error", e.what()}});
            for (int i = 0; i < 10 && !st.stop_requested(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    confirmed_at_ = 0;
    gauge.set(0);
    forget_all();
}

}  // namespace chance::gateway
