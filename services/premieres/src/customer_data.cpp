#include "premieres/customer_data.hpp"

#include <boost/json.hpp>

#include "chance/core/text.hpp"
#include "chance/core/uuid.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/ordering/routes.hpp"
#include "premieres/rentals/routes.hpp"

namespace chance::premieres {

namespace {
constexpr pg::Query kErase{
    "customer_erase",
    "WITH cart AS (DELETE FROM cart_items WHERE user_id = $1), "
    "streams AS (UPDATE playback_sessions SET device = '', ended_at = coalesce(ended_at, now()), "
    "ended_reason = CASE WHEN ended_at IS NULL THEN 'account_deleted' ELSE ended_reason END WHERE user_id = $1), "
    "stopped AS (UPDATE rentals SET cancelled_at = now() WHERE user_id = $1 AND cancelled_at IS NULL "
    "AND ends_at > now() RETURNING id, order_id) "
    "INSERT INTO rental_events (rental_id, order_id, type) SELECT id, order_id, 'stopped_account_deleted' "
    "FROM stopped"};
constexpr int kPage = 50;
}  // namespace

boost::json::object CustomerData::export_of(const std::string& user) {
    boost::json::array orders;
    std::optional<std::string> before;
    for (;;) {
        auto page = history_.list(user, kPage, before);
        for (const auto& o : page) orders.push_back(ordering::to_json(o, ordering::movements_of(o)));
        if (page.size() < static_cast<size_t>(kPage)) break;
        before = page.back().id;
    }
    boost::json::array rentals;
    for (const auto& r : rentals_.list(user)) rentals.push_back(rentals::to_json(r));
    return {{"orders", std::move(orders)},
            {"rentals", std::move(rentals)},
            {"cart", ordering::to_json(orders_.cart(user))},
            {"playback", viewing_.export_of(user)}};
}

void CustomerData::erase(pg::Transaction& tx, const std::string& user) { tx.exec(kErase, pg::Params(user)); }

namespace {
constexpr pg::Query kOwner{"order_owner", "SELECT user_id FROM orders WHERE id = $1::uuid"};
}

void install_customer_data_routes(http::Router& router, CustomerData& data, pg::Pool& pool) {
    // Whose order this is, for the staff's customer lookup by order number.
    router.get("/internal/orders/:id/owner", [&pool](http::Request& req) {
        service::require_service(req);
        const auto& id = req.param("id");
        if (!is_uuid(id)) throw not_found("Заказ не найден");
        auto rows = pool.exec(kOwner, pg::Params(id));
        if (rows.empty()) throw not_found("Заказ не найден");
        return http::Response::json(boost::json::object{{"user_id", rows.text(0, "user_id")}});
    });
    router.get("/internal/users/:id/data", [&data](http::Request& req) {
        service::require_service(req);
        auto id = text::positive_id(req.param("id"));
        if (!id) throw not_found("Пользователь не найден");
        return http::Response::json(data.export_of(std::to_string(*id)));
    });
}

}  // namespace chance::premieres
