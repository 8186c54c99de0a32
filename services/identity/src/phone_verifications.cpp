#include "identity/phone_verifications.hpp"

#include <boost/json.hpp>
#include <cstring>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/messaging/events.hpp"
#include "chance/service/runtime.hpp"
#include "identity/service.hpp"

namespace chance::identity {

namespace {
constexpr pg::Query kLockUser{"phone_lock_user",
                              "SELECT phone, phone_verified_at IS NOT NULL AS verified FROM users "
                              "WHERE id = $1 AND deleted_at IS NULL FOR UPDATE"};
// The codes of the last hour: how many, and how long until the hour's first and the last one let another go.
constexpr pg::Query kRecent{
    "phone_recent",
    "SELECT count(*) AS n, "
    "coalesce(ceil(extract(epoch FROM min(created_at) + interval '1 hour' - now())), 0)::int AS wait_hour, "
    "coalesce(ceil(extract(epoch FROM max(created_at) + make_interval(secs => $2) - now())), 0)::int AS wait_next "
    "FROM phone_codes WHERE user_id = $1 AND created_at > now() - interval '1 hour'"};
constexpr pg::Query kVoidOpen{"phone_void_open",
                              "UPDATE phone_codes SET used_at = now() WHERE user_id = $1 AND used_at IS NULL"};
constexpr pg::Query kForgetOld{
    "phone_forget_old", "DELETE FROM phone_codes WHERE user_id = $1 AND created_at < now() - interval '30 days'"};
constexpr pg::Query kCreate{"phone_create",
                            "INSERT INTO phone_codes (user_id, phone, code_hash, expires_at) "
                            "VALUES ($1, $2, $3, now() + make_interval(mins => $4))"};
// The account's open code for its current number (a code sent to a number it has left never confirms it).
constexpr pg::Query kOpen{"phone_open",
                          "SELECT id, code_hash FROM phone_codes WHERE user_id = $1 AND phone = $2 AND used_at IS NULL "
                          "AND expires_at > now() AND attempts < $3 ORDER BY created_at DESC LIMIT 1"};
constexpr pg::Query kWrong{"phone_wrong",
                           "UPDATE phone_codes SET attempts = attempts + 1 WHERE id = $1 RETURNING attempts"};
constexpr pg::Query kUse{"phone_use", "UPDATE phone_codes SET used_at = now() WHERE id = $1"};
constexpr pg::Query kConfirm{"phone_confirm",
                             "UPDATE users SET phone_verified_at = now(), updated_at = now() WHERE id = $1 "
                             "RETURNING id, email, name, phone, time_zone, role, "
                             "email_verified_at IS NOT NULL AS email_verified, "
                             "phone_verified_at IS NOT NULL AS phone_verified"};

bool six_digits(const std::string& s) {
    return s.size() == 6 && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string tries(int n) {
    int tens = n % 100, ones = n % 10;
    const char* word = (tens >= 11 && tens <= 14) ? "попыток"
                       : ones == 1                ? "попытка"
                       : (ones >= 2 && ones <= 4) ? "попытки"
                                                  : "попыток";
    return std::to_string(n) + " " + word;
}
}  // namespace

std::string random_code() {
    // Eight random bytes taken as a number: the bias of `% 1,000,000` over 2^64 is below 10^-13.
    auto raw = auth::base64url_decode(auth::random_token(8));
    if (!raw || raw->size() != 8) throw std::runtime_error("random bytes unavailable");
    uint64_t n = 0;
    std::memcpy(&n, raw->data(), sizeof n);
    auto digits = std::to_string(n % 1000000);
    return std::string(6 - digits.size(), '0') + digits;
}

std::string code_hash(int64_t user_id, const std::string& phone, const std::string& code) {
    return auth::sha256_hex(std::to_string(user_id) + ":" + phone + ":" + code);
}

std::string masked_phone(const std::string& phone) {
    if (phone.size() < 6) return "***";
    return phone.substr(0, phone.size() - 6) + "****" + phone.substr(phone.size() - 2);
}

std::string PhoneVerifications::send(int64_t user_id) {
    std::string phone;
    pool_.transact([&](pg::Transaction& tx) {
        auto user = tx.exec(kLockUser, pg::Params(user_id));
        if (user.empty()) throw not_found("Пользователь не найден");
        auto number = user.opt_text(0, "phone");
        if (!number)
            throw unprocessable("Сначала укажите номер телефона в профиле", {{"phone", "В профиле нет номера"}});
        if (user.boolean(0, "verified")) throw conflict("Номер телефона уже подтверждён");
        auto recent = tx.exec(kRecent, pg::Params(user_id, config_.resend_seconds));
        if (auto wait = recent.int64(0, "wait_next"); wait > 0)
            throw too_many_requests("Код уже отправлен. Новый можно запросить через " + std::to_string(wait) + " с",
                                    static_cast<int>(wait));
        if (recent.int64(0, "n") >= config_.per_user_per_hour)
            throw too_many_requests("Коды уже отправлялись несколько раз. Попробуйте позже",
                                    std::max<int>(1, static_cast<int>(recent.int64(0, "wait_hour"))));
        phone = *number;
        auto code = random_code();
        tx.exec(kVoidOpen, pg::Params(user_id));
        tx.exec(kForgetOld, pg::Params(user_id));
        tx.exec(kCreate, pg::Params(user_id, phone, code_hash(user_id, phone, code), config_.valid_minutes));
        // To this number, by SMS only, whatever the account's preferences: the code is what confirms the number.
        messaging::enqueue(tx, "notify.phone_verify",
                           messaging::make_event("identity.phone_verification.requested.v1",
                                                 {{"user_id", std::to_string(user_id)},
                                                  {"template", "phone_verify"},
                                                  {"channels", boost::json::array{"sms"}},
                                                  {"sms_to", phone},
                                                  {"params", {{"code", code}, {"minutes", config_.valid_minutes}}}}));
    });
    log::info("phone code sent", {{"user_id", std::to_string(user_id)}});
    return "Мы отправили код по SMS на " + masked_phone(phone) + ". Он действует " +
           std::to_string(config_.valid_minutes) + " минут.";
}

boost::json::object PhoneVerifications::confirm(int64_t user_id, const std::string& body) {
    json::Reader r(body);
    auto code = r.str("code", true, 6, 1);
    if (code && !six_digits(*code)) r.fail("code", "Код — шесть цифр из SMS");
    r.finish();
    enum class Outcome { confirmed, wrong, none } outcome = Outcome::none;
    int left = 0;
    boost::json::object user;
    // Under the account's row lock: two tries at once are counted one after the other.
    pool_.transact([&](pg::Transaction& tx) {
        auto row = tx.exec(kLockUser, pg::Params(user_id));
        if (row.empty()) throw not_found("Пользователь не найден");
        if (row.boolean(0, "verified")) throw conflict("Номер телефона уже подтверждён");
        auto phone = row.opt_text(0, "phone");
        if (!phone) return;
        auto open = tx.exec(kOpen, pg::Params(user_id, *phone, config_.max_attempts));
        if (open.empty()) return;
        if (!auth::constant_time_equals(code_hash(user_id, *phone, *code), open.text(0, "code_hash"))) {
            outcome = Outcome::wrong;
            left = config_.max_attempts -
                   static_cast<int>(tx.exec(kWrong, pg::Params(open.int64(0, "id"))).int64(0, "attempts"));
            return;  // the try is counted: the transaction commits
        }
        tx.exec(kUse, pg::Params(open.int64(0, "id")));
        user = user_json(tx.exec(kConfirm, pg::Params(user_id)));
        outcome = Outcome::confirmed;
    });
    if (outcome == Outcome::wrong && left > 0)
        throw unprocessable("Неверный код", {{"code", "Код не подошёл: осталось " + tries(left)}})
            .with_type("phone-code-wrong");
    if (outcome != Outcome::confirmed)
        throw unprocessable("Код больше не действует",
                            {{"code",
                              "Код устарел, уже использован или введён неверно слишком много раз: "
                              "запросите новый"}})
            .with_type("phone-code-expired");
    log::info("phone confirmed", {{"user_id", std::to_string(user_id)}});
    return user;
}

void install_phone_verification_routes(http::Router& router, PhoneVerifications& verifications) {
    router.post("/internal/users/:id/phone-verification", [&verifications](http::Request& req) {
        service::require_service(req);
        return http::Response::json(
            202, boost::json::object{{"detail", verifications.send(parse_user_id(req.param("id")))}});
    });
    router.post("/internal/users/:id/phone-verification/confirm", [&verifications](http::Request& req) {
        service::require_service(req);
        return http::Response::json(verifications.confirm(parse_user_id(req.param("id")), req.body));
    });
}

}  // namespace chance::identity
