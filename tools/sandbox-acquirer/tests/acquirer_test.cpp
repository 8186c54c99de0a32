// The sandbox acquirer as the merchant sees it: a payment created over its signed API, paid on its page, and
// the result as a signed notification at the merchant's webhook, repeated until acknowledged.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <mutex>
#include <regex>
#include <thread>

#include "chance/auth/auth.hpp"
#include "chance/http/client.hpp"
#include "chance/http/server.hpp"
#include "sandbox_acquirer/acquirer.hpp"

using namespace chance;
using namespace std::chrono_literals;

namespace {
// NOLINTNEXTLINE(cert-err58-cpp): test constants built with operator+ and passed as std::string
const std::string kKey(32, 'k');
// NOLINTNEXTLINE(cert-err58-cpp): as above
const std::string kOrigin = "http://localhost:8080";

// The merchant: records the notifications it receives; answers `fail_first` of them with 500.
struct Merchant {
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::mutex mu;
    std::vector<std::pair<std::string, std::string>> received;  // body, signature
    std::atomic<int> fail_first{0};

    Merchant() {
        router.post("/api/v1/payments/webhook", [this](http::Request& req) {
            std::lock_guard lock(mu);
            received.emplace_back(req.body, req.headers.get(acquirer::kSignatureHeader).value_or(""));
            if (fail_first > 0) {
                --fail_first;
                return http::Response::text(500, "down");
            }
            return http::Response::json(boost::json::object{{"status", "accepted"}});
        });
        server = std::make_unique<http::Server>(http::ServerOptions{.port = 0}, router);
        server->start();
    }
    size_t count() {
        std::lock_guard lock(mu);
        return received.size();
    }
    boost::json::object last() {
        std::lock_guard lock(mu);
        return boost::json::parse(received.back().first).as_object();
    }
};

struct Env {
    Merchant merchant;
    acquirer::Acquirer acq{
        {.public_origin = kOrigin,
         .webhook_url = "http://127.0.0.1:" + std::to_string(merchant.server->port()) + "/api/v1/payments/webhook",
         .key = kKey,
         .retry_first = 20ms,
         .retry_max = 100ms}};
    http::Router router;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<http::Client> client;

    Env() {
        acq.install(router);
        server = std::make_unique<http::Server>(http::ServerOptions{.port = 0}, router);
        server->start();
        client = std::make_unique<http::Client>("http://127.0.0.1:" + std::to_string(server->port()));
    }

    http::ClientResponse create(const std::string& body, const std::string& key, const std::string& sig_key = kKey) {
        http::Headers h;
        h.set("Content-Type", "application/json");
        h.set("Idempotency-Key", key);
        h.set(acquirer::kSignatureHeader, acquirer::signature(sig_key, body));
        return client->send("POST", "/v1/payments", h, body);
    }
    // A payment of `amount` for merchant payment `mid`: {id, confirmation path}.
    std::pair<std::string, std::string> payment(int64_t amount, const std::string& mid) {
        auto body = boost::json::serialize(boost::json::object{{"amount", amount},
                                                               {"description", "Пополнение"},
                                                               {"return_url", kOrigin + "/checkout?payment=" + mid},
                                                               {"merchant_payment_id", mid}});
        auto r = create(body, mid);
        EXPECT_EQ(r.status, 201) << r.body;
        auto o = boost::json::parse(r.body).as_object();
        std::string url(o["confirmation_url"].as_string());
        return {std::string(o["id"].as_string()), url.substr(kOrigin.size())};
    }
    std::string token(const std::string& path) {
        auto page = client->send("GET", path);
        EXPECT_EQ(page.status, 200);
        std::smatch m;
        EXPECT_TRUE(std::regex_search(page.body, m, std::regex("name=\"form_token\" value=\"([^\"]+)\"")));
        return m[1];
    }
    http::ClientResponse post_form(const std::string& path, const std::string& form) {
        http::Headers h;
        h.set("Content-Type", "application/x-www-form-urlencoded");
        return client->send("POST", path, h, form);
    }
    http::ClientResponse pay(const std::string& path, const std::string& card) {
        return post_form(path, "form_token=" + token(path) + "&number=" + card + "&expiry=12%2F30&cvc=123&holder=X");
    }
};

bool eventually(const std::function<bool()>& pred) {
    for (int i = 0; i < 200 && !pred(); ++i) std::this_thread::sleep_for(10ms);
    return pred();
}
}  // namespace

