// Ordering's pure rules, without a database: a line against its premiere's terms, the order's shape and rule
// errors (400 or 422), re-quoting at confirmation and the seats of live shows.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>

#include "chance/core/time.hpp"
#include "premieres/ordering/domain.hpp"
#include "premieres/ordering/routes.hpp"

using namespace chance;
using namespace chance::premieres::ordering;

namespace {
// 2026-11-28T12:00:00Z
constexpr time::TimePoint kNow{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 28} +
                               std::chrono::hours{12}};

PremiereTerms mauser() {
    PremiereTerms t;
    t.id = 7;
    t.title = "Маузер";
    t.price_online = Money::kopecks(59900);
    t.from = kNow - std::chrono::hours(24);
    t.until = kNow + std::chrono::hours(24 * 30);
    t.factors = {{24, 1000}, {48, 1500}};
    t.base_period = 24;
    return t;
}

TermsLookup only(const PremiereTerms& t) {
    return [t](int64_t id) -> std::optional<PremiereTerms> {
        if (id == t.id) return t;
        return std::nullopt;
    };
}

LineInput line(int64_t premiere, std::optional<int> period, std::optional<std::string> starts = std::nullopt) {
    return {premiere, period, std::move(starts), {}};
}

// The problem check_order throws.
Problem refusal(const OrderForm& form, const TermsLookup& terms) {
    try {
        check_order(form, terms, kNow);
    } catch (const Problem& p) {
        return p;
    }
    ADD_FAILURE() << "the order was accepted";
    return Problem(200, "");
}
}  // namespace

TEST(OrderingLine, PricesThePeriodAndDefaultsToTheBasePeriodAndNow) {
    std::vector<LineError> errors;
    auto l = check_line(line(7, 48, "2026-11-29T19:00:00Z"), mauser(), std::nullopt, kNow, "items[0]", errors);
    ASSERT_TRUE(l);
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(l->period, 48);
    EXPECT_EQ(l->price.as_kopecks(), 89850);  // 599 ₽ × 1.5
    EXPECT_EQ(l->starts_at, *time::parse_rfc3339("2026-11-29T19:00:00Z"));
    EXPECT_FALSE(l->starts_on_payment);
    // Without a start the window opens when the order is paid: checked as now, and marked so.
    auto d = check_line(line(7, std::nullopt), mauser(), std::nullopt, kNow, "items[0]", errors);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->period, 24);
    EXPECT_EQ(d->starts_at, kNow);
    EXPECT_TRUE(d->starts_on_payment);
    EXPECT_EQ(d->price.as_kopecks(), 59900);
}

TEST(OrderingLine, RefusesEachBrokenRuleWithItsField) {
    auto err = [](const LineInput& in, const std::optional<PremiereTerms>& t) {
        std::vector<LineError> errors;
        EXPECT_FALSE(check_line(in, t, std::nullopt, kNow, "items[2]", errors));
        EXPECT_EQ(errors.size(), 1u);
        EXPECT_EQ(errors.at(0).fault, Fault::rule);
        return errors.at(0).error;
    };
    EXPECT_EQ(err(line(7, 24), std::nullopt).field, "items[2].premiere_id");
    auto hidden = mauser();
    hidden.hidden = true;
    EXPECT_EQ(err(line(7, 24), hidden).field, "items[2].premiere_id");
    auto period = err(line(7, 12), mauser());
    EXPECT_EQ(period.field, "items[2].period");
    EXPECT_EQ(period.message, "Можно выбрать: 24, 48 ч.");
    EXPECT_EQ(err(line(7, 24, "завтра"), mauser()).message, "Дата и время в формате RFC 3339");
    EXPECT_EQ(err(line(7, 24, "2026-11-28T11:54:00Z"), mauser()).message, "Время начала уже прошло");
    auto late = err(line(7, 24, "2027-02-01T00:00:00Z"), mauser());
    EXPECT_EQ(late.field, "items[2].starts_at");
    EXPECT_NE(late.message.find("можно забронировать"), std::string::npos);
    std::vector<LineError> errors;  // five minutes of slack for a start "now" sent a moment ago
    EXPECT_TRUE(check_line(line(7, 24, "2026-11-28T11:56:00Z"), mauser(), std::nullopt, kNow, "items[0]", errors));
}

