#include <gtest/gtest.h>

#include "sandbox_acquirer/cards.hpp"

using namespace chance::acquirer;

TEST(Sandbox, LuhnAndTestCards) {
    EXPECT_TRUE(luhn_valid("4242424242424242"));
    EXPECT_FALSE(luhn_valid("4242424242424241"));
    EXPECT_FALSE(luhn_valid("42424242"));
    EXPECT_EQ(check_card("4242 4242 4242 4242", "12/30", "123", 2026, 11).outcome, CardOutcome::success);
    EXPECT_EQ(check_card("4000 0000 0000 0002", "12/30", "123", 2026, 11).outcome, CardOutcome::decline);
    EXPECT_EQ(check_card("4000000000003220", "12/30", "123", 2026, 11).outcome, CardOutcome::needs_confirmation);
}

TEST(Sandbox, ErrorsNameTheField) {
    EXPECT_EQ(check_card("4242 4242 4242 4241", "12/30", "123", 2026, 11).error_field, "number");
    EXPECT_EQ(check_card("4242424242424242", "13/30", "123", 2026, 11).error_field, "expiry");
    EXPECT_EQ(check_card("4242424242424242", "10/26", "123", 2026, 11).error_field, "expiry");  // expired
    EXPECT_FALSE(check_card("4242424242424242", "11/26", "123", 2026, 11).error_field);         // this month is fine
    EXPECT_EQ(check_card("4242424242424242", "12/30", "12a", 2026, 11).error_field, "cvc");
}
