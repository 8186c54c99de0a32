#pragma once
// Ordering's HTTP routes: each reads its request into a typed value (400 for a malformed one), calls Orders and
// renders what it returns as JSON.
#include <boost/json/object.hpp>
#include <string_view>

#include "chance/http/router.hpp"
#include "premieres/ordering/history.hpp"
#include "premieres/ordering/orders.hpp"
#include "premieres/ordering/sales_report.hpp"
#include "premieres/ordering/staff_refunds.hpp"

namespace chance::premieres::ordering {

// POST /orders's body: 400 when it is not an object or has no array `items`; each line's fields or the errors
// reading them (shape or rule: see Fault).
OrderForm read_order_form(std::string_view body);
CartAdd read_cart_add(std::string_view body);
CartUpdate read_cart_update(std::string_view body);
RentRequest read_rent(std::string_view body);

boost::json::object to_json(const Order& o);
boost::json::object to_json(const Cart& c);
// An order of «Мои заказы»: {id, status, total, created_at, paid_at, items, movements, paid, refunded}.
boost::json::object to_json(const HistoryOrder& o, const std::vector<Movement>& movements);

void install_routes(http::Router& router, Orders& orders, History& history);
// The staff's routes (ADR 0022): POST /api/v1/admin/orders/:id/refunds (support or admin), GET
// /api/v1/admin/reports/sales (admin; JSON, or CSV with format=csv).
void install_staff_routes(http::Router& router, StaffRefunds& refunds, SalesReport& report);

}  // namespace chance::premieres::ordering