TEST(OrderingOrder, AnyShapeErrorIs400ElseRulesAre422ListingEveryErrorInOrder) {
    OrderForm rules{{line(7, 12), line(8, 24)}};
    auto p = refusal(rules, only(mauser()));
    EXPECT_EQ(p.status(), 422);
    ASSERT_EQ(p.errors().size(), 2u);
    EXPECT_EQ(p.errors()[0].field, "items[0].period");
    EXPECT_EQ(p.errors()[1].field, "items[1].premiere_id");
    EXPECT_EQ(p.detail(), "Заказ нельзя оформить: проверьте поле items[0].period");

    OrderForm mixed{{line(7, 12), LineInput{}}};
    mixed.lines[1].errors.push_back({{"items[1].period", "Ожидается целое число"}, Fault::shape});
    auto q = refusal(mixed, only(mauser()));
    EXPECT_EQ(q.status(), 400);
    ASSERT_EQ(q.errors().size(), 2u);  // the rule error of the first line is listed too
    EXPECT_EQ(q.errors()[0].field, "items[0].period");
    EXPECT_EQ(q.errors()[1].field, "items[1].period");
    EXPECT_EQ(q.detail(), "Проверьте поле items[0].period");
}

TEST(OrderingOrder, OneToTwentyLinesEachPremiereOnce) {
    EXPECT_EQ(refusal(OrderForm{}, only(mauser())).status(), 422);
    OrderForm many;
    for (int i = 0; i < 21; ++i) many.lines.push_back(line(7, 24));
    auto p = refusal(many, only(mauser()));
    EXPECT_EQ(p.status(), 422);
    EXPECT_EQ(p.errors().at(0).message, "Не больше 20 премьер в заказе");
    auto twice = refusal(OrderForm{{line(7, 24), line(7, 48)}}, only(mauser()));
    EXPECT_EQ(twice.status(), 422);
    ASSERT_EQ(twice.errors().size(), 1u);
    EXPECT_EQ(twice.errors()[0].field, "items[1].premiere_id");
    auto ok = check_order(OrderForm{{line(7, 48)}}, only(mauser()), kNow);
    ASSERT_EQ(ok.size(), 1u);
    EXPECT_EQ(total_of(ok).as_kopecks(), 89850);
}

TEST(OrderingForm, MissingOrMistypedFieldsAreShapeAndOutOfRangeValuesRules) {
    auto form = read_order_form(
        R"({"items": [{"premiere_id": 7, "period": 24, "starts_at": "2026-11-29T19:00:00Z"},
                      {"period": "24", "starts_at": 5}, 3,
                      {"id": 9, "period": 721, "starts_at": "2026-11-29T19:00:00Z"},
                      {"premiere_id": 18446744073709551615, "period": 24, "starts_at": "2026-11-29T19:00:00Z"},
                      {"premiere_id": 8, "period": 12}]})");
    ASSERT_EQ(form.lines.size(), 6u);
    EXPECT_TRUE(form.lines[5].errors.empty());  // no start: it starts when paid
    EXPECT_FALSE(form.lines[5].starts_at);
    EXPECT_TRUE(form.lines[0].errors.empty());
    EXPECT_EQ(form.lines[0].premiere_id, 7);
    ASSERT_EQ(form.lines[1].errors.size(), 3u);  // premiere_id missing, period and starts_at of the wrong type
    for (const auto& e : form.lines[1].errors) EXPECT_EQ(e.fault, Fault::shape) << e.error.field;
    EXPECT_EQ(form.lines[1].errors[0].error.field, "items[1].id");
    ASSERT_EQ(form.lines[2].errors.size(), 1u);
    EXPECT_EQ(form.lines[2].errors[0].error.field, "items[2]");
    EXPECT_EQ(form.lines[2].errors[0].fault, Fault::shape);
    ASSERT_EQ(form.lines[3].errors.size(), 1u);  // the "id" spelling is read too; 721 hours is out of range
    EXPECT_EQ(form.lines[3].errors[0].error.field, "items[3].period");
    EXPECT_EQ(form.lines[3].errors[0].fault, Fault::rule);
    ASSERT_EQ(form.lines[4].errors.size(), 1u);  // too large an integer: a rule, as before (422)
    EXPECT_EQ(form.lines[4].errors[0].fault, Fault::rule);
    EXPECT_THROW(read_order_form(R"({"items": {}})"), Problem);
    EXPECT_THROW(read_order_form("[]"), Problem);
}

