#include <gtest/gtest.h>

#include <chrono>

#include "chance/core/time.hpp"
#include "premieres/pricing.hpp"

using namespace chance;
using namespace chance::premieres;

namespace {
// 2026-11-28T12:00:00Z
constexpr time::TimePoint kNow{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 28} +
                               std::chrono::hours{12}};
}  // namespace

TEST(Pricing, FactorScalesTheBasePriceAndRoundsHalfUp) {
    auto q = quote(Money::kopecks(59900), 1500, 0, std::nullopt, kNow);
    EXPECT_EQ(q.base.as_kopecks(), 89850);
    EXPECT_EQ(q.total.as_kopecks(), 89850);
    auto odd = quote(Money::kopecks(333), 700, 0, std::nullopt, kNow);  // 233.1 → 233
    EXPECT_EQ(odd.base.as_kopecks(), 233);
    auto half = quote(Money::kopecks(5), 500, 0, std::nullopt, kNow);  // 2.5 → 3
    EXPECT_EQ(half.base.as_kopecks(), 3);
}

TEST(Pricing, DiscountAppliesUntilItsEndAndNotAtTheBoundary) {
    auto until = kNow + std::chrono::hours(1);
    auto q = quote(Money::kopecks(59900), 1000, 20, until, kNow);
    EXPECT_EQ(q.discount.as_kopecks(), 11980);
    EXPECT_EQ(q.total.as_kopecks(), 47920);
    EXPECT_EQ(q.discount_percent, 20);
    auto at_end = quote(Money::kopecks(59900), 1000, 20, until, until);
    EXPECT_EQ(at_end.discount.as_kopecks(), 0);
    EXPECT_EQ(at_end.total.as_kopecks(), 59900);
    auto open_ended = quote(Money::kopecks(1000), 1000, 15, std::nullopt, kNow);
    EXPECT_EQ(open_ended.total.as_kopecks(), 850);
}

TEST(Pricing, DiscountRoundsHalfUpOnTheScaledPrice) {
    // base 44900 × 0.7 = 31430; 25 % of it = 7857.5 → 7858
    auto q = quote(Money::kopecks(44900), 700, 25, std::nullopt, kNow);
    EXPECT_EQ(q.base.as_kopecks(), 31430);
    EXPECT_EQ(q.discount.as_kopecks(), 7858);
    EXPECT_EQ(q.total.as_kopecks(), 23572);
}

TEST(Pricing, FactorParsing) {
    EXPECT_EQ(parse_factor_milli("1.500"), 1500);
    EXPECT_EQ(parse_factor_milli("0.7"), 700);
    EXPECT_EQ(parse_factor_milli("2"), 2000);
    EXPECT_THROW(parse_factor_milli("1.2345"), std::invalid_argument);
    EXPECT_THROW(parse_factor_milli("-1"), std::invalid_argument);
    EXPECT_THROW(parse_factor_milli(""), std::invalid_argument);
}

TEST(Pricing, PeriodsFromTheCatalogQueriesJson) {
    auto f = period_factors(R"([{"hours": 48, "factor": "1.500"}, {"hours": 12, "factor": "0.7"}])");
    EXPECT_EQ(f, (std::map<int, int>{{12, 700}, {48, 1500}}));
    EXPECT_EQ(period_list(f), "12, 48");
    EXPECT_TRUE(period_factors("[]").empty());
    EXPECT_THROW(period_factors(R"([{"hours": 12, "factor": "x"}])"), std::invalid_argument);
}
