#include "premieres/ordering/staff_refunds.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/money.hpp"
#include "chance/messaging/events.hpp"
#include "premieres/ordering/domain.hpp"
#include "premieres/ordering/store.hpp"

namespace chance::premieres::ordering {

namespace {
using boost::json::object;

// Staff refunds of one order take it one at a time: each computes what is left under this lock.
constexpr pg::Query kLockOrder{"staff_refund_lock_order",
                               "SELECT user_id, status FROM orders WHERE id = $1::uuid FOR UPDATE"};
constexpr pg::Query kRentalOfOrder{
    "staff_refund_rental",
    "SELECT r.amount, i.title, coalesce((SELECT sum((e.payload ->> 'refund')::bigint) FROM rental_events e "
    "WHERE e.rental_id = r.id AND e.type = 'staff_refund'), 0) AS staff_refunded FROM rentals r "
    "JOIN order_items i ON i.order_id = r.order_id AND i.premiere_id = r.premiere_id "
    "WHERE r.id = $1 AND r.order_id = $2::uuid"};
constexpr pg::Query kPrior{"staff_refund_prior",
                           "SELECT id, order_id::text AS order_id, rental_id, payload::text AS payload "
                           "FROM rental_events WHERE type = 'staff_refund' AND payload ->> 'key' = $1"};
constexpr pg::Query kInsert{"staff_refund_insert",
                            "INSERT INTO rental_events (rental_id, order_id, type, payload) "
                            "VALUES ($1, $2::uuid, 'staff_refund', $3::jsonb) RETURNING id"};

std::string request_hash(const StaffRefundRequest& r) {
    return auth::sha256_hex((r.rest ? std::string("rest") : std::to_string(r.amount)) + "|" +
                            (r.rental_id ? std::to_string(*r.rental_id) : "-") + "|" + r.reason);
}

// What the order's payments brought in less what went back, from its history.
struct Takings {
    int64_t paid = 0, refunded = 0;
};
Takings takings_of(const HistoryOrder& o) {
    Takings m;
    for (const auto& mv : movements_of(o)) (mv.kind == MovementKind::refund ? m.refunded : m.paid) += mv.amount;
    return m;
}

object answer(int64_t id, const std::string& order_id, std::optional<int64_t> rental, const object& payload,
              const Takings& m) {
    return {{"id", id},
            {"order_id", order_id},
            {"rental_id", json::or_null(rental)},
            {"amount", payload.at("refund")},
            {"reason", payload.at("reason")},
            {"refunded", m.refunded},
            {"refundable", m.paid - m.refunded},
            {"balance", payload.at("balance")}};
}
}  // namespace

StaffRefundRequest read_staff_refund(std::string_view body) {
    json::Reader r(body);
    auto amount = r.int64("amount", true, 1, 100'000'000);
    auto reason = r.str("reason", true, 500, 3);
    std::optional<int64_t> rental;
    if (const auto* v = r.value("rental_id"); v && !v->is_null()) rental = r.int64("rental_id", true, 1);
    r.finish();
    return {*amount, *reason, rental};
}

object StaffRefunds::refund(const StaffMember& staff, const std::string& order_id, const std::string& key,
                            const StaffRefundRequest& request) {
    auto within_limit = [&](int64_t amount) {
        if (staff.role == "support" && amount > config_.support_limit)
            throw Problem(403, "Нужен администратор",
                          "Сотрудник поддержки может вернуть не больше " +
                              Money::kopecks(config_.support_limit).format() + " за раз",
                          {{"amount", "Не больше " + Money::kopecks(config_.support_limit).format() +
                                          "; больший возврат делает администратор"}})
                .with_type("refund-over-support-limit");
    };
    if (!request.rest) within_limit(request.amount);
    auto full_key = "staff:" + order_id + ":" + key;
    auto hash = request_hash(request);
    object result;
    pool_.transact([&](pg::Transaction& tx) {
        auto order = tx.exec(kLockOrder, pg::Params(order_id));
        if (order.empty()) throw not_found("Заказ не найден");
        auto user = order.text(0, "user_id");
        // A repeat of the same request (the same key) answers the first refund, under the order's lock.
        if (auto prior = tx.exec(kPrior, pg::Params(full_key)); !prior.empty()) {
            auto payload = boost::json::parse(prior.text(0, "payload")).as_object();
            if (prior.text(0, "order_id") != order_id || payload["request_hash"] != boost::json::value(hash))
                throw conflict("Этот Idempotency-Key уже использован для другого возврата");
            auto found = store::history_order(tx, user, order_id);
            result = answer(prior.int64(0, "id"), order_id, prior.opt_int64(0, "rental_id"), payload,
                            found ? takings_of(*found) : Takings{});
            return;
        }
        if (order.text(0, "status") != "paid")
            throw conflict("Заказ не оплачен: возвращать нечего").with_type("order-not-paid");
        auto found = store::history_order(tx, user, order_id);
        if (!found) throw not_found("Заказ не найден");
        auto before = takings_of(*found);
        auto left = before.paid - before.refunded;
        std::string title;
        if (request.rental_id) {
            auto rental = tx.exec(kRentalOfOrder, pg::Params(*request.rental_id, order_id));
            if (rental.empty())
                throw unprocessable("Аренда не из этого заказа", {{"rental_id", "Выберите аренду этого заказа"}});
            title = rental.text(0, "title");
            left = std::min(left, rental.int64(0, "amount") - rental.int64(0, "staff_refunded"));
        }
        auto amount = request.rest ? left : request.amount;
        if (request.rest) {
            if (amount <= 0) throw conflict("Возвращать нечего: всё уже возвращено").with_type("nothing-to-refund");
            within_limit(amount);
        }
        if (amount > left)
            throw unprocessable(
                "Возврат больше оплаченного",
                {{"amount", "Можно вернуть не больше " + Money::kopecks(std::max<int64_t>(left, 0)).format()}})
                .with_type("refund-over-paid");
        auto credited = billing_.refund({user, order_id, amount, full_key, "staff refund"});
        object payload{{"refund", amount},           {"reason", request.reason}, {"staff_id", staff.user_id},
                       {"staff_role", staff.role},   {"key", full_key},          {"request_hash", hash},
                       {"balance", credited.balance}};
        auto id =
            tx.exec(kInsert, pg::Params(request.rental_id, order_id, boost::json::serialize(payload))).int64(0, "id");
        object params{{"amount", amount},
                      {"reason", request.reason},
                      {"orders_url", config_.public_origin + "/orders?order=" + order_id}};
        if (!title.empty()) params["title"] = title;
        messaging::enqueue(
            tx, "notify.staff_refund",
            messaging::make_event("premieres.order.refunded_by_staff.v1",
                                  {{"user_id", user}, {"template", "staff_refund"}, {"params", params}}));
        log::info(
            "staff refund",
            {{"order_id", order_id}, {"amount", amount}, {"staff_id", staff.user_id}, {"staff_role", staff.role}});
        result = answer(id, order_id, request.rental_id, payload, {before.paid, before.refunded + amount});
    });
    return result;
}

}  // namespace chance::premieres::ordering