TEST(OrderingRequote, SamePriceChangedPriceAndGonePremieres) {
    PlacedLine placed{7, "Маузер", 48, 89850};
    EXPECT_EQ(requote(placed, mauser(), kNow).kind, Requote::same);
    auto dearer = mauser();
    dearer.price_online = Money::kopecks(69900);
    auto r = requote(placed, dearer, kNow);
    EXPECT_EQ(r.kind, Requote::price_changed);
    EXPECT_EQ(r.new_price, 104850);
    auto p = requote_problem(placed, r);
    EXPECT_EQ(p.status(), 409);
    EXPECT_EQ(p.type(), "price-changed");
    EXPECT_EQ(p.extra().at("new_price").as_int64(), 104850);
    auto discounted = mauser();  // a discount that started after the quote changes the price too
    discounted.discount_percent = 20;
    EXPECT_EQ(requote(placed, discounted, kNow).kind, Requote::price_changed);
    auto ended = discounted;  // one that ended before now does not
    ended.discount_until = kNow - std::chrono::minutes(1);
    EXPECT_EQ(requote(placed, ended, kNow).kind, Requote::same);
    EXPECT_EQ(requote(placed, std::nullopt, kNow).kind, Requote::unavailable);
    auto hidden = mauser();
    hidden.hidden = true;
    EXPECT_EQ(requote(placed, hidden, kNow).kind, Requote::unavailable);
    auto fewer = mauser();
    fewer.factors.erase(48);
    auto gone = requote(placed, fewer, kNow);
    EXPECT_EQ(gone.kind, Requote::unavailable);
    EXPECT_EQ(requote_problem(placed, gone).status(), 409);
    EXPECT_EQ(requote_problem(placed, gone).type(), "conflict");
}

TEST(OrderingSeats, ALiveShowIsSoldOutWhenEverySeatIsTaken) {
    EXPECT_FALSE(sold_out(std::nullopt, 1000));  // a recording has no seats to run out of
    EXPECT_FALSE(sold_out(5, 4));
    EXPECT_TRUE(sold_out(5, 5));
    EXPECT_TRUE(sold_out(5, 6));
    EXPECT_TRUE(sold_out(0, 0));
}

TEST(OrderingPayment, APendingOrderSaysWhetherTheBalanceCoversIt) {
    Order o;
    o.total = 59900;
    offer_payment(o, 60000);
    EXPECT_EQ(o.next, "confirm");
    EXPECT_EQ(o.shortfall, 0);
    offer_payment(o, 59900);
    EXPECT_EQ(o.next, "confirm");
    offer_payment(o, 10000);
    EXPECT_EQ(o.next, "top_up");
    EXPECT_EQ(o.shortfall, 49900);
    EXPECT_EQ(o.balance, 10000);
}

