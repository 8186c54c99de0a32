#pragma once
// Rental price for a period (docs/architecture.md §1, "Prices"): base online price × the period's factor, minus the
// discount while it is valid, each step rounded half-up to the kopeck. Pure; unit-tested.
#include <chrono>
#include <map>
#include <optional>
#include <string>

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

// A premiere's allowed periods as the catalog queries aggregate them, `[{"hours": 24, "factor": "1.000"}, …]`,
// → hours → factor in thousandths, in order of hours.
std::map<int, int> period_factors(const std::string& periods_json);
// Their hours for a customer: "12, 24, 48".
std::string period_list(const std::map<int, int>& factors);

}  // namespace chance::premieres
