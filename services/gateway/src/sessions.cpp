#include "gateway/sessions.hpp"

#include "chance/auth/auth.hpp"

namespace chance::gateway {

namespace {
constexpr pg::Query kInsert{"sessions_insert",
                            "INSERT INTO sessions (id, user_id, role, time_zone, csrf_token, remember, expires_at) "
                            "VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision))"};
constexpr pg::Query kFind{"sessions_find",
                          "SELECT user_id, role, time_zone, csrf_token, remember, "
                          "last_seen_at < now() - interval '1 minute' AS stale FROM sessions "
                          "WHERE id = $1 AND expires_at > now() "
                          "AND (remember OR last_seen_at > now() - interval '30 minutes')"};
// Activity is recorded at most once a minute: a read on every request, a write only now and then.
constexpr pg::Query kTouch{"sessions_touch", "UPDATE sessions SET last_seen_at = now() WHERE id = $1"};
constexpr pg::Query kDelete{"sessions_delete", "DELETE FROM sessions WHERE id = $1"};
constexpr pg::Query kTz{"sessions_time_zone", "UPDATE sessions SET time_zone = $2 WHERE id = $1"};
constexpr pg::Query kPurge{"sessions_purge", "DELETE FROM sessions WHERE expires_at < now() - interval '1 day'"};
}  // namespace

NewSession Sessions::create(const std::string& user_id, const std::string& role, const std::string& time_zone,
                            bool remember) {
    NewSession out;
    out.token = auth::random_token(32);
    out.max_age = remember ? std::chrono::seconds(30 * 24 * 3600) : std::chrono::seconds(12 * 3600);
    out.session = {auth::sha256_hex(out.token), user_id, role, time_zone, auth::random_token(24), remember};
    pool_.exec(kInsert, pg::Params(out.session.id_hash, user_id, role, time_zone, out.session.csrf_token, remember,
                                   static_cast<double>(out.max_age.count())));
    pool_.exec(kPurge);
    return out;
}

std::optional<Session> Sessions::find(const std::string& token) {
    if (token.empty() || token.size() > 100) return std::nullopt;
    auto hash = auth::sha256_hex(token);
    auto r = pool_.exec(kFind, pg::Params(hash));
    if (r.empty()) return std::nullopt;
    if (r.boolean(0, "stale")) pool_.exec(kTouch, pg::Params(hash));
    return Session{hash,
                   r.text(0, "user_id"),
                   r.text(0, "role"),
                   r.text(0, "time_zone"),
                   r.text(0, "csrf_token"),
                   r.boolean(0, "remember")};
}

void Sessions::destroy(const std::string& token) { pool_.exec(kDelete, pg::Params(auth::sha256_hex(token))); }

void Sessions::update_time_zone(const std::string& id_hash, const std::string& tz) {
    pool_.exec(kTz, pg::Params(id_hash, tz));
}

}  // namespace chance::gateway
