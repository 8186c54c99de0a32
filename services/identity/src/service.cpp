#include "identity/service.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/messaging/nats.hpp"
#include "identity/email_verifications.hpp"
#include "identity/password_resets.hpp"
#include "identity/personal_data.hpp"
#include "identity/phone_verifications.hpp"

#ifndef CHANCE_IDENTITY_DIR
#error "CHANCE_IDENTITY_DIR must be defined"
#endif

namespace chance::identity {

namespace {
constexpr pg::Query kInsert{"users_insert",
                            "INSERT INTO users (email, password_hash, name, phone, time_zone, role, consented_at) "
                            "VALUES ($1, $2, $3, $4, $5, $6, now()) "
                            "RETURNING id, email, name, phone, time_zone, role, "
                            "email_verified_at IS NOT NULL AS email_verified, "
                            "phone_verified_at IS NOT NULL AS phone_verified"};
constexpr pg::Query kInsertConfirmed{
    "users_insert_confirmed",
    "INSERT INTO users (email, password_hash, name, phone, time_zone, role, email_verified_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, now())"};
constexpr pg::Query kByEmail{"users_by_email",
                             "SELECT id, email, name, phone, time_zone, role, "
                             "email_verified_at IS NOT NULL AS email_verified, phone_verified_at IS NOT NULL AS "
                             "phone_verified, password_hash FROM users "
                             "WHERE lower(email) = lower($1)"};
constexpr pg::Query kById{"users_by_id",
                          "SELECT id, email, name, phone, time_zone, role, "
                          "email_verified_at IS NOT NULL AS email_verified, phone_verified_at IS NOT NULL AS "
                          "phone_verified, deleted_at IS NOT NULL AS deleted FROM users "
                          "WHERE id = $1"};
constexpr pg::Query kHashOf{"users_password_hash",
                            "SELECT password_hash FROM users WHERE id = $1 AND deleted_at IS NULL"};
constexpr pg::Query kUpdate{
    "users_update",
    "UPDATE users SET name = coalesce($2, name), "
    "phone = CASE WHEN $3::boolean THEN $4 ELSE phone END, "
    // A new number is unconfirmed until its code comes back (ADR 0024).
    "phone_verified_at = CASE WHEN $3::boolean AND phone IS DISTINCT FROM $4 THEN NULL ELSE phone_verified_at END, "
    "time_zone = coalesce($5, time_zone), updated_at = now() WHERE id = $1 AND deleted_at IS NULL "
    "RETURNING id, email, name, phone, time_zone, role, "
    "email_verified_at IS NOT NULL AS email_verified, "
    "phone_verified_at IS NOT NULL AS phone_verified"};

constexpr pg::Query kSetRole{"users_set_role",
                             "UPDATE users SET role = $2, updated_at = now() WHERE id = $1 AND deleted_at IS NULL "
                             "RETURNING id, email, name, phone, time_zone, role, "
                             "email_verified_at IS NOT NULL AS email_verified, "
                             "phone_verified_at IS NOT NULL AS phone_verified"};

// A hash to verify against when the email is unknown, so both answers take the same time.
const std::string& dummy_hash() {
    static const std::string h = auth::hash_password("not-a-real-password-" + auth::random_token(8));
    return h;
}

}  // namespace

boost::json::object user_json(const pg::Result& r) {
    auto phone = r.opt_text(0, "phone");
    return {{"id", std::to_string(r.int64(0, "id"))},
            {"email", r.text(0, "email")},
            {"name", r.text(0, "name")},
            {"phone", json::or_null(phone)},
            {"time_zone", r.text(0, "time_zone")},
            {"role", r.text(0, "role")},
            {"email_verified", r.boolean(0, "email_verified")},
            {"phone_verified", r.boolean(0, "phone_verified")}};
}

void require_password(pg::Pool& pool, int64_t user_id, const std::string& password, const std::string& field,
                      const std::string& title) {
    auto stored = pool.exec(kHashOf, pg::Params(user_id));
    if (stored.empty()) throw not_found("Пользователь не найден");
    if (!auth::verify_password(password, stored.text(0, "password_hash")))
        throw unprocessable(title, {{field, "Неверный пароль"}}).with_type("wrong-password");
}

bool token_shaped(const std::string& t) {
    return t.size() == 43 &&
           t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

int64_t parse_user_id(const std::string& s) {
    auto id = text::positive_id(s);
    if (!id) throw not_found("Пользователь не найден");
    return *id;
}

std::optional<std::string> check_email(const std::string& email) {
    if (email.size() > 254) return "Не длиннее 254 символов";
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at != email.rfind('@') || at + 1 >= email.size())
        return "Некорректный адрес электронной почты";
    auto domain = email.substr(at + 1);
    if (domain.find('.') == std::string::npos || domain.front() == '.' || domain.back() == '.')
        return "Некорректный адрес электронной почты";
    for (unsigned char c : email)
        if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\' || c == 127)
            return "Некорректный адрес электронной почты";
    return std::nullopt;
}

std::optional<std::string> check_password(const std::string& password, const std::unordered_set<std::string>& common) {
    auto len = json::utf8_length(password);
    if (len < 12) return "Пароль должен быть не короче 12 символов";
    if (len > 128) return "Пароль должен быть не длиннее 128 символов";
    if (common.contains(text::ascii_lower(password))) return "Этот пароль слишком распространён — придумайте другой";
    return std::nullopt;
}

std::optional<std::string> check_phone(const std::string& phone) {
    if (phone.size() < 11 || phone.size() > 16 || phone[0] != '+' ||
        phone.find_first_not_of("0123456789", 1) != std::string::npos)
        return "Телефон в формате +79991234567";
    return std::nullopt;
}

std::optional<std::string> check_time_zone(const std::string& tz) {
    bool shaped =
        !tz.empty() && tz.size() <= 64 && tz.find("..") == std::string::npos && tz.front() != '/' &&
        tz.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") == std::string::npos;
    if (!shaped || !std::filesystem::is_regular_file("/usr/share/zoneinfo/" + tz)) return "Неизвестный часовой пояс";
    return std::nullopt;
}

std::unordered_set<std::string> load_common_passwords(const std::string& path) {
    std::unordered_set<std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.insert(line);
    if (out.empty()) throw std::runtime_error("common password list is missing: " + path);
    return out;
}

boost::json::object Users::create(const std::string& body, const std::string& role) {
    json::Reader r(body);
    auto email = r.str("email", true, 254, 1);
    auto password = r.str("password", true, 128, 1);
    auto name = r.str("name", true, 100, 1);
    auto phone = r.str("phone", false, 16);
    auto tz = r.str("time_zone", false, 64);
    // 152-ФЗ: an account is made only with the customer's consent to the processing of their data (its time is kept).
    auto consent = r.boolean("consent", true);
    if (consent && !*consent) r.fail("consent", "Без согласия на обработку персональных данных регистрация невозможна");
    if (email)
        if (auto e = check_email(*email)) r.fail("email", *e);
    if (password)
        if (auto e = check_password(*password, common_)) r.fail("password", *e);
    if (phone && !phone->empty())
        if (auto e = check_phone(*phone)) r.fail("phone", *e);
    if (tz && !tz->empty())
        if (auto e = check_time_zone(*tz)) r.fail("time_zone", *e);
    r.finish();
    auto hash = auth::hash_password(*password);
    try {
        boost::json::object user;
        pool_.transact([&](pg::Transaction& tx) {
            auto rows = tx.exec(kInsert, pg::Params(*email, hash, *name,
                                                    phone && !phone->empty() ? phone : std::optional<std::string>{},
                                                    tz && !tz->empty() ? *tz : std::string("Europe/Moscow"), role));
            user = user_json(rows);
            if (verifications_) verifications_->send_for_new_account(tx, rows.int64(0, "id"), rows.text(0, "email"));
        });
        return user;
    } catch (const pg::UniqueViolation&) {
        throw Problem(409, "Адрес уже занят", "Пользователь с такой почтой уже зарегистрирован",
                      {{"email", "Этот адрес уже зарегистрирован"}})
            .with_type("email-taken");
    }
}

std::optional<boost::json::object> Users::verify(const std::string& email, const std::string& password) {
    auto rows = pool_.exec(kByEmail, pg::Params(email));
    if (rows.empty()) {
        auth::verify_password(password, dummy_hash());
        return std::nullopt;
    }
    if (!auth::verify_password(password, rows.text(0, "password_hash"))) return std::nullopt;
    return user_json(rows);
}

boost::json::object Users::get(int64_t id) {
    auto rows = pool_.exec(kById, pg::Params(id));
    if (rows.empty()) throw not_found("Пользователь не найден");
    // 410: the services asking (notifications before an email) drop what they meant to do for this account.
    if (rows.boolean(0, "deleted"))
        throw Problem(410, "Аккаунт удалён", "Этот аккаунт удалён").with_type("account-deleted");
    return user_json(rows);
}

boost::json::object Users::update(int64_t id, const std::string& body) {
    json::Reader r(body);
    auto name = r.str("name", false, 100, 1);
    bool phone_given = r.object().contains("phone");
    auto phone = r.str("phone", false, 16);
    auto tz = r.str("time_zone", false, 64);
    if (phone && !phone->empty())
        if (auto e = check_phone(*phone)) r.fail("phone", *e);
    if (tz)
        if (auto e = check_time_zone(*tz)) r.fail("time_zone", *e);
    if (r.ok() && !r.object().contains("name") && !phone_given && !r.object().contains("time_zone"))
        r.fail("name", "Укажите, что изменить: name, phone или time_zone");
    r.finish();
    auto rows = pool_.exec(kUpdate, pg::Params(id, name, phone_given,
                                               phone && !phone->empty() ? phone : std::optional<std::string>{}, tz));
    if (rows.empty()) throw not_found("Пользователь не найден");
    return user_json(rows);
}

boost::json::object Users::by_email(const std::string& email) {
    auto rows = pool_.exec(kByEmail, pg::Params(email));
    if (rows.empty()) throw not_found("Покупатель не найден");
    return user_json(rows);
}

boost::json::object Users::set_role(int64_t id, const std::string& body) {
    json::Reader r(body);
    auto role = r.str("role", true, 20, 1);
    if (role && *role != "customer" && *role != "support" && *role != "admin" && *role != "theatre_staff")
        r.fail("role", "Роль: customer, support, admin или theatre_staff");
    r.finish();
    auto rows = pool_.exec(kSetRole, pg::Params(id, *role));
    if (rows.empty()) throw not_found("Пользователь не найден");
    log::info("role changed", {{"user_id", std::to_string(id)}, {"role", *role}});
    return user_json(rows);
}

void Users::ensure(const std::string& email, const std::string& password, const std::string& name,
                   const std::string& role) {
    if (!pool_.exec(kByEmail, pg::Params(email)).empty()) return;
    try {
        pool_.exec(kInsertConfirmed,
                   pg::Params(email, auth::hash_password(password), name, nullptr, std::string("Europe/Moscow"), role));
        log::info("account created", {{"email", email}, {"role", role}});
    } catch (const pg::UniqueViolation&) {
    }
}

void install_routes(http::Router& router, Users& users) {
    router.post("/internal/users", [&users](http::Request& req) {
        service::require_service(req);
        return http::Response::json(201, users.create(req.body));
    });
    router.post("/internal/credentials", [&users](http::Request& req) {
        service::require_service(req);
        json::Reader r(req.body);
        auto email = r.str("email", true, 254, 1);
        auto password = r.str("password", true, 128, 1);
        r.finish();
        auto user = users.verify(*email, *password);
        if (!user) throw unauthorized("Неверная почта или пароль");
        return http::Response::json(*user);
    });
    router.get("/internal/users/:id", [&users](http::Request& req) {
        service::require_service(req);
        return http::Response::json(users.get(parse_user_id(req.param("id"))));
    });
    router.get("/internal/users", [&users](http::Request& req) {
        service::require_service(req);
        auto email = req.query_param("email");
        if (!email || email->empty() || email->size() > 254)
            throw bad_request("Укажите адрес почты", {{"email", "Адрес почты покупателя"}});
        return http::Response::json(users.by_email(std::string(*email)));
    });
    router.patch("/internal/users/:id/role", [&users](http::Request& req) {
        service::require_service(req);
        return http::Response::json(users.set_role(parse_user_id(req.param("id")), req.body));
    });
    router.patch("/internal/users/:id", [&users](http::Request& req) {
        service::require_service(req);
        return http::Response::json(users.update(parse_user_id(req.param("id")), req.body));
    });
}

service::ServiceSpec spec() {
    return {.name = "identity",
            .default_port = 8081,
            .settings = {{"seed", "", "demo = create the demo customer and admin"},
                         {"email-verification-hours", "24", "how long an email confirmation link works"},
                         {"email-verification-per-hour", "3", "confirmation emails per account an hour"},
                         {"admin-email", "", "creates this admin at start when absent"},
                         {"admin-password", "", "password of that admin", true},
                         {"common-passwords", std::string(CHANCE_IDENTITY_DIR) + "/data/common-passwords.txt",
                          "list of refused passwords"},
                         {"public-origin", "http://localhost:8080",
                          "the origin customers use (password reset and email links)"},
                         {"password-reset-minutes", "30", "how long a password reset link works"},
                         {"password-reset-per-hour", "3", "password reset emails per address an hour"},
                         {"phone-code-minutes", "10", "how long a phone confirmation code works"},
                         {"phone-code-per-hour", "5", "phone confirmation codes per account an hour"},
                         {"phone-code-interval-seconds", "60", "the least time between two phone codes"}},
            .uses_nats = true};
}

void install(service::Runtime& rt) {
    auto verifications = std::make_shared<EmailVerifications>(
        rt.pool(),
        EmailVerifications::Config{rt.config().get("public-origin"), rt.config().get_int("email-verification-hours"),
                                   rt.config().get_int("email-verification-per-hour")});
    install_email_verification_routes(rt.router(), *verifications);
    rt.keep(verifications);
    auto users = std::make_shared<Users>(rt.pool(), load_common_passwords(rt.config().get("common-passwords")),
                                         verifications.get());
    install_routes(rt.router(), *users);
    rt.keep(users);
    auto resets = std::make_shared<PasswordResets>(
        rt.pool(), users->common_passwords(),
        PasswordResets::Config{rt.config().get("public-origin"), rt.config().get_int("password-reset-minutes"),
                               rt.config().get_int("password-reset-per-hour")});
    install_password_reset_routes(rt.router(), *resets);
    rt.keep(resets);
    auto phones = std::make_shared<PhoneVerifications>(
        rt.pool(), PhoneVerifications::Config{.valid_minutes = rt.config().get_int("phone-code-minutes"),
                                              .per_user_per_hour = rt.config().get_int("phone-code-per-hour"),
                                              .resend_seconds = rt.config().get_int("phone-code-interval-seconds")});
    install_phone_verification_routes(rt.router(), *phones);
    rt.keep(phones);
    auto data = std::make_shared<PersonalData>(rt.pool());
    install_personal_data_routes(rt.router(), *data);
    rt.keep(data);
    rt.on_ready([users](service::Runtime& r) {
        r.start_outbox_relays({messaging::send_notify_stream(), messaging::account_events_stream()});
        if (r.config().get("seed") == "demo") {
            users->ensure("demo@chance.local", "demo-password-2026", "Анна Демина", "customer");
            users->ensure("admin@chance.local", "admin-password-2026", "Администратор", "admin");
            users->ensure("support@chance.local", "support-password-2026", "Служба поддержки", "support");
        }
        if (r.config().has("admin-email") && r.config().has("admin-password"))
            users->ensure(r.config().get("admin-email"), r.config().get("admin-password"), "Администратор", "admin");
    });
}

}  // namespace chance::identity