TEST(OrderingJson, AnOrderRendersItsFieldsInTheirOrder) {
    Order o{"o1",
            "pending_payment",
            100,
            "2026-11-28T12:00:00Z",
            {{7, "Маузер", 24, "a", "b", 100, true}, {8, "Гамлет", 12, "c", "d", 50, false, 3}},
            {},
            {},
            {}};
    EXPECT_EQ(boost::json::serialize(to_json(o)),
              R"({"id":"o1","status":"pending_payment","total":100,"created_at":"2026-11-28T12:00:00Z",)"
              R"("items":[{"premiere_id":7,"title":"Маузер","period":24,"starts_at":"a","ends_at":"b",)"
              R"("starts_on_payment":true,"price":100,"show_id":null},{"premiere_id":8,"title":"Гамлет","period":12,)"
              R"("starts_at":"c","ends_at":"d","starts_on_payment":false,"price":50,"show_id":3}]})");
    offer_payment(o, 40);
    auto s = boost::json::serialize(to_json(o));
    EXPECT_NE(s.find(R"(],"balance":40,"next":"top_up","shortfall":60})"), std::string::npos) << s;
}

TEST(OrderingShow, WhatABuyerIsToldOfAShowComesFromItsSeatsAndState) {
    EXPECT_EQ(show_status(4, 3, false, false), "on_sale");
    EXPECT_EQ(show_status(4, 4, false, false), "sold_out");
    EXPECT_EQ(show_status(4, 5, false, false), "sold_out");  // more taken than seats is sold out too
    EXPECT_EQ(show_status(4, 0, false, true), "started");
    EXPECT_EQ(show_status(4, 0, true, true), "cancelled");
    EXPECT_EQ(seats_left(4, 3), 1);
    EXPECT_EQ(seats_left(4, 6), 0);
}

TEST(OrderingLine, ASeatAtALiveShowStartsAtTheShowAndHoldsItsSeats) {
    ShowTerms show{.id = 3, .premiere_id = 7, .starts_at = kNow + std::chrono::hours(50), .capacity = 40};
    auto with_show = [](std::optional<std::string> starts = std::nullopt) {
        auto in = line(7, 24, std::move(starts));
        in.show_id = 3;
        return in;
    };
    std::vector<LineError> errors;
    auto l = check_line(with_show(), mauser(), show, kNow, "items[0]", errors);
    ASSERT_TRUE(l) << (errors.empty() ? "" : errors[0].error.message);
    EXPECT_EQ(l->starts_at, show.starts_at);
    EXPECT_EQ(l->show_id, 3);
    EXPECT_EQ(l->capacity, 40);
    EXPECT_FALSE(l->starts_on_payment);
    EXPECT_EQ(l->price, Money::kopecks(59900));
    // A line without a show holds no seat, whatever the premiere.
    auto plain = check_line(line(7, 24), mauser(), std::nullopt, kNow, "items[0]", errors);
    ASSERT_TRUE(plain);
    EXPECT_FALSE(plain->capacity);
    EXPECT_FALSE(plain->show_id);

    auto refused = [&](const LineInput& in, const std::optional<ShowTerms>& s) {
        std::vector<LineError> e;
        EXPECT_FALSE(check_line(in, mauser(), s, kNow, "items[1]", e));
        return e.empty() ? std::string() : e[0].error.field + ": " + e[0].error.message;
    };
    EXPECT_EQ(refused(with_show(), std::nullopt), "items[1].show_id: Показ не найден");
    auto elsewhere = show;
    elsewhere.premiere_id = 8;
    EXPECT_EQ(refused(with_show(), elsewhere), "items[1].show_id: Показ не найден");
    auto cancelled = show;
    cancelled.cancelled = true;
    EXPECT_EQ(refused(with_show(), cancelled), "items[1].show_id: Этот показ отменён");
    auto started = show;
    started.starts_at = kNow;
    EXPECT_EQ(refused(with_show(), started), "items[1].show_id: Показ уже начался");
    EXPECT_EQ(refused(with_show("2026-11-29T19:00:00Z"), show),
              "items[1].starts_at: Время начала задаёт показ: не указывайте его");
    // Through check_order: the lookup is asked for the line's show.
    OrderForm form{{with_show()}};
    auto lines = check_order(
        form, only(mauser()), [&](int64_t id) { return id == 3 ? std::optional(show) : std::nullopt; }, kNow);
    EXPECT_EQ(lines.at(0).show_id, 3);
}
