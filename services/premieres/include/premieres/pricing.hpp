#pragma once
// Rental price for a period (DESIGN §4): base online price × the period's factor, minus the discount while
// it is valid, each step rounded half-up to the kopeck. Pure; unit-tested.
#include <chrono>
#include <optional>

#include "chance/core/money.hpp"

namespace chance::premieres {

struct Quote {
    Money base;      // online price scaled to the period
    Money discount;  // amount taken off (0 when none or expired)
    Money total;     // what the customer pays
    int discount_percent = 0;
};

// factor_milli: the period's price factor in thousandths (1.5 → 1500).
Quote quote(Money online_price, int factor_milli, int discount_percent,
            std::optional<std::chrono::system_clock::time_point> discount_until,
            std::chrono::system_clock::time_point now);

// "1.500" → 1500; throws std::invalid_argument on anything else.
int parse_factor_milli(const std::string& numeric);

}  // namespace chance::premieres
