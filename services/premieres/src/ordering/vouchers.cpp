#include "premieres/ordering/vouchers.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/core/time.hpp"
#include "premieres/http.hpp"

namespace chance::premieres::ordering {

namespace {
using boost::json::object;

constexpr pg::Query kVoucher{
    "vouchers_get",
    "SELECT v.code, v.amount, rfc3339(v.valid_until) AS valid_until, rfc3339(v.redeemed_at) AS redeemed_at, "
    "v.redeem_key, v.rental_id, p.id AS premiere_id, p.title, p.theatre, voucher_status(v) AS status "
    "FROM vouchers v JOIN premieres p ON p.id = v.premiere_id WHERE v.code = $1"};
// The rental's row first (a cancel's claim takes it too), then the voucher's.
constexpr pg::Query kLock{"vouchers_lock",
                          "SELECT r.id FROM vouchers v JOIN rentals r ON r.id = v.rental_id WHERE v.code = $1 "
                          "FOR UPDATE OF r, v"};
constexpr pg::Query kRedeem{"vouchers_redeem",
                            "WITH v AS (UPDATE vouchers SET redeemed_at = now(), redeemed_by = $2, redeem_key = $3 "
                            "WHERE code = $1 RETURNING rental_id) "
                            "UPDATE rentals SET voucher_redeemed_at = now() WHERE id = (SELECT rental_id FROM v)"};
constexpr pg::Query kSetTerms{
    "vouchers_set_terms",
    "INSERT INTO premiere_vouchers (premiere_id, valid_until, updated_by) VALUES ($1, $2::timestamptz, $3) "
    "ON CONFLICT (premiere_id) DO UPDATE SET valid_until = EXCLUDED.valid_until, updated_by = EXCLUDED.updated_by, "
    "updated_at = now() RETURNING rfc3339(valid_until) AS valid_until"};
constexpr pg::Query kDropTerms{"vouchers_drop_terms", "DELETE FROM premiere_vouchers WHERE premiere_id = $1"};
constexpr pg::Query kTheatrePremieres{
    "vouchers_theatre_premieres",
    "SELECT p.id, p.title, rfc3339(v.valid_until) AS voucher_valid_until FROM premieres p "
    "LEFT JOIN premiere_vouchers v ON v.premiere_id = p.id WHERE p.theatre = $1 ORDER BY p.title, p.id LIMIT 500"};
constexpr pg::Query kTheatreExists{"vouchers_theatre_exists", "SELECT 1 FROM premieres WHERE theatre = $1 LIMIT 1"};
constexpr pg::Query kAssign{"vouchers_assign",
                            "INSERT INTO theatre_staff (user_id, theatre) VALUES ($1, $2) ON CONFLICT (user_id) "
                            "DO UPDATE SET theatre = EXCLUDED.theatre, assigned_at = now()"};
constexpr pg::Query kUnassign{"vouchers_unassign", "DELETE FROM theatre_staff WHERE user_id = $1"};

Problem unknown_voucher() { return not_found("Ваучер не найден или он другого театра").with_type("voucher-unknown"); }

object voucher_json(const pg::Result& r) {
    return {
        {"code", voucher_display(r.text(0, "code"))},
        {"premiere",
         object{{"id", r.int64(0, "premiere_id")}, {"title", r.text(0, "title")}, {"theatre", r.text(0, "theatre")}}},
        {"amount", r.int64(0, "amount")},
        {"valid_until", r.text(0, "valid_until")},
        {"status", r.text(0, "status")},
        {"redeemed_at", text_or_null(r, 0, "redeemed_at")}};
}

std::string parse_code(std::string_view typed) {
    auto code = voucher_code(typed);
    if (!code) throw bad_request("Проверьте код", {{"code", "Код ваучера — 16 знаков, например 7F3A-91C2-0B4D-E5A8"}});
    return *code;
}
}  // namespace

std::string voucher_display(const std::string& code) {
    std::string out;
    for (size_t i = 0; i < code.size(); ++i) {
        if (i > 0 && i % 4 == 0) out.push_back('-');
        out.push_back(code[i]);
    }
    return out;
}

std::optional<std::string> voucher_code(std::string_view typed) {
    if (typed.size() > 40) return std::nullopt;
    std::string out;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        auto u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!std::isxdigit(static_cast<unsigned char>(u))) return std::nullopt;
        out.push_back(u);
    }
    if (out.size() != 16) return std::nullopt;
    return out;
}

object Vouchers::lookup(const service::Caller& who, std::string_view typed) {
    auto code = parse_code(typed);
    auto theatre = theatres_.of(who);
    auto r = pool_.exec(kVoucher, pg::Params(code));
    if (r.empty() || (theatre && r.text(0, "theatre") != *theatre)) throw unknown_voucher();
    return voucher_json(r);
}

object Vouchers::redeem(const service::Caller& who, std::string_view typed, const std::string& key) {
    auto code = parse_code(typed);
    auto theatre = theatres_.of(who);
    auto staff_key = who.user_id + ":" + key;
    object out;
    pool_.transact([&](pg::Transaction& tx) {
        if (tx.exec(kLock, pg::Params(code)).empty()) throw unknown_voucher();
        auto r = tx.exec(kVoucher, pg::Params(code));
        if (theatre && r.text(0, "theatre") != *theatre) throw unknown_voucher();
        auto status = r.text(0, "status");
        if (status == "redeemed") {
            if (r.opt_text(0, "redeem_key") == staff_key) {  // the same request again: its answer again
                out = voucher_json(r);
                return;
            }
            throw Problem(409, "Ваучер уже использован", "Ваучер уже использован " + r.text(0, "redeemed_at"))
                .with_type("voucher-redeemed");
        }
        if (status == "void")
            throw Problem(409, "Ваучер недействителен",
                          "Ваучер недействителен: аренда отменена или деньги за неё вернулись")
                .with_type("voucher-void");
        if (status == "expired")
            throw Problem(410, "Срок ваучера истёк", "Ваучер действовал до " + r.text(0, "valid_until"))
                .with_type("voucher-expired");
        tx.exec(kRedeem, pg::Params(code, who.user_id, staff_key));
        out = voucher_json(tx.exec(kVoucher, pg::Params(code)));
    });
    log::info("voucher redeemed",
              {{"premiere", out.at("premiere").as_object().at("id").as_int64()}, {"staff_id", who.user_id}});
    return out;
}

