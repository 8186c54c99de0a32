#pragma once
// The ledger's operations. Each runs in one database transaction; money moves only through them.
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "chance/pg/pg.hpp"

namespace chance::billing {

struct WithdrawRequest {
    std::string user_id;
    int64_t amount = 0;
    int64_t premiere_id = 0;
    std::string order_id;
    std::string idempotency_key;
};

struct RefundRequest {
    std::string user_id;
    int64_t amount = 0;
    std::string order_id;
    std::string reason;
    std::string idempotency_key;
};

class Ledger {
  public:
    explicit Ledger(pg::Pool& pool) : pool_(pool) {}

    int64_t balance(const std::string& user_id);
    // {status: "paid", balance, transaction_id} (stored under the key) or
    // {status: "insufficient_funds", balance, shortfall} (not stored: a retry after a top-up may pay).
    // Same key with another request → 422.
    boost::json::object withdraw(const WithdrawRequest& r);
    // {status: "refunded", balance, transaction_id}; never more than withdrawn for the order (422).
    boost::json::object refund(const RefundRequest& r);
    // Credits a succeeded payment once (keyed by the payment id).
    boost::json::object credit_top_up(const std::string& user_id, const std::string& payment_id, int64_t amount);
    // The same inside the caller's transaction (the webhook finalises the payment in it too).
    static boost::json::object credit_top_up(pg::Transaction& tx, const std::string& user_id,
                                             const std::string& payment_id, int64_t amount);
    // Newest first; cursor = the seq of the last item seen.
    boost::json::object history(const std::string& user_id, std::optional<int64_t> cursor, int limit);

  private:
    pg::Pool& pool_;
};

}  // namespace chance::billing
