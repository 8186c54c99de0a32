#include "identity/email_verifications.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/messaging/events.hpp"
#include "identity/service.hpp"

namespace chance::identity {

namespace {
constexpr pg::Query kLockUser{"verify_lock_user",
                              "SELECT email, email_verified_at IS NOT NULL AS verified FROM users WHERE id = $1 "
                              "FOR UPDATE"};
constexpr pg::Query kRecent{
    "verify_recent",
    "SELECT count(*) AS n, coalesce(ceil(extract(epoch FROM min(created_at) + interval '1 hour' - now())), 0)::int "
    "AS wait FROM email_verifications WHERE user_id = $1 AND created_at > now() - interval '1 hour'"};
constexpr pg::Query kCreate{"verify_create",
                            "INSERT INTO email_verifications (token_hash, user_id, email, change, expires_at) "
                            "VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))"};
constexpr pg::Query kTaken{"verify_taken", "SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2"};
// The link is used: once, within its time.
constexpr pg::Query kUse{"verify_use",
                         "UPDATE email_verifications SET used_at = now() "
                         "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() "
                         "RETURNING user_id, email, change"};
// The account's current address confirmed, only while it is still the address the link was sent to.
constexpr pg::Query kConfirmCurrent{"verify_current",
                                    "UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), "
                                    "updated_at = now() WHERE id = $1 AND lower(email) = lower($2) RETURNING email"};
constexpr pg::Query kSetEmail{"verify_set_email",
                              "UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() "
                              "WHERE id = $1 RETURNING email"};
// After a change every other open link of the account is moot (the old address's, another new address's).
constexpr pg::Query kVoidOpen{"verify_void_open",
                              "UPDATE email_verifications SET used_at = now() WHERE user_id = $1 AND used_at IS NULL"};
constexpr pg::Query kForgetOld{"verify_forget_old",
                               "DELETE FROM email_verifications WHERE user_id = $1 AND created_at < now() - "
                               "interval '30 days'"};

Problem bad_link() {
    return unprocessable("Ссылка для подтверждения почты не подошла",
                         {{"token", "Ссылка недействительна или устарела: отправьте письмо ещё раз"}})
        .with_type("email-verification-link-invalid");
}

Problem taken() {
    return Problem(409, "Адрес уже занят", "Этот адрес почты уже используется другим аккаунтом",
                   {{"email", "Этот адрес уже зарегистрирован"}})
        .with_type("email-taken");
}

// «a***@example.ru»: enough for the owner of the old address to recognise the new one, not to read it whole.
std::string masked(const std::string& email) {
    auto at = email.find('@');
    if (at == std::string::npos || at == 0) return "***";
    return email.substr(0, 1) + "***" + email.substr(at);
}
}  // namespace

void EmailVerifications::send(pg::Transaction& tx, int64_t user_id, const std::string& email, bool change) const {
    auto token = auth::random_token(32);
    tx.exec(kForgetOld, pg::Params(user_id));
    tx.exec(kCreate, pg::Params(auth::sha256_hex(token), user_id, email, change, config_.valid_hours));
    // To this address, whatever the account's email is when the message is delivered (a change's link goes to the
    // new address); by email only: the link is a key.
    std::string tmpl = change ? "email_change_verify" : "email_verify";
    messaging::enqueue(tx, "notify." + tmpl,
                       messaging::make_event("identity.email_verification.requested.v1",
                                             {{"user_id", std::to_string(user_id)},
                                              {"template", tmpl},
                                              {"channels", boost::json::array{"email"}},
                                              {"email_to", email},
                                              {"params",
                                               {{"verify_url", config_.public_origin + "/verify-email#token=" + token},
                                                {"hours", config_.valid_hours},
                                                {"email", email}}}}));
}

void EmailVerifications::send_for_new_account(pg::Transaction& tx, int64_t user_id, const std::string& email) const {
    send(tx, user_id, email, false);
}

void EmailVerifications::take_allowance(pg::Transaction& tx, int64_t user_id) const {
    auto recent = tx.exec(kRecent, pg::Params(user_id));
    if (recent.int64(0, "n") >= config_.per_user_per_hour)
        throw too_many_requests("Письма уже отправлялись несколько раз. Попробуйте позже",
                                std::max<int>(1, static_cast<int>(recent.int64(0, "wait"))));
}

std::string EmailVerifications::resend(int64_t user_id) {
    std::string email;
    pool_.transact([&](pg::Transaction& tx) {
        auto user = tx.exec(kLockUser, pg::Params(user_id));
        if (user.empty()) throw not_found("Пользователь не найден");
        if (user.boolean(0, "verified")) throw conflict("Адрес почты уже подтверждён");
        take_allowance(tx, user_id);
        email = user.text(0, "email");
        send(tx, user_id, email, false);
    });
    return "Мы отправили письмо на " + email + ". Ссылка в нём действует " + std::to_string(config_.valid_hours) +
           " часа.";
}

std::string EmailVerifications::change(int64_t user_id, const std::string& body) {
    json::Reader r(body);
    auto email = r.str("email", true, 254, 1);
    auto password = r.str("password", true, 128, 1);
    if (email)
        if (auto e = check_email(*email)) r.fail("email", *e);
    r.finish();
    require_password(pool_, user_id, *password, "password", "Пароль не подошёл");
    pool_.transact([&](pg::Transaction& tx) {
        auto user = tx.exec(kLockUser, pg::Params(user_id));
        if (user.empty()) throw not_found("Пользователь не найден");
        if (text::ascii_lower(user.text(0, "email")) == text::ascii_lower(*email))
            throw unprocessable("Это ваш текущий адрес", {{"email", "Укажите новый адрес"}});
        if (!tx.exec(kTaken, pg::Params(*email, user_id)).empty()) throw taken();
        take_allowance(tx, user_id);
        send(tx, user_id, *email, true);
    });
    log::info("email change requested", {{"user_id", user_id}});
    return "Мы отправили письмо на " + *email + ". Адрес изменится, когда вы откроете ссылку из него (она действует " +
           std::to_string(config_.valid_hours) + " часа).";
}

boost::json::object EmailVerifications::confirm(const std::string& body) {
    json::Reader r(body);
    auto token = r.str("token", true, 100, 1);
    if (token && !token_shaped(*token)) r.fail("token", "Ссылка неполная: откройте её из письма ещё раз");
    r.finish();
    boost::json::object out;
    int64_t user_id = 0;
    bool changed = false;
    try {
        pool_.transact([&](pg::Transaction& tx) {
            auto used = tx.exec(kUse, pg::Params(auth::sha256_hex(*token)));
            if (used.empty()) throw bad_link();
            user_id = used.int64(0, "user_id");
            auto email = used.text(0, "email");
            changed = used.boolean(0, "change");
            if (!changed) {
                if (tx.exec(kConfirmCurrent, pg::Params(user_id, email)).empty()) throw bad_link();  // overtaken
                out = {{"email", email}, {"changed", false}, {"detail", "Адрес почты " + email + " подтверждён."}};
                return;
            }
            auto old = tx.exec(kLockUser, pg::Params(user_id)).text(0, "email");
            tx.exec(kSetEmail, pg::Params(user_id, email));
            tx.exec(kVoidOpen, pg::Params(user_id));
            // The old address learns of it: the account's owner, if the change was not theirs, knows where it went.
            messaging::enqueue(
                tx, "notify.email_changed",
                messaging::make_event("identity.email.changed.v1", {{"user_id", std::to_string(user_id)},
                                                                    {"template", "email_changed"},
                                                                    {"channels", boost::json::array{"email"}},
                                                                    {"email_to", old},
                                                                    {"params", {{"new_email", masked(email)}}}}));
            out = {{"email", email},
                   {"changed", true},
                   {"detail", "Адрес почты изменён на " + email + ". Входите теперь с ним."}};
        });
    } catch (const pg::UniqueViolation&) {
        throw taken();  // the new address was registered by someone else after the link was sent
    }
    log::info(changed ? "email changed" : "email verified", {{"user_id", user_id}});
    return out;
}

void install_email_verification_routes(http::Router& router, EmailVerifications& verifications) {
    router.post("/internal/users/:id/email-verification", [&verifications](http::Request& req) {
        service::require_service(req);
        return http::Response::json(
            202, boost::json::object{{"detail", verifications.resend(parse_user_id(req.param("id")))}});
    });
    router.post("/internal/users/:id/email", [&verifications](http::Request& req) {
        service::require_service(req);
        return http::Response::json(
            202, boost::json::object{{"detail", verifications.change(parse_user_id(req.param("id")), req.body)}});
    });
    router.post("/internal/email-verifications/confirm", [&verifications](http::Request& req) {
        service::require_service(req);
        return http::Response::json(verifications.confirm(req.body));
    });
}

}  // namespace chance::identity
