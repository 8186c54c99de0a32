#include "premieres/rentals/routes.hpp"

#include <boost/json.hpp>

#include "chance/core/json.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/catalog.hpp"
#include "premieres/ordering/vouchers.hpp"

namespace chance::premieres::rentals {

using boost::json::object;

Change read_change(std::string_view body) {
    json::Reader r(body);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    Change out;
    if (period) out.period = static_cast<int>(*period);
    if (starts) {
        out.starts_at = time::parse_rfc3339(*starts);
        if (!out.starts_at) r.fail("starts_at", "Дата и время в формате RFC 3339");
    }
    if (!period && !starts) r.fail("period", "Укажите новый срок или время начала");
    r.finish();
    return out;
}

object to_json(const Rental& r) {
    return {{"id", r.id},
            {"premiere_id", r.premiere_id},
            {"title", r.title},
            {"poster_url", "/api/v1/premiere/" + std::to_string(r.premiere_id) + "/poster.svg"},
            {"starts_at", r.starts_at},
            {"ends_at", r.ends_at},
            {"period", r.period},
            {"status", to_string(r.status)},
            {"amount", r.amount},
            {"order_id", r.order_id},
            {"show_id", json::or_null(r.show_id)},
            {"voucher", r.voucher ? boost::json::value(object{{"code", ordering::voucher_display(r.voucher->code)},
                                                              {"amount", r.voucher->amount},
                                                              {"valid_until", r.voucher->valid_until},
                                                              {"status", r.voucher->status},
                                                              {"redeemed_at", json::or_null(r.voucher->redeemed_at)}})
                                  : boost::json::value(nullptr)}};
}

void install_routes(http::Router& router, Rentals& rentals) {
    auto user_of = [](const http::Request& req) { return service::require_user(req).user_id; };
    auto rental_id = [](const http::Request& req) { return parse_id(req.param("id"), "id"); };
    router.get("/api/v1/rentals", [&, user_of](http::Request& req) {
        boost::json::array items;
        for (const auto& r : rentals.list(user_of(req))) items.push_back(to_json(r));
        return http::Response::json(object{{"items", std::move(items)}});
    });
    router.get("/api/v1/rentals/:id", [&, user_of, rental_id](http::Request& req) {
        auto user = user_of(req);
        return http::Response::json(to_json(rentals.get(user, rental_id(req))));
    });
    router.patch("/api/v1/rentals/:id", [&, user_of, rental_id](http::Request& req) {
        auto user = user_of(req);
        auto id = rental_id(req);
        return http::Response::json(to_json(rentals.change(user, id, read_change(req.body))));
    });
    router.post("/api/v1/rentals/:id/cancel", [&, user_of, rental_id](http::Request& req) {
        auto user = user_of(req);
        return http::Response::json(to_json(rentals.cancel(user, rental_id(req))));
    });
}

}  // namespace chance::premieres::rentals
