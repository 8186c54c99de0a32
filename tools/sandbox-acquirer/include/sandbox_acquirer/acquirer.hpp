#pragma once
// The sandbox acquirer: a stand-in for YooKassa or Stripe in development and tests, not part of the store.
// It speaks to billing only as an acquirer would:
//   - POST /v1/payments (server to server, the body signed with the shared key in X-Sandbox-Signature,
//     Idempotency-Key required) creates a payment and answers its id and confirmation URL;
//   - the customer pays on the confirmation page (/pay/<id>: card form, a code step for some cards);
//   - the result goes to billing's webhook URL as a notification signed with HMAC-SHA256 of the body
//     (X-Sandbox-Signature), repeated until billing answers 200; the browser then returns to the return URL.
// Payments live in memory: a restart forgets the unfinished ones, as a sandbox may.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "chance/http/client.hpp"
#include "chance/http/router.hpp"

namespace chance::acquirer {

struct Options {
    std::string public_origin;  // the origin its pages are reached at: confirmation URLs are <origin>/pay/<id>
    std::string webhook_url;    // the merchant's (billing's) notification endpoint
    std::string key;            // the raw HMAC key shared with the merchant
    std::chrono::milliseconds retry_first{500};
    std::chrono::milliseconds retry_max{30'000};
};

// HMAC-SHA256 of the body, hex: the X-Sandbox-Signature of requests and notifications.
std::string signature(const std::string& key, const std::string& body);
inline constexpr const char* kSignatureHeader = "X-Sandbox-Signature";

class Acquirer {
  public:
    explicit Acquirer(Options options);
    ~Acquirer();
    Acquirer(const Acquirer&) = delete;
    Acquirer& operator=(const Acquirer&) = delete;

    // The API, the pages, /healthz, /readyz and /metrics.
    void install(http::Router& router);
    // Notifications not yet acknowledged by the merchant.
    size_t undelivered() const;

    struct Payment {
        std::string id;
        std::string merchant_payment_id;
        int64_t amount = 0;
        std::string description;
        std::string return_url;
        std::string form_token;
        std::string request_hash;
        std::string status = "pending";  // pending | awaiting_confirmation | succeeded | declined
        std::string reason;
    };

  private:
    struct Delivery {
        std::string body;
        std::string payment_id;
        std::chrono::steady_clock::time_point next;
        std::chrono::milliseconds backoff;
    };

    http::Response create(http::Request& req);
    http::Response page(http::Request& req);
    http::Response submit(http::Request& req);
    http::Response confirm(http::Request& req);
    Payment get(const std::string& id) const;
    // Moves a payment out of `from` to a final status; false when another request got there first.
    bool finish(const std::string& id, const std::string& from, const std::string& status, const std::string& reason);
    void notify(const Payment& p);
    bool deliver(const std::string& body, const std::string& payment_id);
    void retry_loop(const std::stop_token& st);
    http::Response finished_page(const Payment& p) const;
    std::string return_location(const Payment& p) const;

    Options o_;
    std::unique_ptr<http::Client> merchant_;
    std::string webhook_path_;
    mutable std::mutex mu_;
    std::map<std::string, Payment> payments_;
    std::map<std::string, std::string> by_key_;  // Idempotency-Key → payment id
    std::deque<Delivery> queue_;
    std::condition_variable_any wake_;
    std::jthread retrier_;
};

}  // namespace chance::acquirer
