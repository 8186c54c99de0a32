#include <gtest/gtest.h>

#include "chance/core/money.hpp"

using chance::Money;

TEST(Money, FormatsRussianStyle) {
    EXPECT_EQ(Money::kopecks(123450).format(), "1\u00A0234,50\u00A0₽");
    EXPECT_EQ(Money::kopecks(5).format(), "0,05\u00A0₽");
    EXPECT_EQ(Money::kopecks(100000000).format(), "1\u00A0000\u00A0000,00\u00A0₽");
    EXPECT_EQ(Money::kopecks(-250).format(), "-2,50\u00A0₽");
}

TEST(Money, ScaleRoundsHalfUp) {
    EXPECT_EQ(Money::kopecks(101).scale_half_up(1, 2).as_kopecks(), 51);  // 50.5 -> 51
    EXPECT_EQ(Money::kopecks(99).scale_half_up(1, 2).as_kopecks(), 50);   // 49.5 -> 50
    EXPECT_EQ(Money::kopecks(100).scale_half_up(1, 3).as_kopecks(), 33);  // 33.33 -> 33
    EXPECT_EQ(Money::kopecks(49900).scale_half_up(1500, 1000).as_kopecks(), 74850);
}

TEST(Money, DiscountRoundsTheDiscountHalfUp) {
    EXPECT_EQ(Money::kopecks(49900).minus_percent(15).as_kopecks(), 49900 - 7485);
    EXPECT_EQ(Money::kopecks(1).minus_percent(50).as_kopecks(), 0);  // discount 0.5 rounds to 1
    EXPECT_EQ(Money::kopecks(1000).minus_percent(0).as_kopecks(), 1000);
    EXPECT_EQ(Money::kopecks(1000).minus_percent(100).as_kopecks(), 0);
    EXPECT_THROW(Money::kopecks(1000).minus_percent(101), std::invalid_argument);
}

TEST(Money, OverflowThrowsInsteadOfWrapping) {
    auto big = Money::kopecks(INT64_MAX);
    EXPECT_THROW(big + Money::kopecks(1), chance::MoneyOverflow);
    EXPECT_THROW(Money::kopecks(INT64_MIN) - Money::kopecks(1), chance::MoneyOverflow);
    EXPECT_THROW(big * 2, chance::MoneyOverflow);
    EXPECT_THROW(big.scale_half_up(3, 1), chance::MoneyOverflow);
}