object Vouchers::me(const service::Caller& who) {
    auto theatre = theatres_.of(who);
    if (!theatre) throw not_found("Администратор не привязан к театру: выберите театр").with_type("not-theatre-staff");
    return {{"theatre", *theatre}};
}

object Vouchers::premieres(const service::Caller& who, std::optional<std::string_view> named) {
    auto theatre = theatres_.of(who);
    if (!theatre) {
        if (!named || named->empty()) throw bad_request("Укажите театр", {{"theatre", "Название театра"}});
        theatre = std::string(*named);
    }
    auto r = pool_.exec(kTheatrePremieres, pg::Params(*theatre));
    boost::json::array items;
    for (int i = 0; i < r.rows(); ++i) {
        items.push_back(object{{"id", r.int64(i, "id")},
                               {"title", r.text(i, "title")},
                               {"voucher_valid_until", text_or_null(r, i, "voucher_valid_until")}});
    }
    return {{"theatre", *theatre}, {"items", std::move(items)}};
}

object Vouchers::set_terms(const service::Caller& who, int64_t premiere, std::string_view body) {
    auto theatre = theatres_.of(who);
    json::Reader r(body);
    auto until = r.str("valid_until", true, 40, 1);
    auto at = until ? time::parse_rfc3339(*until) : std::nullopt;
    if (until && !at) r.fail("valid_until", "Дата и время в формате RFC 3339");
    r.finish();
    theatres_.require_premiere(theatre, premiere);
    if (*at <= std::chrono::system_clock::now())
        throw unprocessable("Дата уже прошла", {{"valid_until", "Укажите дату в будущем"}});
    auto saved = pool_.exec(kSetTerms, pg::Params(premiere, time::format_rfc3339(*at), who.user_id));
    log::info("voucher terms set", {{"premiere", premiere}, {"staff_id", who.user_id}});
    return {{"premiere_id", premiere}, {"valid_until", saved.text(0, "valid_until")}};
}

void Vouchers::drop_terms(const service::Caller& who, int64_t premiere) {
    theatres_.require_premiere(theatres_.of(who), premiere);
    pool_.exec(kDropTerms, pg::Params(premiere));
}

object Vouchers::assign(const std::string& user_id, std::string_view body) {
    json::Reader r(body);
    auto theatre = r.str("theatre", true, 200, 1);
    r.finish();
    if (pool_.exec(kTheatreExists, pg::Params(*theatre)).empty())
        throw unprocessable("Такого театра нет в каталоге", {{"theatre", "Название театра, как в каталоге"}});
    pool_.exec(kAssign, pg::Params(user_id, *theatre));
    log::info("theatre staff assigned", {{"user_id", user_id}, {"theatre", *theatre}});
    return {{"user_id", user_id}, {"theatre", *theatre}};
}

void Vouchers::unassign(const std::string& user_id) { pool_.exec(kUnassign, pg::Params(user_id)); }

void install_voucher_routes(http::Router& router, Vouchers& vouchers) {
    router.get("/api/v1/vouchers/:code", [&vouchers](http::Request& req) {
        return no_store_json(vouchers.lookup(service::require_user(req), req.param("code")));
    });
    router.post("/api/v1/vouchers/:code/redeem", [&vouchers](http::Request& req) {
        auto who = service::require_user(req);
        auto key = req.headers.get("Idempotency-Key");
        if (!key || key->empty() || key->size() > 200)
            throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
        return no_store_json(vouchers.redeem(who, req.param("code"), *key));
    });
    router.get("/api/v1/theatre/me",
               [&vouchers](http::Request& req) { return no_store_json(vouchers.me(service::require_user(req))); });
    router.get("/api/v1/theatre/premieres", [&vouchers](http::Request& req) {
        return no_store_json(vouchers.premieres(service::require_user(req), req.query_param("theatre")));
    });
    router.put("/api/v1/theatre/premieres/:id/voucher", [&vouchers](http::Request& req) {
        return no_store_json(vouchers.set_terms(service::require_user(req), parse_id(req.param("id"), "id"), req.body));
    });
    router.del("/api/v1/theatre/premieres/:id/voucher", [&vouchers](http::Request& req) {
        vouchers.drop_terms(service::require_user(req), parse_id(req.param("id"), "id"));
        return http::Response::no_content();
    });
    router.put("/api/v1/admin/theatre-staff/:user_id", [&vouchers](http::Request& req) {
        service::require_admin(req);
        auto id = text::positive_id(req.param("user_id"));
        if (!id) throw not_found("Пользователь не найден");
        return no_store_json(vouchers.assign(std::to_string(*id), req.body));
    });
    router.del("/api/v1/admin/theatre-staff/:user_id", [&vouchers](http::Request& req) {
        service::require_admin(req);
        auto id = text::positive_id(req.param("user_id"));
        if (!id) throw not_found("Пользователь не найден");
        vouchers.unassign(std::to_string(*id));
        return http::Response::no_content();
    });
}

}  // namespace chance::premieres::ordering
