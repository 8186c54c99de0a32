// The catalog's pure parts: a card's prices, a premiere page's JSON, a rent quote, the poster, and the routes'
// typed requests.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include "chance/core/error.hpp"

#include "chance/core/time.hpp"
#include "faults.hpp"
#include "premieres/catalog/card.hpp"
#include "premieres/catalog/catalog.hpp"
#include "premieres/catalog/poster.hpp"
#include "premieres/catalog/routes.hpp"

using namespace chance;
using namespace chance::premieres;

using chance::premieres::testing::faults;

namespace {
// 2026-11-28T12:00:00Z
constexpr time::TimePoint kNow{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 28} +
                               std::chrono::hours{12}};

CardRow row() {
    CardRow c;
    c.id = 7;
    c.title = "Маузер";
    c.description_short = "Коротко";
    c.price_theatre = 250000;
    c.price_online = 59900;
    c.discount_percent = 20;
    c.discount_until = "2026-11-28T13:00:00Z";
    c.base_period_hours = 48;
    c.reservable_from = "2026-11-01T00:00:00Z";
    c.reservable_until = "2026-12-31T00:00:00Z";
    c.actors = R"(["Петров", "Иванова"])";
    c.periods = R"([{"hours": 24, "factor": "1.000"}, {"hours": 48, "factor": "1.500"}])";
    return c;
}

http::Request request(std::map<std::string, std::string> query, std::string id = "7") {
    http::Request req;
    req.query = std::move(query);
    req.params["id"] = std::move(id);
    return req;
}

}  // namespace

TEST(Card, PricesTheBasePeriodWithTheDiscountWhileItLasts) {
    auto r = row();
    auto card = card_of(r, kNow);
    EXPECT_EQ(card.price.base.as_kopecks(), 89850);  // 599 ₽ × 1.5
    EXPECT_EQ(card.price.total.as_kopecks(), 71880);
    EXPECT_EQ((std::map<int, int>{{24, 1000}, {48, 1500}}), card.factors);
    auto later = card_of(r, *time::parse_rfc3339("2026-11-28T13:00:00Z"));
    EXPECT_EQ(later.price.discount_percent, 0);
    EXPECT_EQ(later.price.total.as_kopecks(), 89850);
}

TEST(Card, ABasePeriodMissingFromThePeriodsCostsTheOnlinePrice) {
    auto r = row();
    r.base_period_hours = 72;
    r.discount_percent = 0;
    EXPECT_EQ(card_of(r, kNow).price.total.as_kopecks(), 59900);
}

TEST(Card, JsonHasTheSpecsFieldsInOrder) {
    auto r = row();
    auto json = boost::json::serialize(to_json(card_of(r, kNow)));
    EXPECT_EQ(json,
              R"({"id":7,"title":"Маузер","actors":["Петров","Иванова"],"description":"Коротко",)"
              R"("price_theatre":250000,"price_online":89850,"discount":{"percent":20,"until":"2026-11-28T13:00:00Z"},)"
              R"("price_online_final":71880,"reservation":{"default_period":48,"periods":[24,48],)"
              R"("from":"2026-11-01T00:00:00Z","until":"2026-12-31T00:00:00Z"},)"
              R"("poster_url":"/api/v1/premiere/7/poster.svg"})");
    r.discount_percent = 0;
    EXPECT_TRUE(to_json(card_of(r, kNow)).at("discount").is_null());
}

TEST(PremierePage, TheCardThenThePremieresOtherFields) {
    auto p = std::make_shared<PremiereRow>();
    p->card = row();
    p->description_full = "Полностью";
    p->theatre = "Театр";
    p->director = "Режиссёр";
    p->genre = "драма";
    p->age_rating = "16+";
    p->duration_minutes = 150;
    p->cast = R"([{"actor": "Петров", "role": "Маузер"}])";
    auto json = to_json(premiere_page(p, kNow));
    std::vector<std::string> keys;
    for (const auto& [k, _] : json) keys.emplace_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "title", "actors", "description", "price_theatre", "price_online",
                                              "discount", "price_online_final", "reservation", "poster_url",
                                              "description_full", "theatre", "director", "genre", "age_rating",
                                              "duration_minutes", "live_at", "cast", "capacity"}));
    EXPECT_TRUE(json.at("live_at").is_null());
    EXPECT_TRUE(json.at("capacity").is_null());
    EXPECT_EQ(json.at("cast").as_array()[0].at("role").as_string(), "Маузер");
    p->capacity = 300;
    p->live_at = "2026-12-01T19:00:00Z";
    auto live = to_json(premiere_page(p, kNow));
    EXPECT_EQ(live.at("capacity").as_int64(), 300);
    EXPECT_EQ(live.at("live_at").as_string(), "2026-12-01T19:00:00Z");
}

