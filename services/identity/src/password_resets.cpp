#include "identity/password_resets.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/messaging/events.hpp"
#include "identity/service.hpp"

namespace chance::identity {

namespace {
// One request at a time per address (the transaction's advisory lock), so the limit is exact under races.
constexpr pg::Query kLockAddress{"reset_lock_address", "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))"};
constexpr pg::Query kRecent{
    "reset_recent",
    "SELECT count(*) AS n, coalesce(ceil(extract(epoch FROM min(requested_at) + interval '1 hour' - now())), 0)::int "
    "AS wait FROM password_reset_requests WHERE address = $1 AND requested_at > now() - interval '1 hour'"};
constexpr pg::Query kRecord{"reset_record", "INSERT INTO password_reset_requests (address) VALUES ($1)"};
constexpr pg::Query kForgetOld{
    "reset_forget_old",
    "WITH r AS (DELETE FROM password_reset_requests WHERE requested_at < now() - interval '1 day') "
    "DELETE FROM password_resets WHERE created_at < now() - interval '1 day'"};
// The link for the address's account, if it has one: the same statement runs for a known and an unknown address
// (it inserts no row for the latter), so the two answers differ by the email's outbox row only.
constexpr pg::Query kCreate{"reset_create",
                            "INSERT INTO password_resets (token_hash, user_id, expires_at) "
                            "SELECT $1, id, now() + make_interval(mins => $3) FROM users WHERE lower(email) = $2 "
                            "RETURNING user_id"};
// The link is used: once, within its time. Then the password changes and every other open link of the account
// stops working.
constexpr pg::Query kUse{"reset_use",
                         "UPDATE password_resets SET used_at = now() "
                         "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id"};
constexpr pg::Query kVoidOthers{"reset_void_others",
                                "UPDATE password_resets SET used_at = now() WHERE user_id = $1 AND used_at IS NULL"};
constexpr pg::Query kSetPassword{"users_set_password",
                                 "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1 "
                                 "RETURNING id, email, name, phone, time_zone, role, "
                                 "email_verified_at IS NOT NULL AS email_verified, "
                                 "phone_verified_at IS NOT NULL AS phone_verified"};

Problem bad_link() {
    return unprocessable("Ссылка для смены пароля не подошла",
                         {{"token", "Ссылка недействительна или устарела: запросите новую"}})
        .with_type("password-reset-link-invalid");
}
}  // namespace

// «Пароль изменён», by email only, in the transaction that changed it.
void PasswordResets::enqueue_changed_notice(pg::Transaction& tx, int64_t user_id) const {
    messaging::enqueue(tx, "notify.password_changed",
                       messaging::make_event("identity.password.changed.v1",
                                             {{"user_id", std::to_string(user_id)},
                                              {"template", "password_changed"},
                                              {"channels", boost::json::array{"email"}},
                                              {"params", {{"login_url", config_.public_origin + "/login"}}}}));
}

std::string PasswordResets::request(const std::string& body) {
    json::Reader r(body);
    auto email = r.str("email", true, 254, 1);
    if (email)
        if (auto e = check_email(*email)) r.fail("email", *e);
    r.finish();
    auto address = text::ascii_lower(*email);
    auto token = auth::random_token(32);
    auto hash = auth::sha256_hex(token);
    int wait = 0;
    pool_.transact([&](pg::Transaction& tx) {
        wait = 0;
        tx.exec(kLockAddress, pg::Params(address));
        auto recent = tx.exec(kRecent, pg::Params(address));
        if (recent.int64(0, "n") >= config_.per_address_per_hour) {
            wait = std::max<int>(1, static_cast<int>(recent.int64(0, "wait")));
            return;
        }
        tx.exec(kRecord, pg::Params(address));
        tx.exec(kForgetOld);
        auto made = tx.exec(kCreate, pg::Params(hash, address, config_.valid_minutes));
        if (made.empty()) return;  // the same answer: nothing tells the caller whether the address is known
        auto user_id = made.int64(0, "user_id");
        messaging::enqueue(
            tx, "notify.password_reset",
            messaging::make_event(
                "identity.password_reset.requested.v1",
                {{"user_id", std::to_string(user_id)},
                 {"template", "password_reset"},
                 {"channels", boost::json::array{"email"}},  // never SMS or the in-app list: the link is a key
                 {"params",
                  {{"reset_url", config_.public_origin + "/reset-password#token=" + token},
                   {"minutes", config_.valid_minutes}}}}));
    });
    if (wait > 0)
        throw too_many_requests("Письмо для этого адреса уже отправлялось несколько раз. Попробуйте позже", wait);
    return "Если адрес зарегистрирован, мы отправили на него письмо со ссылкой для смены пароля. Ссылка действует " +
           std::to_string(config_.valid_minutes) + " минут.";
}

boost::json::object PasswordResets::confirm(const std::string& body) {
    json::Reader r(body);
    auto token = r.str("token", true, 100, 1);
    auto password = r.str("password", true, 128, 1);
    if (token && !token_shaped(*token)) r.fail("token", "Ссылка неполная: откройте её из письма ещё раз");
    if (password)
        if (auto e = check_password(*password, common_)) r.fail("password", *e);
    r.finish();
    auto hash = auth::hash_password(*password);  // Argon2id: before the transaction, which it would hold open
    boost::json::object user;
    bool used = false;
    pool_.transact([&](pg::Transaction& tx) {
        used = false;
        auto found = tx.exec(kUse, pg::Params(auth::sha256_hex(*token)));
        if (found.empty()) return;
        used = true;
        auto user_id = found.int64(0, "user_id");
        tx.exec(kVoidOthers, pg::Params(user_id));
        user = user_json(tx.exec(kSetPassword, pg::Params(user_id, hash)));
        enqueue_changed_notice(tx, user_id);
    });
    if (!used) throw bad_link();
    log::info("password reset", {{"user_id", user["id"].as_string()}});
    return user;
}

void PasswordResets::change(int64_t user_id, const std::string& body) {
    json::Reader r(body);
    auto current = r.str("current_password", true, 128, 1);
    auto next = r.str("new_password", true, 128, 1);
    if (next)
        if (auto e = check_password(*next, common_)) r.fail("new_password", *e);
    if (current && next && *current == *next) r.fail("new_password", "Новый пароль совпадает с текущим");
    r.finish();
    require_password(pool_, user_id, *current, "current_password", "Текущий пароль не подошёл");
    auto hash = auth::hash_password(*next);
    pool_.transact([&](pg::Transaction& tx) {
        tx.exec(kSetPassword, pg::Params(user_id, hash));
        tx.exec(kVoidOthers, pg::Params(user_id));  // a reset link asked for before this change no longer works
        enqueue_changed_notice(tx, user_id);
    });
    log::info("password changed", {{"user_id", user_id}});
}

void install_password_reset_routes(http::Router& router, PasswordResets& resets) {
    router.post("/internal/users/:id/password", [&resets](http::Request& req) {
        service::require_service(req);
        resets.change(parse_user_id(req.param("id")), req.body);
        return http::Response::no_content();
    });
    router.post("/internal/password-resets", [&resets](http::Request& req) {
        service::require_service(req);
        return http::Response::json(202, boost::json::object{{"detail", resets.request(req.body)}});
    });
    router.post("/internal/password-resets/confirm", [&resets](http::Request& req) {
        service::require_service(req);
        return http::Response::json(resets.confirm(req.body));
    });
}

}  // namespace chance::identity
