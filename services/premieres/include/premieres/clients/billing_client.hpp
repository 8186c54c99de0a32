#pragma once
// The premieres service's typed client of billing: it owns the signed service identity, the Idempotency-Key of
// each debit or credit, and turning billing's answers into typed results or local problems with context.
//   - insufficient funds is a result (DebitResult::paid false), not an error;
//   - billing unreachable, a 5xx, 408 or 429 → Problem 503 `unavailable` (retry);
//   - billing refusing the operation under its rules (409, 422: a refund over what was paid, a key reused for
//     another amount) → Problem 409 `billing-refused`;
//   - billing rejecting the request itself (400, 401, 403, 404, another 4xx: a fault between the services) →
//     Problem 502 `billing-rejected`.
// Billing's status, problem type and detail go to the log, never to the customer.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "chance/core/error.hpp"
#include "chance/http/client.hpp"

namespace chance::premieres::billing {

// POST /api/v1/billing/withdraw/: `amount` kopecks for `premiere_id`, recorded against the order.
struct Debit {
    std::string user_id;
    std::string order_id;
    int64_t premiere_id = 0;
    int64_t amount = 0;
    std::string idempotency_key;
};

struct DebitResult {
    bool paid = false;      // false: insufficient funds, nothing debited
    int64_t balance = 0;    // after the debit (or as it is, when short)
    int64_t shortfall = 0;  // when not paid: how much is missing
};

// POST /api/v1/billing/refund/: never more than was debited for the order.
struct Credit {
    std::string user_id;
    std::string order_id;
    int64_t amount = 0;
    std::string idempotency_key;
    std::string reason;
};

struct CreditResult {
    int64_t balance = 0;
};

// The local problem for billing's non-200 answer `status` (its body `body`, problem+json or anything) to
// `operation` ("withdraw", "refund", "balance"); logs billing's status, type and detail. Pure but for the log.
Problem answer_problem(int status, std::string_view body, std::string_view operation);

class Client {
  public:
    // `identity`: the service identity token to send (Runtime::service_identity), asked for on every call.
    Client(const http::Client& http, std::function<std::string()> identity);

    int64_t balance(const std::string& user_id) const;
    DebitResult withdraw(const Debit& debit) const;
    CreditResult refund(const Credit& credit) const;

  private:
    // POSTs `body` with the service identity and the Idempotency-Key; billing's 200 answer, or a local problem.
    boost::json::object post(const std::string& path, const std::string& idempotency_key,
                             const boost::json::object& body, std::string_view operation) const;

    const http::Client& http_;
    std::function<std::string()> identity_;
};

}  // namespace chance::premieres::billing
