// billing's side of the acquirer: payments created over its signed API, notifications verified with the key.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>

#include "billing/sandbox.hpp"
#include "chance/core/config.hpp"
#include "chance/http/server.hpp"

using namespace chance;
using namespace chance::billing;

namespace {
// The acquirer key, 32 characters (a char array: a std::string constant could throw before main).
constexpr const char* kKey = "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww";

// An acquirer answering POST /v1/payments with `status` (recording the request).
struct FakeAcquirer {
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::mutex mu;
    std::string body, signature, key;
    int status = 201;

    FakeAcquirer() {
        router.post("/v1/payments", [this](http::Request& req) {
            std::lock_guard lock(mu);
            body = req.body;
            signature = req.headers.get("X-Sandbox-Signature").value_or("");
            key = req.headers.get("Idempotency-Key").value_or("");
            return http::Response::json(
                status, boost::json::object{{"id", "pay_1"}, {"confirmation_url", "http://localhost:8080/pay/pay_1"}});
        });
        server = std::make_unique<http::Server>(http::ServerOptions{.port = 0}, router);
        server->start();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
};
}  // namespace

TEST(Sandbox, ProviderNotificationsVerifyOnlyWithTheKey) {
    SandboxProvider p("http://127.0.0.1:1", kKey);
    auto [body, sig] = p.notification({"evt_1", "018bcfe5-6800-7000-8000-000000000000", "succeeded", 1000, ""});
    EXPECT_EQ(sig, webhook_signature(kKey, body));
    auto n = p.verify(body, sig);
    ASSERT_TRUE(n);
    EXPECT_EQ(n->amount, 1000);
    EXPECT_EQ(n->status, "succeeded");
    EXPECT_EQ(n->provider_payment_id, "");
    EXPECT_FALSE(p.verify(body, std::nullopt));
    EXPECT_FALSE(p.verify(body + " ", sig));
    SandboxProvider other("http://127.0.0.1:1", std::string(32, 'x'));
    EXPECT_FALSE(other.verify(body, sig));
}

TEST(Sandbox, CreatesThePaymentAtTheAcquirerWithASignedIdempotentRequest) {
    FakeAcquirer a;
    SandboxProvider p(a.url(), kKey);
    auto created = p.create({"018bcfe5-6800-7000-8000-000000000000", 50000, "Пополнение",
                             "http://localhost:8080/checkout?payment=018bcfe5-6800-7000-8000-000000000000"});
    EXPECT_EQ(created.provider_payment_id, "pay_1");
    EXPECT_EQ(created.confirmation_url, "http://localhost:8080/pay/pay_1");
    std::lock_guard lock(a.mu);
    EXPECT_EQ(a.signature, webhook_signature(kKey, a.body));
    EXPECT_EQ(a.key, "018bcfe5-6800-7000-8000-000000000000");
    auto sent = boost::json::parse(a.body).as_object();
    EXPECT_EQ(sent["amount"].as_int64(), 50000);
    EXPECT_EQ(sent["merchant_payment_id"].as_string(), "018bcfe5-6800-7000-8000-000000000000");
    EXPECT_EQ(sent["return_url"].as_string(),
              "http://localhost:8080/checkout?payment=018bcfe5-6800-7000-8000-000000000000");
}

TEST(Sandbox, AnAcquirerThatRefusesOrIsDownIsATypedUnavailableProblem) {
    FakeAcquirer a;
    a.status = 401;
    for (const auto& url : {a.url(), std::string("http://127.0.0.1:1")}) {
        SandboxProvider p(url, kKey);
        try {
            p.create({"018bcfe5-6800-7000-8000-000000000000", 100, "", "http://localhost:8080/billing"});
            FAIL() << url;
        } catch (const Problem& e) {
            EXPECT_EQ(e.status(), 503);
            EXPECT_EQ(e.type(), "payment-provider-unavailable");
        }
    }
    EXPECT_THROW(make_provider("stripe", a.url(), kKey), core::ConfigError);
}
