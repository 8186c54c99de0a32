// «Мои заказы» without a database: the money an order moved, read from its history, and the receipt of each
// movement.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "premieres/ordering/domain.hpp"
#include "premieres/ordering/receipt.hpp"
#include "premieres/ordering/routes.hpp"

using namespace chance::premieres::ordering;

namespace {
HistoryOrder paid_order() {
    HistoryOrder o;
    o.id = "0193a1b2-0000-7000-8000-000000000001";
    o.status = "paid";
    o.total = 99800;
    o.created_at = "2026-12-07T09:00:00Z";
    o.paid_at = "2026-12-07T09:00:02Z";
    o.items = {{7, "Маузер", 24, "2026-12-07T09:00:02Z", "2026-12-08T09:00:02Z", 59900},
               {8, "Гамлет <b>", 48, "2026-12-10T18:00:00Z", "2026-12-12T18:00:00Z", 39900}};
    return o;
}

MoneyEvent event(int64_t id, std::string type, std::string title) {
    return {id, std::move(type), "2026-12-08T10:00:00Z", std::move(title)};
}
MoneyEvent changed(int64_t id, std::string title, int64_t period, std::string starts, int64_t charged,
                   int64_t refunded) {
    auto e = event(id, "rental_changed", std::move(title));
    e.period = period;
    e.starts_at = std::move(starts);
    e.charged = charged;
    e.refunded = refunded;
    return e;
}
MoneyEvent refunded(int64_t id, std::string type, std::string title, int64_t refund) {
    auto e = event(id, std::move(type), std::move(title));
    e.refund = refund;
    return e;
}

// Times as they came, marked so a test sees that each went through the conversion.
std::string local(const std::string& t) { return "local(" + t + ")"; }

// NOLINTNEXTLINE(cert-err58-cpp): a test binary that cannot allocate may end at start-up
const Seller kSeller{"ООО «Шанс-видео»",
                     "7701234567",
                     "Москва, ул. Примерная, 1",
                     "УСН доход",
                     "none",
                     "https://chance-video.example",
                     "no-reply@chance-video.example"};
}  // namespace

TEST(History, APaidOrderHasItsPaymentWithEveryLine) {
    auto m = movements_of(paid_order());
    ASSERT_EQ(m.size(), 1U);
    EXPECT_EQ(m[0].kind, MovementKind::payment);
    EXPECT_EQ(m[0].amount, 99800);
    EXPECT_EQ(m[0].at, "2026-12-07T09:00:02Z");
    EXPECT_EQ(m[0].receipt, "payment");
    ASSERT_EQ(m[0].lines.size(), 2U);
    EXPECT_EQ(m[0].lines[1].title, "Гамлет <b>");
    EXPECT_EQ(m[0].lines[1].amount, 39900);
}

TEST(History, AnUnpaidOrderMovedNoMoney) {
    auto o = paid_order();
    o.status = "expired";
    o.paid_at.reset();
    EXPECT_TRUE(movements_of(o).empty());
}

TEST(History, ChangesAndCancellationsAddSurchargesAndRefundsEachWithItsOwnReceipt) {
    auto o = paid_order();
    o.events = {changed(41, "Маузер", 48, "2026-12-07T09:00:02Z", 30000, 0),
                changed(42, "Гамлет", 24, "2026-12-10T18:00:00Z", 0, 10000),
                changed(43, "Гамлет", 24, "2026-12-10T20:00:00Z", 0, 0),
                refunded(44, "rental_cancelled", "Гамлет", 29900)};
    auto m = movements_of(o);
    ASSERT_EQ(m.size(), 4U);  // the change that moved no money gives none
    EXPECT_EQ(m[1].kind, MovementKind::surcharge);
    EXPECT_EQ(m[1].amount, 30000);
    EXPECT_EQ(m[1].receipt, "41");
    EXPECT_EQ(m[1].reason, "Доплата: изменение аренды «Маузер»");
    ASSERT_EQ(m[1].lines.size(), 1U);
    EXPECT_EQ(m[1].lines[0].period, 48);
    EXPECT_EQ(m[1].lines[0].ends_at, "2026-12-09T09:00:02Z");  // the new window: its start plus its hours
    EXPECT_EQ(m[2].kind, MovementKind::refund);
    EXPECT_EQ(m[2].amount, 10000);
    EXPECT_EQ(m[2].receipt, "42");
    EXPECT_EQ(m[3].kind, MovementKind::refund);
    EXPECT_EQ(m[3].amount, 29900);
    EXPECT_EQ(m[3].reason, "Возврат: аренда «Гамлет» отменена");

    auto json = to_json(o, m);
    EXPECT_EQ(json.at("paid").as_int64(), 99800 + 30000);
    EXPECT_EQ(json.at("refunded").as_int64(), 10000 + 29900);
    EXPECT_EQ(json.at("movements").as_array()[3].at("receipt_url").as_string(),
              "/api/v1/orders/0193a1b2-0000-7000-8000-000000000001/receipts/44");
}

