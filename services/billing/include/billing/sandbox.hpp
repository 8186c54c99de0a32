#pragma once
// The sandbox acquirer (tools/sandbox-acquirer) as billing's payment provider: payments created over its API
// (the body signed with HMAC-SHA256 in X-Sandbox-Signature, Idempotency-Key = billing's payment id), and its
// notifications verified with the same key before anything is credited.
#include <memory>
#include <string>
#include <utility>

#include "billing/provider.hpp"

namespace chance::http {
class Client;
}

namespace chance::billing {

// HMAC-SHA256 of the body with the shared key, hex: the X-Sandbox-Signature of requests and notifications.
std::string webhook_signature(const std::string& secret_key, const std::string& body);

class SandboxProvider final : public PaymentProvider {
  public:
    // api_url: the acquirer's base URL (http://127.0.0.1:10090); key: the raw shared key.
    SandboxProvider(std::string api_url, std::string key);
    ~SandboxProvider() override;
    const std::string& name() const override { return name_; }
    CreatedPayment create(const PaymentRequest& r) const override;
    std::optional<ProviderNotification> verify(const std::string& body,
                                               const std::optional<std::string>& signature) const override;
    const char* signature_header() const override { return "X-Sandbox-Signature"; }
    // The notification the sandbox acquirer sends for a result, with its signature (the format verify() takes;
    // for tests that stand in for the acquirer).
    std::pair<std::string, std::string> notification(const ProviderNotification& n) const;

  private:
    std::string name_ = "sandbox";
    std::string key_;
    std::unique_ptr<http::Client> api_;
};

}  // namespace chance::billing
