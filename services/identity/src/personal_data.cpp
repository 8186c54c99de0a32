#include "identity/personal_data.hpp"

#include <boost/json.hpp>

#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/messaging/events.hpp"
#include "chance/service/runtime.hpp"
#include "identity/service.hpp"

namespace chance::identity {

namespace {
constexpr pg::Query kAccount{
    "personal_account",
    "SELECT id, email, name, phone, time_zone, role, email_verified_at IS NOT NULL AS email_verified, "
    "phone_verified_at IS NOT NULL AS phone_verified, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS updated_at, "
    "to_char(email_verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS email_verified_at, "
    "to_char(phone_verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS phone_verified_at, "
    "to_char(consented_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS consented_at, "
    "deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1"};
constexpr pg::Query kLinks{"personal_links",
                           "SELECT 'email_confirmation' AS kind, email, change, NULL AS phone, "
                           "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at, "
                           "to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS used_at "
                           "FROM email_verifications WHERE user_id = $1 "
                           "UNION ALL SELECT 'password_reset', NULL, NULL, NULL, "
                           "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                           "to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                           "FROM password_resets WHERE user_id = $1 "
                           "UNION ALL SELECT 'phone_code', NULL, NULL, phone, "
                           "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                           "to_char(used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                           "FROM phone_codes WHERE user_id = $1 ORDER BY created_at"};
// The row stays (orders and the ledger name its id); nothing in it names the person any more.
constexpr pg::Query kErase{
    "personal_erase",
    "WITH old AS (SELECT id, email FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE) "
    "UPDATE users u SET email = 'deleted-' || u.id || '@deleted.invalid', name = 'Удалённый покупатель', "
    "phone = NULL, password_hash = '', email_verified_at = NULL, phone_verified_at = NULL, "
    "updated_at = now(), deleted_at = now() "
    "FROM old WHERE u.id = old.id RETURNING old.email"};
constexpr pg::Query kEraseLinks{"personal_erase_links",
                                "WITH v AS (DELETE FROM email_verifications WHERE user_id = $1), "
                                "r AS (DELETE FROM password_resets WHERE user_id = $1), "
                                "p AS (DELETE FROM phone_codes WHERE user_id = $1) "
                                "DELETE FROM password_reset_requests WHERE address = lower($2)"};

}  // namespace

boost::json::object PersonalData::export_of(int64_t user_id) {
    auto a = pool_.exec(kAccount, pg::Params(user_id));
    if (a.empty()) throw not_found("Пользователь не найден");
    if (a.boolean(0, "deleted"))
        throw Problem(410, "Аккаунт удалён", "Этот аккаунт удалён").with_type("account-deleted");
    auto account = user_json(a);
    for (auto key : {"created_at", "updated_at", "email_verified_at", "phone_verified_at", "consented_at"})
        account[key] = json::or_null(a.opt_text(0, key));
    boost::json::array links;
    auto l = pool_.exec(kLinks, pg::Params(user_id));
    for (int i = 0; i < l.rows(); ++i) {
        boost::json::object link{{"kind", l.text(i, "kind")},
                                 {"created_at", l.text(i, "created_at")},
                                 {"used_at", json::or_null(l.opt_text(i, "used_at"))}};
        if (auto email = l.opt_text(i, "email")) {
            link["email"] = *email;
            link["change_of_address"] = l.boolean(i, "change");
        }
        if (auto phone = l.opt_text(i, "phone")) link["phone"] = *phone;
        links.push_back(std::move(link));
    }
    return {{"account", std::move(account)}, {"links", std::move(links)}};
}

boost::json::object PersonalData::erase(int64_t user_id, const std::string& body) {
    json::Reader r(body);
    auto password = r.str("password", true, 128, 1);
    r.finish();
    // Argon2id outside the transaction, as for every password check.
    require_password(pool_, user_id, *password, "password", "Пароль не подошёл");
    std::string email;
    pool_.transact([&](pg::Transaction& tx) {
        auto erased = tx.exec(kErase, pg::Params(user_id));
        if (erased.empty()) throw not_found("Пользователь не найден");
        email = erased.text(0, "email");
        tx.exec(kEraseLinks, pg::Params(user_id, email));
        messaging::enqueue(
            tx, "account.deleted",
            messaging::make_event("identity.account.deleted.v1", {{"user_id", std::to_string(user_id)}}));
    });
    log::info("account deleted", {{"user_id", std::to_string(user_id)}});
    return {{"email", email}};
}

void install_personal_data_routes(http::Router& router, PersonalData& data) {
    router.get("/internal/users/:id/data", [&data](http::Request& req) {
        service::require_service(req);
        return http::Response::json(data.export_of(parse_user_id(req.param("id"))));
    });
    router.post("/internal/users/:id/erase", [&data](http::Request& req) {
        service::require_service(req);
        return http::Response::json(data.erase(parse_user_id(req.param("id")), req.body));
    });
}

}  // namespace chance::identity