TEST(History, AnOrderCancelledForASoldOutShowWasPaidAndRefundedInFull) {
    auto o = paid_order();
    o.status = "cancelled";
    o.paid_at.reset();
    o.events = {refunded(50, "order_cancelled_sold_out", "", 99800)};
    auto m = movements_of(o);
    ASSERT_EQ(m.size(), 2U);
    EXPECT_EQ(m[0].kind, MovementKind::payment);
    EXPECT_EQ(m[0].at, "2026-12-08T10:00:00Z");
    EXPECT_EQ(m[1].kind, MovementKind::refund);
    EXPECT_EQ(m[1].amount, 99800);
    EXPECT_EQ(m[1].lines.size(), 2U);
}

TEST(Receipt, APaymentListsTheSellerEachLineTheTotalAndTheFormOfPayment) {
    auto o = paid_order();
    auto m = movements_of(o);
    auto html = render_receipt(kSeller, o, m[0], local);
    EXPECT_NE(html.find("Кассовый чек"), std::string::npos);
    EXPECT_NE(html.find(">Приход<"), std::string::npos);
    EXPECT_NE(html.find("ООО «Шанс-видео»"), std::string::npos);
    EXPECT_NE(html.find("7701234567"), std::string::npos);
    EXPECT_NE(html.find("УСН доход"), std::string::npos);
    EXPECT_NE(html.find("local(2026-12-07T09:00:02Z)"), std::string::npos);  // the time, in the customer's zone
    EXPECT_NE(html.find("Онлайн-показ «Маузер», 24 ч, с local(2026-12-07T09:00:02Z) по local(2026-12-08T09:00:02Z)"),
              std::string::npos);
    EXPECT_NE(html.find("Гамлет &lt;b&gt;"), std::string::npos);  // catalog text escaped
    EXPECT_EQ(html.find("Гамлет <b>"), std::string::npos);
    EXPECT_NE(html.find("998,00"), std::string::npos);  // the total
    EXPECT_NE(html.find("зачёт предоплаты"), std::string::npos);
    EXPECT_NE(html.find("Без НДС"), std::string::npos);
    EXPECT_NE(html.find("Полный расчёт"), std::string::npos);
}

TEST(Receipt, ARefundIsAReturnOfIncomeAndVatIsShownAtTheSellersRate) {
    auto o = paid_order();
    o.events = {refunded(44, "rental_cancelled", "Гамлет", 12000)};
    auto m = movements_of(o);
    auto seller = kSeller;
    seller.vat = "20";
    seller.inn.clear();
    auto html = render_receipt(seller, o, m[1], local);
    EXPECT_NE(html.find(">Возврат прихода<"), std::string::npos);
    EXPECT_NE(html.find("№ 2 по заказу"), std::string::npos);  // after the payment
    EXPECT_NE(html.find("возврат: аренда отменена"), std::string::npos);
    EXPECT_NE(html.find("НДС 20%"), std::string::npos);
    EXPECT_NE(html.find("20,00"), std::string::npos);       // 120.00 ₽ including 20 %: 20.00 ₽ of VAT
    EXPECT_NE(html.find("не указано"), std::string::npos);  // a detail the operator did not set says so
    EXPECT_EQ(html.find("Маузер"), std::string::npos);      // only the refunded rental
}
