#include "premieres/clients/billing_client.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/log.hpp"

namespace chance::premieres::billing {

namespace {
// Billing's problem type (its slug) and detail, when the body is a problem; empty otherwise.
std::pair<std::string, std::string> problem_of(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    const auto& o = v.as_object();
    std::string type, detail;
    if (auto* t = o.if_contains("type"); t && t->is_string()) type = problem_type_slug(t->as_string());
    if (auto* d = o.if_contains("detail"); d && d->is_string()) detail = d->as_string();
    return {type, detail};
}

boost::json::object ok_body(const http::ClientResponse& r, std::string_view operation) {
    if (r.status != 200) throw answer_problem(r.status, r.body, operation);
    return boost::json::parse(r.body).as_object();
}
}  // namespace

Problem answer_problem(int status, std::string_view body, std::string_view operation) {
    auto [type, detail] = problem_of(body);
    log::error("billing answered unexpectedly", {{"operation", std::string(operation)},
                                                 {"status", status},
                                                 {"billing_type", type},
                                                 {"billing_detail", detail}});
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
        if (status == 409 || status == 422)
            return Problem(409, "Оплата отклонена",
                           "Сервис оплаты отклонил операцию. Обновите страницу; если ошибка повторится, напишите в "
                           "поддержку.")
                .with_type("billing-refused");
        return Problem(502, "Ошибка оплаты",
                       "Сервис оплаты не принял запрос магазина. Попробуйте позже; если ошибка повторится, напишите в "
                       "поддержку.")
            .with_type("billing-rejected");
    }
    return unavailable("Оплата временно недоступна, попробуйте ещё раз", 2);
}

Client::Client(const http::Client& http, std::function<std::string()> identity)
    : http_(http), identity_(std::move(identity)) {}

int64_t Client::balance(const std::string& user_id) const {
    http::Headers h;
    h.set(auth::kIdentityHeader, identity_());
    auto r = http_.send("GET", "/internal/balance/" + http::percent_encode(user_id), h);
    return ok_body(r, "balance").at("amount").as_int64();
}

boost::json::object Client::post(const std::string& path, const std::string& idempotency_key,
                                 const boost::json::object& body, std::string_view operation) const {
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set("Idempotency-Key", idempotency_key);
    h.set(auth::kIdentityHeader, identity_());
    return ok_body(http_.send("POST", path, h, boost::json::serialize(body)), operation);
}

DebitResult Client::withdraw(const Debit& d) const {
    auto out =
        post("/api/v1/billing/withdraw/", d.idempotency_key,
             {{"id", d.premiere_id}, {"summ", d.amount}, {"user_id", d.user_id}, {"order_id", d.order_id}}, "withdraw");
    DebitResult res;
    res.paid = out.at("status").as_string() == "paid";
    res.balance = out.at("balance").as_int64();
    if (!res.paid) {
        if (out.at("status").as_string() != "insufficient_funds") throw answer_problem(500, "", "withdraw");
        res.shortfall = out.at("shortfall").as_int64();
    }
    return res;
}

CreditResult Client::refund(const Credit& c) const {
    auto out =
        post("/api/v1/billing/refund/", c.idempotency_key,
             {{"user_id", c.user_id}, {"order_id", c.order_id}, {"summ", c.amount}, {"reason", c.reason}}, "refund");
    return {out.at("balance").as_int64()};
}

}  // namespace chance::premieres::billing
