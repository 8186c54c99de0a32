#pragma once
// The sandbox acquirer's card checks: what a real acquirer's card form would refuse, and the test cards
// that decide the outcome.
#include <optional>
#include <string>

namespace chance::acquirer {

enum class CardOutcome { success, decline, needs_confirmation };

// Digits only (spaces allowed in input); Luhn-valid; test cards decide the outcome, other valid cards succeed.
struct CardCheck {
    std::optional<std::string> error_field;  // "number" | "expiry" | "cvc"
    std::string error;                       // Russian message
    CardOutcome outcome = CardOutcome::success;
};

bool luhn_valid(const std::string& digits);
// expiry "MM/YY"; now_year/now_month of today (UTC).
CardCheck check_card(const std::string& number, const std::string& expiry, const std::string& cvc, int now_year,
                     int now_month);

// The code the card 4000 0000 0000 3220 asks for.
inline constexpr const char* kConfirmationCode = "123456";

}  // namespace chance::acquirer
