#include "billing/sandbox.hpp"

#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/config.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/client.hpp"

namespace chance::billing {

namespace {
Problem provider_unavailable() {
    return unavailable("Платёжная система недоступна, попробуйте ещё раз через несколько секунд", 2)
        .with_type("payment-provider-unavailable");
}
}  // namespace

std::string webhook_signature(const std::string& secret_key, const std::string& body) {
    return auth::hmac_sha256_hex(secret_key, body);
}

std::unique_ptr<PaymentProvider> make_provider(const std::string& name, const std::string& api_url,
                                               const std::string& key) {
    if (name == "sandbox") return std::make_unique<SandboxProvider>(api_url, key);
    throw core::ConfigError("payment-provider: unknown provider \"" + name + "\" (known: sandbox)");
}

SandboxProvider::SandboxProvider(std::string api_url, std::string key)
    : key_(std::move(key)), api_(std::make_unique<http::Client>(std::move(api_url))) {}

SandboxProvider::~SandboxProvider() = default;

CreatedPayment SandboxProvider::create(const PaymentRequest& r) const {
    auto body = boost::json::serialize(boost::json::object{{"amount", r.amount},
                                                           {"description", r.description},
                                                           {"return_url", r.return_url},
                                                           {"merchant_payment_id", r.payment_id}});
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set("Idempotency-Key", r.payment_id);  // a retried creation answers the same payment
    h.set(signature_header(), webhook_signature(key_, body));
    http::ClientResponse res;
    try {
        res = api_->send("POST", "/v1/payments", h, body);
    } catch (const Problem&) {
        throw provider_unavailable();
    }
    if (res.status != 200 && res.status != 201) {
        log::error("the payment provider refused a payment",
                   {{"status", res.status}, {"payment_id", r.payment_id}, {"body", res.body.substr(0, 300)}});
        throw provider_unavailable();
    }
    try {
        auto o = boost::json::parse(res.body).as_object();
        return {std::string(o.at("id").as_string()), std::string(o.at("confirmation_url").as_string())};
    } catch (const std::exception& e) {
        log::error("the payment provider answered nonsense", {{"error", e.what()}, {"payment_id", r.payment_id}});
        throw provider_unavailable();
    }
}

std::optional<ProviderNotification> SandboxProvider::verify(const std::string& body,
                                                            const std::optional<std::string>& signature) const {
    if (!signature || !auth::constant_time_equals(*signature, webhook_signature(key_, body))) return std::nullopt;
    json::Reader r(body);
    auto event_id = r.str("event_id", true, 100, 1);
    auto payment_id = r.str("payment_id", true, 36, 36);
    auto status = r.str("status", true, 20);
    auto amount = r.int64("amount", true, 1, 100'000'000);
    auto reason = r.str("reason", false, 300);
    auto provider_payment_id = r.str("provider_payment_id", false, 100);
    if (status && *status != "succeeded" && *status != "declined") r.fail("status", "succeeded или declined");
    if (payment_id && !is_uuid(*payment_id)) r.fail("payment_id", "Ожидается UUID");
    r.finish();
    return ProviderNotification{*event_id, *payment_id,         *status,
                                *amount,   reason.value_or(""), provider_payment_id.value_or("")};
}

std::pair<std::string, std::string> SandboxProvider::notification(const ProviderNotification& n) const {
    boost::json::object o{{"event_id", n.event_id},
                          {"payment_id", n.payment_id},
                          {"status", n.status},
                          {"amount", n.amount},
                          {"reason", n.reason}};
    if (!n.provider_payment_id.empty()) o["provider_payment_id"] = n.provider_payment_id;
    auto body = boost::json::serialize(o);
    return {body, webhook_signature(key_, body)};
}

}  // namespace chance::billing
