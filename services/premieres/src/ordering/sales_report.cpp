#include "premieres/ordering/sales_report.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "chance/core/error.hpp"

namespace chance::premieres::ordering {

namespace {
// Every money movement of an order in the period, with its premiere: a paid order's lines (a rental each, with the
// discount they got); a sold-out order's lines, paid and refunded at its cancellation; the surcharges and refunds of
// rentals' changes and cancellations and the staff's refunds (a refund on a whole order of one premiere is that
// premiere's; of several, none).
constexpr pg::Query kMovements{
    "sales_report",
    "WITH b AS (SELECT ($1::date)::timestamp AT TIME ZONE $3 AS lo, ($2::date + 1)::timestamp AT TIME ZONE $3 AS hi), "
    "m AS ("
    " SELECT o.paid_at AS at, i.premiere_id, 1 AS rentals, i.price AS revenue, 0::bigint AS refunds, "
    "  i.discount AS discounts FROM b, orders o JOIN order_items i ON i.order_id = o.id "
    "  WHERE o.paid_at >= b.lo AND o.paid_at < b.hi "
    " UNION ALL "
    " SELECT e.occurred_at, i.premiere_id, 0, i.price, i.price, 0 FROM b, rental_events e "
    "  JOIN order_items i ON i.order_id = e.order_id "
    "  WHERE e.type = 'order_cancelled_sold_out' AND coalesce((e.payload ->> 'refund')::bigint, 0) > 0 "
    "  AND e.occurred_at >= b.lo AND e.occurred_at < b.hi "
    " UNION ALL "
    " SELECT e.occurred_at, coalesce(r.premiere_id, one.premiere_id), 0, "
    "  coalesce((e.payload ->> 'charged')::bigint, 0), "
    "  coalesce((e.payload ->> 'refunded')::bigint, 0) + coalesce((e.payload ->> 'refund')::bigint, 0), 0 "
    "  FROM b, rental_events e LEFT JOIN rentals r ON r.id = e.rental_id "
    "  LEFT JOIN LATERAL (SELECT min(premiere_id) AS premiere_id FROM order_items WHERE order_id = e.order_id "
    "   HAVING count(*) = 1) one ON true "
    "  WHERE e.type IN ('rental_changed', 'rental_cancelled', 'staff_refund') "
    "  AND e.occurred_at >= b.lo AND e.occurred_at < b.hi), "
    "k AS (SELECT CASE $4 WHEN 'day' THEN to_char(m.at AT TIME ZONE $3, 'YYYY-MM-DD') "
    "  WHEN 'premiere' THEN coalesce(m.premiere_id::text, '') ELSE coalesce(p.theatre, '') END AS key, "
    "  CASE $4 WHEN 'day' THEN to_char(m.at AT TIME ZONE $3, 'YYYY-MM-DD') "
    "  WHEN 'premiere' THEN coalesce(p.title, 'Возвраты по заказам из нескольких премьер') "
    "  ELSE coalesce(p.theatre, 'Возвраты по заказам из нескольких премьер') END AS label, m.* "
    "  FROM m LEFT JOIN premieres p ON p.id = m.premiere_id) "
    "SELECT key, label, sum(rentals)::bigint AS rentals, sum(revenue)::bigint AS revenue, "
    "sum(refunds)::bigint AS refunds, sum(discounts)::bigint AS discounts FROM k GROUP BY key, label "
    "ORDER BY CASE WHEN $4 = 'day' THEN key END, sum(revenue) DESC, label"};

// The day number (since the epoch) of a YYYY-MM-DD date from 2000 to 2100, or kNoDay.
constexpr int64_t kNoDay = INT64_MIN;
int64_t day_of(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return kNoDay;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return kNoDay;
    std::chrono::year_month_day d{std::chrono::year(std::stoi(s.substr(0, 4))),
                                  std::chrono::month(static_cast<unsigned>(std::stoi(s.substr(5, 2)))),
                                  std::chrono::day(static_cast<unsigned>(std::stoi(s.substr(8, 2))))};
    if (!d.ok() || d.year() < std::chrono::year(2000) || d.year() > std::chrono::year(2100)) return kNoDay;
    return std::chrono::sys_days(d).time_since_epoch().count();
}

std::string rubles(int64_t kopecks) {
    auto sign = kopecks < 0 ? "-" : "";
    auto abs = kopecks < 0 ? -kopecks : kopecks;
    auto k = std::to_string(abs % 100);
    return sign + std::to_string(abs / 100) + "," + (k.size() == 1 ? "0" + k : k);
}

// A field as Excel reads it: quoted when it holds a separator, a quote or a line break; a text that a spreadsheet
// would take for a formula (=, +, -, @ first) starts with an apostrophe.
std::string csv_field(std::string v) {
    if (!v.empty() && std::string_view("=+-@\t").find(v.front()) != std::string_view::npos) v.insert(0, "'");
    if (v.find_first_of(";\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}
}  // namespace

ReportRequest read_report_request(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                  const std::optional<std::string>& by) {
    std::vector<FieldError> errors;
    auto f = from ? day_of(*from) : kNoDay;
    auto t = to ? day_of(*to) : kNoDay;
    if (f == kNoDay) errors.push_back({"from", "Дата в формате ГГГГ-ММ-ДД"});
    if (t == kNoDay) errors.push_back({"to", "Дата в формате ГГГГ-ММ-ДД"});
    if (f != kNoDay && t != kNoDay && t < f) errors.push_back({"to", "Конец периода раньше начала"});
    if (f != kNoDay && t != kNoDay && t - f > 365) errors.push_back({"to", "Не больше 366 дней"});
    auto grouping = by.value_or("day");
    if (grouping != "day" && grouping != "premiere" && grouping != "theatre")
        errors.push_back({"by", "day, premiere или theatre"});
    if (!errors.empty()) throw bad_request("Неверные параметры отчёта", std::move(errors));
    return {*from, *to, grouping};
}

std::vector<ReportRow> SalesReport::rows(const ReportRequest& r) {
    auto found = pool_.exec(kMovements, pg::Params(r.from, r.to, time_zone_, r.by));
    std::vector<ReportRow> out;
    out.reserve(static_cast<size_t>(found.rows()));
    for (int i = 0; i < found.rows(); ++i)
        out.push_back({found.text(i, "key"), found.text(i, "label"), found.int64(i, "rentals"),
                       found.int64(i, "revenue"), found.int64(i, "refunds"), found.int64(i, "discounts")});
    return out;
}

boost::json::object report_json(const ReportRequest& r, const std::string& time_zone,
                                const std::vector<ReportRow>& rows) {
    boost::json::array items;
    ReportRow total;
    for (const auto& row : rows) {
        items.push_back({{"key", row.key},
                         {"label", row.label},
                         {"rentals", row.rentals},
                         {"revenue", row.revenue},
                         {"refunds", row.refunds},
                         {"discounts", row.discounts},
                         {"net", row.revenue - row.refunds}});
        total.rentals += row.rentals;
        total.revenue += row.revenue;
        total.refunds += row.refunds;
        total.discounts += row.discounts;
    }
    return {{"from", r.from},
            {"to", r.to},
            {"by", r.by},
            {"time_zone", time_zone},
            {"rows", std::move(items)},
            {"totals",
             {{"rentals", total.rentals},
              {"revenue", total.revenue},
              {"refunds", total.refunds},
              {"discounts", total.discounts},
              {"net", total.revenue - total.refunds}}}};
}

std::string report_csv(const ReportRequest& r, const std::vector<ReportRow>& rows) {
    const char* first = r.by == "day" ? "День" : r.by == "premiere" ? "Премьера" : "Театр";
    std::string out = "\xEF\xBB\xBF";  // a BOM: Excel then reads the file as UTF-8
    out += std::string(first) +
           ";Аренды;Выручка, ₽;Возвраты, ₽;Скидки, ₽;Итого, ₽\r\n";
    ReportRow total{"", "Итого"};
    auto line = [&out](const ReportRow& row) {
        out += csv_field(row.label) + ";" + std::to_string(row.rentals) + ";" + rubles(row.revenue) + ";" +
               rubles(row.refunds) + ";" + rubles(row.discounts) + ";" + rubles(row.revenue - row.refunds) + "\r\n";
    };
    for (const auto& row : rows) {
        line(row);
        total.rentals += row.rentals;
        total.revenue += row.revenue;
        total.refunds += row.refunds;
        total.discounts += row.discounts;
    }
    line(total);
    return out;
}

}  // namespace chance::premieres::ordering
