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

// What billing needs from an acquirer (YooKassa, Stripe, or the sandbox): a confirmation page to send the
// customer to, and notifications whose authenticity billing can verify. Capture is idempotent on billing's
// side: a payment is credited once, keyed by its id, whatever the provider repeats.
struct ProviderNotification {
    std::string event_id;
    std::string payment_id;
    std::string status;  // succeeded | declined
    int64_t amount = 0;
    std::string reason;
};

class PaymentProvider {
  public:
    virtual ~PaymentProvider() = default;
    // Where the customer confirms the payment (card form, 3-D Secure).
    virtual std::string confirmation_url(const std::string& payment_id) const = 0;
    // nullopt when the signature does not match; throws a 400 problem for a malformed body.
    virtual std::optional<ProviderNotification> verify(const std::string& body,
                                                       const std::optional<std::string>& signature) const = 0;
    // The header the provider signs its notifications in.
    virtual const char* signature_header() const = 0;
};

class SandboxProvider final : public PaymentProvider {
  public:
    SandboxProvider(std::string public_origin, std::string key)
        : origin_(std::move(public_origin)), key_(std::move(key)) {}
    std::string confirmation_url(const std::string& payment_id) const override;
    std::optional<ProviderNotification> verify(const std::string& body,
                                               const std::optional<std::string>& signature) const override;
    const char* signature_header() const override { return "X-Sandbox-Signature"; }
    // The notification the sandbox sends for a result, with its signature.
    std::pair<std::string, std::string> notification(const ProviderNotification& n) const;

  private:
    std::string origin_;
    std::string key_;
};

}  // namespace chance::billing
