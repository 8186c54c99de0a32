// The staff's refunds and sales report without a database: a refund's movement in «Мои заказы», the request readers
// (each bad field named) and the report's CSV as Excel reads it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "premieres/ordering/domain.hpp"
#include "premieres/ordering/sales_report.hpp"
#include "premieres/ordering/staff_refunds.hpp"

using namespace chance;
using namespace chance::premieres::ordering;

namespace {
std::vector<std::string> fields_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Problem& p) {
        std::vector<std::string> out;
        for (const auto& e : p.errors()) out.push_back(e.field);
        return out;
    }
    return {};
}
}  // namespace

TEST(StaffRefund, IsARefundMovementWithTheReasonOfTheRentalOrTheOrder) {
    HistoryOrder o;
    o.id = "0193a1b2-0000-7000-8000-000000000001";
    o.status = "paid";
    o.total = 59900;
    o.paid_at = "2026-12-07T09:00:02Z";
    o.items = {{7, "Маузер", 24, "2026-12-07T09:00:02Z", "2026-12-08T09:00:02Z", 59900}};
    MoneyEvent of_rental{11, "staff_refund", "2026-12-08T10:00:00Z", "Маузер"};
    of_rental.refund = 10000;
    of_rental.reason = "Плохо работал звук";
    MoneyEvent of_order{12, "staff_refund", "2026-12-08T11:00:00Z", ""};
    of_order.refund = 500;
    of_order.reason = "Извинения";
    MoneyEvent nothing{13, "staff_refund", "2026-12-08T12:00:00Z", ""};
    o.events = {of_rental, of_order, nothing};
    auto m = movements_of(o);
    ASSERT_EQ(m.size(), 3u);  // the payment and two refunds; a refund of nothing moves nothing
    EXPECT_EQ(m[1].kind, MovementKind::refund);
    EXPECT_EQ(m[1].amount, 10000);
    EXPECT_EQ(m[1].reason, "Возврат от магазина: Плохо работал звук");
    EXPECT_EQ(m[1].receipt, "11");
    ASSERT_EQ(m[1].lines.size(), 1u);
    EXPECT_EQ(m[1].lines[0].title, "Маузер");
    EXPECT_EQ(m[1].lines[0].what, "возврат: Плохо работал звук");
    EXPECT_EQ(m[2].lines[0].title, "Заказ");
    EXPECT_EQ(m[2].amount, 500);
}

TEST(StaffRefund, ItsRequestNamesEachBadField) {
    auto r = read_staff_refund(R"({"amount":10000,"reason":"Плохо работал звук","rental_id":5})");
    EXPECT_EQ(r.amount, 10000);
    EXPECT_EQ(r.rental_id, 5);
    EXPECT_FALSE(read_staff_refund(R"({"amount":1,"reason":"abc","rental_id":null})").rental_id);
    EXPECT_EQ(fields_of([] { read_staff_refund(R"({"amount":0,"reason":"ab","rental_id":"x"})"); }),
              (std::vector<std::string>{"amount", "reason", "rental_id"}));
    EXPECT_EQ(fields_of([] { read_staff_refund(R"({"amount":100000001,"reason":"Слишком много"})"); }),
              std::vector<std::string>{"amount"});
    EXPECT_THROW(read_staff_refund("[1]"), Problem);
    EXPECT_THROW(read_staff_refund("not json"), Problem);
}

TEST(SalesReport, ItsPeriodAndGroupingAreChecked) {
    auto r = read_report_request("2026-12-01", "2026-12-31", std::nullopt);
    EXPECT_EQ(r.by, "day");
    EXPECT_EQ(read_report_request("2024-02-29", "2024-03-01", "theatre").by, "theatre");
    using S = std::optional<std::string>;
    EXPECT_EQ(fields_of([] { read_report_request(S{}, S{}, S{}); }), (std::vector<std::string>{"from", "to"}));
    EXPECT_EQ(fields_of([] { read_report_request("2026-02-30", "2026-13-01", S{}); }),
              (std::vector<std::string>{"from", "to"}));
    EXPECT_EQ(fields_of([] { read_report_request("2026-12-31", "2026-12-01", S{}); }), std::vector<std::string>{"to"});
    EXPECT_EQ(fields_of([] { read_report_request("2025-01-01", "2026-01-02", S{}); }), std::vector<std::string>{"to"});
    EXPECT_TRUE(fields_of([] { read_report_request("2025-01-01", "2026-01-01", S{}); }).empty());  // 366 days
    EXPECT_EQ(fields_of([] { read_report_request("2026-1-01", "2026-01-02", "week"); }),
              (std::vector<std::string>{"from", "by"}));
}

TEST(SalesReport, TheCsvIsForExcelWithTotalsAndNoFormulas) {
    ReportRequest r{"2026-12-01", "2026-12-31", "premiere"};
    std::vector<ReportRow> rows{{"7", "Маузер", 3, 179700, 10000, 0}, {"8", "=HYPERLINK(\"x\";\"y\")", 1, 5, 0, 100}};
    auto csv = report_csv(r, rows);
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_EQ(
        csv,
        "\xEF\xBB\xBF"
        "Премьера;Аренды;Выручка, ₽;Возвраты, ₽;Скидки, ₽;Итого, ₽\r\n"
        "Маузер;3;1797,00;100,00;0,00;1697,00\r\n"
        "\"'=HYPERLINK(\"\"x\"\";\"\"y\"\")\";1;0,05;0,00;1,00;0,05\r\n"
        "Итого;4;1797,05;100,00;1,00;1697,05\r\n");
    auto json = report_json(r, "Europe/Moscow", rows);
    EXPECT_EQ(json["totals"].as_object()["net"].as_int64(), 179705 - 10000);
    EXPECT_EQ(json["rows"].as_array().size(), 2u);
}
