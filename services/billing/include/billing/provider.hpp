#pragma once
// What billing needs from an acquirer (YooKassa, Stripe, or the sandbox acquirer in tools/sandbox-acquirer):
// a payment created on its side with a confirmation page to send the customer to, and notifications whose
// authenticity billing can verify. Capture is idempotent on billing's side: a payment is credited once, keyed
// by its id, whatever the provider repeats. Which provider billing uses is configuration (payment-provider,
// payment-provider-url, payment-webhook-secret).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace chance::billing {

struct PaymentRequest {
    std::string payment_id;  // billing's id, also the idempotency key of the creation
    int64_t amount = 0;      // kopecks
    std::string description;
    std::string return_url;  // absolute: where the provider sends the browser back
};

struct CreatedPayment {
    std::string provider_payment_id;
    std::string confirmation_url;
};

struct ProviderNotification {
    std::string event_id;
    std::string payment_id;  // billing's
    std::string status;      // succeeded | declined
    int64_t amount = 0;
    std::string reason;
    std::string provider_payment_id;  // empty when the notification does not name it
};

class PaymentProvider {
  public:
    virtual ~PaymentProvider() = default;
    virtual const std::string& name() const = 0;
    // Creates the payment at the provider (safe to repeat with the same request). Throws a 503 problem
    // "payment-provider-unavailable" when the provider cannot be reached or refuses.
    virtual CreatedPayment create(const PaymentRequest& r) const = 0;
    // nullopt when the signature does not match; throws a 400 problem for a malformed body.
    virtual std::optional<ProviderNotification> verify(const std::string& body,
                                                       const std::optional<std::string>& signature) const = 0;
    // The header the provider signs its notifications in.
    virtual const char* signature_header() const = 0;
};

// The provider named by configuration; throws core::ConfigError for a name billing does not know.
std::unique_ptr<PaymentProvider> make_provider(const std::string& name, const std::string& api_url,
                                               const std::string& key);

}  // namespace chance::billing
