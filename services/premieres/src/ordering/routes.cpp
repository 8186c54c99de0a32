#include "premieres/ordering/routes.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/text.hpp"
#include "chance/core/uuid.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/catalog.hpp"
#include "premieres/ordering/history.hpp"
#include "premieres/ordering/sales_report.hpp"
#include "premieres/ordering/staff_refunds.hpp"

namespace chance::premieres::ordering {

using boost::json::object;

namespace {
// Reads a field with `read` and classifies the error it added, if any: a missing field or a value of another
// JSON type is the request's shape; a value of the right type out of its range (or an integer too large to
// read) breaks a rule.
template <typename F>
auto read_field(json::Reader& r, std::string_view key, bool integer, const std::string& at,
                std::vector<LineError>& errors, F&& read) {
    auto before = r.errors().size();
    auto out = read();
    if (r.errors().size() > before) {
        const auto* v = r.value(key);
        bool right_type = v != nullptr && (integer ? v->is_int64() || v->is_uint64() : v->is_string());
        const auto& e = r.errors().back();
        errors.push_back({{at + "." + e.field, e.message}, right_type ? Fault::rule : Fault::shape});
    }
    return out;
}

LineInput read_line(const boost::json::value& v, const std::string& at) {
    LineInput in;
    if (!v.is_object()) {
        in.errors.push_back({{at, "Ожидается объект"}, Fault::shape});
        return in;
    }
    json::Reader r(v.as_object());
    std::string_view id_key = r.object().contains("premiere_id") ? "premiere_id" : "id";
    in.premiere_id = read_field(r, id_key, true, at, in.errors, [&] { return r.int64(id_key, true, 1); });
    auto period = read_field(r, "period", true, at, in.errors, [&] { return r.int64("period", true, 1, 720); });
    if (period) in.period = static_cast<int>(*period);
    // No start: the window opens when the order is paid («Начать сразу»).
    in.starts_at = read_field(r, "starts_at", false, at, in.errors, [&] { return r.str("starts_at", false, 40); });
    // A seat at a live show: the show sets the start (ADR 0027).
    in.show_id = read_field(r, "show_id", true, at, in.errors, [&] { return r.int64("show_id", false, 1); });
    return in;
}

std::string user_of(const http::Request& req) { return service::require_user(req).user_id; }

std::string idempotency_key(const http::Request& req) {
    auto k = req.headers.get("Idempotency-Key");
    if (!k || k->empty() || k->size() > 200)
        throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
    return *k;
}
}  // namespace

OrderForm read_order_form(std::string_view body) {
    json::Reader r(body);
    const auto* items = r.value("items");
    if (!items || !items->is_array())
        throw bad_request("Проверьте поле items", {{"items", "Ожидается массив премьер"}});
    OrderForm form;
    const auto& arr = items->as_array();
    for (size_t i = 0; i < arr.size(); ++i) form.lines.push_back(read_line(arr[i], "items[" + std::to_string(i) + "]"));
    return form;
}

CartAdd read_cart_add(std::string_view body) {
    json::Reader r(body);
    auto pid = r.int64("premiere_id", true, 1);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    auto show = r.int64("show_id", false, 1);
    r.finish();
    return {*pid, period, starts, show};
}

CartUpdate read_cart_update(std::string_view body) {
    json::Reader r(body);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    auto show = r.int64("show_id", false, 1);
    std::optional<std::string> start;
    if (starts) {
        auto t = time::parse_rfc3339(*starts);
        if (!t)
            r.fail("starts_at", "Дата и время в формате RFC 3339");
        else
            start = time::format_rfc3339(*t);
    }
    r.finish();
    return {period, start, show};
}

RentRequest read_rent(std::string_view body) {
    json::Reader r(body);
    auto id = r.int64("id", true, 1);
    auto period = r.int64("period", true, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    auto show = r.int64("show_id", false, 1);
    r.finish();
    return {*id, *period, starts, show};
}

namespace {
boost::json::array lines_json(const std::vector<OrderItem>& lines) {
    boost::json::array items;
    for (const auto& i : lines)
        items.push_back(object{{"premiere_id", i.premiere_id},
                               {"title", i.title},
                               {"period", i.period},
                               {"starts_at", i.starts_at},
                               {"ends_at", i.ends_at},
                               {"starts_on_payment", i.starts_on_payment},
                               {"price", i.price},
                               {"show_id", json::or_null(i.show_id)}});
    return items;
}
}  // namespace

object to_json(const Order& o) {
    auto items = lines_json(o.items);
    object out{{"id", o.id},
               {"status", o.status},
               {"total", o.total},
               {"created_at", o.created_at},
               {"items", std::move(items)}};
    if (o.balance) out["balance"] = *o.balance;
    if (o.next) out["next"] = *o.next;
    if (o.shortfall) out["shortfall"] = *o.shortfall;
    return out;
}

object to_json(const HistoryOrder& o, const std::vector<Movement>& movements) {
    auto items = lines_json(o.items);
    boost::json::array moved;
    int64_t paid = 0, refunded = 0;
    for (const auto& m : movements) {
        (m.kind == MovementKind::refund ? refunded : paid) += m.amount;
        moved.push_back(object{{"kind", m.kind == MovementKind::payment     ? "payment"
                                        : m.kind == MovementKind::surcharge ? "surcharge"
                                                                            : "refund"},
                               {"amount", m.amount},
                               {"at", m.at},
                               {"reason", m.reason},
                               {"receipt_url", "/api/v1/orders/" + o.id + "/receipts/" + m.receipt}});
    }
    return object{{"id", o.id},
                  {"status", o.status},
                  {"total", o.total},
                  {"created_at", o.created_at},
                  {"paid_at", json::or_null(o.paid_at)},
                  {"items", std::move(items)},
                  {"movements", std::move(moved)},
                  {"paid", paid},
                  {"refunded", refunded}};
}

object to_json(const Cart& c) {
    boost::json::array items;
    for (const auto& i : c.items)
        items.push_back(object{{"id", i.id},
                               {"premiere", i.premiere},
                               {"period", i.period},
                               {"starts_at", json::or_null(i.starts_at)},
                               {"price", i.price},
                               {"show", json::or_null(i.show)}});
    return {{"items", std::move(items)}, {"total", c.total}};
}

void install_routes(http::Router& router, Orders& orders, History& history) {
    auto item_id = [](const http::Request& req) { return parse_id(req.param("id"), "id"); };
    router.get("/api/v1/cart",
               [&](http::Request& req) { return http::Response::json(to_json(orders.cart(user_of(req)))); });
    router.post("/api/v1/cart/items", [&](http::Request& req) {
        auto user = user_of(req);
        return http::Response::json(201, to_json(orders.cart_add(user, read_cart_add(req.body))));
    });
    router.patch("/api/v1/cart/items/:id", [&, item_id](http::Request& req) {
        auto user = user_of(req);
        auto item = item_id(req);
        return http::Response::json(to_json(orders.cart_update(user, item, read_cart_update(req.body))));
    });
    router.del("/api/v1/cart/items/:id", [&, item_id](http::Request& req) {
        auto user = user_of(req);
        orders.cart_remove(user, item_id(req));
        return http::Response::no_content();
    });
    router.post("/api/v1/orders", [&](http::Request& req) {
        auto user = user_of(req);
        auto key = idempotency_key(req);
        auto order =
            orders.create_order(user, key, auth::sha256_hex(req.body), [&] { return read_order_form(req.body); });
        return http::Response::json(201, to_json(order));
    });
    // «Мои заказы»: newest first, a page of `limit` (1-50, 20) before the order `before`; next_before continues.
    router.get("/api/v1/orders", [&history](http::Request& req) {
        auto user = user_of(req);
        int limit = 20;
        if (auto l = req.query_param("limit")) {
            auto n = text::positive_id(*l);
            if (!n || *n > 50) throw bad_request("Неверный размер страницы", {{"limit", "Целое число от 1 до 50"}});
            limit = static_cast<int>(*n);
        }
        std::optional<std::string> before;
        if (auto b = req.query_param("before")) {
            if (!is_uuid(*b)) throw bad_request("Неверная ссылка на страницу", {{"before", "Ожидается номер заказа"}});
            before = std::string(*b);
        }
        auto found = history.list(user, limit + 1, before);
        bool more = found.size() > static_cast<size_t>(limit);
        if (more) found.pop_back();
        boost::json::array items;
        for (const auto& o : found) items.push_back(to_json(o, movements_of(o)));
        return http::Response::json(
            object{{"items", std::move(items)},
                   {"next_before", more ? boost::json::value(found.back().id) : boost::json::value(nullptr)}});
    });
    // A receipt of one of the customer's payments or refunds: a printable page.
    router.get("/api/v1/orders/:id/receipts/:receipt", [&history](http::Request& req) {
        auto caller = service::require_user(req);
        auto res = http::Response::text(
            200, history.receipt(caller.user_id, req.param("id"), req.param("receipt"), caller.time_zone),
            "text/html; charset=utf-8");
        res.headers.set("Cache-Control", "private, no-store");
        return res;
    });
    router.get("/api/v1/orders/:id", [&](http::Request& req) {
        auto user = user_of(req);
        return http::Response::json(to_json(orders.order(user, req.param("id"))));
    });
    router.post("/api/v1/orders/:id/confirm", [&](http::Request& req) {
        auto user = user_of(req);
        return http::Response::json(to_json(orders.confirm(user, req.param("id"))));
    });
    router.post("/api/v1/rent/", [&](http::Request& req) {
        auto user = user_of(req);
        auto key = idempotency_key(req);
        return http::Response::json(to_json(orders.rent(user, key, read_rent(req.body))));
    });
}

void install_staff_routes(http::Router& router, StaffRefunds& refunds, SalesReport& report) {
    router.post("/api/v1/admin/orders/:id/refunds", [&refunds](http::Request& req) {
        auto staff = service::require_staff(req);
        auto key = idempotency_key(req);
        const auto& order = req.param("id");
        if (!is_uuid(order)) throw not_found("Заказ не найден");
        auto request = read_staff_refund(req.body);
        return http::Response::json(201, refunds.refund({staff.user_id, staff.role}, order, key, request));
    });
    router.get("/api/v1/admin/reports/sales", [&report](http::Request& req) {
        service::require_admin(req);
        auto request = read_report_request(req.query_param("from"), req.query_param("to"), req.query_param("by"));
        auto format = req.query_param("format").value_or("json");
        if (format != "json" && format != "csv") throw bad_request("Неизвестный формат", {{"format", "json или csv"}});
        auto rows = report.rows(request);
        if (format == "json") {
            auto res = http::Response::json(report_json(request, report.time_zone(), rows));
            res.headers.set("Cache-Control", "private, no-store");
            return res;
        }
        auto res = http::Response::text(200, report_csv(request, rows), "text/csv; charset=utf-8");
        res.headers.set("Content-Disposition", "attachment; filename=\"sales-" + request.by + "-" + request.from + "-" +
                                                   request.to + ".csv\"");
        res.headers.set("Cache-Control", "private, no-store");
        return res;
    });
}

}  // namespace chance::premieres::ordering
