#pragma once
// The sandbox payment provider: the local stand-in for an acquirer (YooKassa, Stripe). It runs the real
// flow — a payment page at the confirmation URL, a card form, a confirmation step for some cards, and a
// webhook signed with HMAC-SHA256 that billing verifies before crediting anything.
#include <optional>
#include <string>

namespace chance::billing {

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

// The provider's notification body and its signature header value.
std::string webhook_signature(const std::string& secret_key, const std::string& body);

}  // namespace chance::billing