TEST(SandboxAcquirer, CreatesPaymentsOnlyForSignedIdempotentRequests) {
    Env e;
    std::string body = R"({"amount":1000,"return_url":"/checkout","merchant_payment_id":"m1"})";
    EXPECT_EQ(e.create(body, "m1", std::string(32, 'x')).status, 401);
    http::Headers h;
    h.set(acquirer::kSignatureHeader, acquirer::signature(kKey, body));
    EXPECT_EQ(e.client->send("POST", "/v1/payments", h, body).status, 400);  // no Idempotency-Key
    auto first = e.create(body, "m1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto o = boost::json::parse(first.body).as_object();
    std::string id(o["id"].as_string());
    EXPECT_EQ(o["confirmation_url"].as_string(), kOrigin + "/pay/" + id);
    auto again = e.create(body, "m1");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(boost::json::parse(again.body).as_object()["id"].as_string(), id);
    EXPECT_EQ(e.create(R"({"amount":2000,"return_url":"/checkout","merchant_payment_id":"m1"})", "m1").status, 422);
    EXPECT_EQ(e.create(R"({"amount":0,"return_url":"/checkout","merchant_payment_id":"m2"})", "m2").status, 400);
    EXPECT_EQ(e.client->send("GET", "/pay/pay_unknown").status, 404);
}

TEST(SandboxAcquirer, PaidCardNotifiesTheMerchantSignedAndReturnsTheBrowser) {
    Env e;
    auto [id, path] = e.payment(50000, "018bcfe5-6800-7000-8000-000000000001");
    EXPECT_EQ(path, "/pay/" + id);
    auto form = "form_token=" + e.token(path) + "&number=4242+4242+4242+4242&expiry=12%2F30&cvc=123";
    auto r = e.post_form(path, form);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.headers.get("Location").value_or(""), "/checkout?payment=018bcfe5-6800-7000-8000-000000000001");
    ASSERT_EQ(e.merchant.count(), 1u);  // delivered before the browser is sent back
    {
        std::lock_guard lock(e.merchant.mu);
        auto& [body, sig] = e.merchant.received[0];
        EXPECT_EQ(sig, auth::hmac_sha256_hex(kKey, body));
    }
    auto n = e.merchant.last();
    EXPECT_EQ(n["payment_id"].as_string(), "018bcfe5-6800-7000-8000-000000000001");
    EXPECT_EQ(n["provider_payment_id"].as_string(), id);
    EXPECT_EQ(n["status"].as_string(), "succeeded");
    EXPECT_EQ(n["amount"].as_int64(), 50000);
    EXPECT_EQ(e.client->send("GET", path).status, 303);  // the page of a paid payment sends the browser back
    EXPECT_EQ(e.post_form(path, form).status, 303);      // the form sent again
    EXPECT_EQ(e.merchant.count(), 1u);                   // paid once
}

TEST(SandboxAcquirer, DeclinedCardAndConfirmationCode) {
    Env e;
    auto [declined, dpath] = e.payment(1000, "m-declined");
    auto r = e.pay(dpath, "4000000000000002");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("Оплата отклонена"), std::string::npos);
    EXPECT_EQ(e.merchant.last()["status"].as_string(), "declined");

    auto [confirmed, cpath] = e.payment(1000, "m-code");
    auto bad = e.pay(cpath, "4242424242424241");
    EXPECT_EQ(bad.status, 422);
    EXPECT_NE(bad.body.find("Проверьте номер карты"), std::string::npos);
    EXPECT_EQ(e.post_form(cpath, "form_token=forged&number=4242424242424242&expiry=12%2F30&cvc=123").status, 403);
    auto step = e.pay(cpath, "4000000000003220");
    EXPECT_EQ(step.status, 200);
    EXPECT_NE(step.body.find("Подтверждение"), std::string::npos);
    EXPECT_EQ(e.merchant.count(), 1u);  // nothing decided yet
    auto done = e.post_form(cpath + "/confirm", "form_token=" + e.token(cpath) + "&code=123456");
    EXPECT_EQ(done.status, 303);
    EXPECT_EQ(e.merchant.last()["status"].as_string(), "succeeded");
}

TEST(SandboxAcquirer, RepeatsANotificationUntilAcknowledged) {
    Env e;
    e.merchant.fail_first = 5;  // the synchronous attempt (with the client's retries) and some background ones
    auto [id, path] = e.payment(700, "m-retry");
    EXPECT_EQ(e.pay(path, "4242424242424242").status, 303);  // the browser is not held hostage
    // Five refusals, then the sixth attempt is acknowledged and nothing is left to repeat.
    EXPECT_TRUE(eventually([&] { return e.merchant.count() >= 6 && e.acq.undelivered() == 0; }));
    std::this_thread::sleep_for(300ms);  // longer than the longest backoff: no further attempt
    EXPECT_EQ(e.merchant.count(), 6u);
    EXPECT_EQ(e.acq.undelivered(), 0u);
    EXPECT_EQ(e.merchant.last()["payment_id"].as_string(), "m-retry");
}