TEST(RentQuote, PricesThePeriodAndExpiresInFifteenMinutes) {
    auto q = rent_quote_of(row(), 24, kNow);
    EXPECT_EQ(q.price.base.as_kopecks(), 59900);
    EXPECT_EQ(q.price.discount.as_kopecks(), 11980);
    EXPECT_EQ(q.price.total.as_kopecks(), 47920);
    EXPECT_EQ(boost::json::serialize(to_json(q)),
              R"({"premiere_id":7,"period":24,"base":59900,"discount":11980,"discount_percent":20,"total":47920,)"
              R"("currency":"RUB","quote_expires_at":"2026-11-28T12:15:00Z"})");
}

TEST(RentQuote, APeriodNotOfferedIsA422NamingTheAllowedOnes) {
    try {
        rent_quote_of(row(), 72, kNow);
        FAIL() << "a period not offered was quoted";
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 422);
        EXPECT_EQ(boost::json::serialize(p.extra().at("allowed_periods")), "[24,48]");
        ASSERT_EQ(p.errors().size(), 1u);
        EXPECT_EQ(p.errors()[0].field, "period");
    }
}

TEST(Poster, WrapsTheTitleAndEscapesItAndTheTheatre) {
    auto svg = poster_svg(7, "Очень длинное название <спектакля>", "Театр & Ко");
    EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
    EXPECT_NE(svg.find(">Очень длинное<"), std::string::npos) << svg;  // 13 code points fit, the next word does not
    EXPECT_NE(svg.find(">название<"), std::string::npos) << svg;
    EXPECT_NE(svg.find("&lt;спектакля&gt;"), std::string::npos) << svg;
    EXPECT_NE(svg.find("Театр &amp; Ко"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<спектакля>"), std::string::npos);
    EXPECT_NE(svg.find("#1b2a4a"), std::string::npos);  // palette 7 % 6 = 1
}

TEST(CatalogRoutes, AQuoteNeedsAPeriodOfWholeHoursAndAPositiveId) {
    auto ok = parse_quote(request({{"period", "48"}}));
    EXPECT_EQ(ok.id, 7);
    EXPECT_EQ(ok.period_hours, 48);
    EXPECT_EQ(faults([] { parse_quote(request({})); }), std::vector<std::string>{"period"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", ""}})); }), std::vector<std::string>{"period"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", "4x"}})); }), std::vector<std::string>{"period"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", "10000"}})); }), std::vector<std::string>{"period"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", "24"}}, "0")); }), std::vector<std::string>{"id"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", "24"}}, "x")); }), std::vector<std::string>{"id"});
    EXPECT_EQ(faults([] { parse_quote(request({{"period", "x"}}, "x")); }), std::vector<std::string>{"period"});
}

TEST(CatalogRoutes, TheAdminListTakesATitleFilterAndTheSearchsPaging) {
    auto r = parse_admin_list(request({{"q", "Мау"}, {"page", "2"}, {"limit", "50"}}));
    EXPECT_EQ(r.q, "Мау");
    EXPECT_EQ(r.page, 2);
    EXPECT_EQ(r.limit, 50);
    auto defaults = parse_admin_list(request({}));
    EXPECT_EQ(defaults.q, "");
    EXPECT_EQ(defaults.page, 1);
    EXPECT_EQ(defaults.limit, 20);
    EXPECT_EQ(faults([] { parse_admin_list(request({{"q", std::string(201, 'a')}})); }), std::vector<std::string>{"q"});
    EXPECT_EQ(faults([] { parse_admin_list(request({{"q", "\xff"}})); }), std::vector<std::string>{"q"});
    EXPECT_EQ(faults([] { parse_admin_list(request({{"limit", "51"}})); }), std::vector<std::string>{"limit"});
    EXPECT_EQ(faults([] { parse_admin_list(request({{"page", "0"}})); }), std::vector<std::string>{"page"});
}
