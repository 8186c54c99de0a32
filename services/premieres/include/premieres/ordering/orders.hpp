#pragma once
// Cart, checkout and the purchase saga (docs/architecture.md §3): the premieres service orchestrates, billing debits.
//   create order (pending_payment, quoted) → confirm: re-quote, seats, mark confirm started → billing withdraw
//   with idempotency key = order id → on "paid", in one transaction: order paid, rentals, cart emptied,
//   SendNotify in the outbox. A recovery loop re-drives confirmations interrupted by a crash (the same key
//   means at most one debit); orders never confirmed expire after 30 minutes, as do orders whose confirmation was
//   refused for funds and not repeated (the recovery loop never pays those on its own).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chance/core/time.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/clients/billing_client.hpp"
#include "premieres/ordering/domain.hpp"

namespace chance::premieres {
class Catalog;
}

namespace chance::premieres::ordering {

struct Config {
    std::chrono::minutes order_ttl{30};
    std::string public_origin = "http://localhost:8080";
};

// PATCH-like cart changes, as the routes read them.
struct CartAdd {
    int64_t premiere_id = 0;
    std::optional<int64_t> period;
    std::optional<std::string> starts_at;  // RFC 3339 as sent (checked here)
    std::optional<int64_t> show_id;        // a seat at this live show (not with starts_at)
};
struct CartUpdate {
    std::optional<int64_t> period;
    std::optional<std::string> starts_at;  // RFC 3339, normalised; drops the line's show
    std::optional<int64_t> show_id;        // another live show of the line's premiere; drops its start
};
// The spec's POST /rent/ {id, period, starts_at?}: one premiere, ordered and confirmed at once.
struct RentRequest {
    int64_t premiere_id = 0;
    int64_t period = 0;
    std::optional<std::string> starts_at;
    std::optional<int64_t> show_id;  // a seat at this live show (ADR 0027)
};

class Orders {
  public:
    Orders(pg::Pool& pool, Catalog& catalog, const billing::Client& billing, const time::Clock& clock,
           Config config = {});

    Cart cart(const std::string& user);
    Cart cart_add(const std::string& user, const CartAdd& req);
    Cart cart_update(const std::string& user, int64_t item, const CartUpdate& req);
    void cart_remove(const std::string& user, int64_t item);

    // 201 with the order; the same key and body answer with the same order. `request_hash`: the body's, for
    // the key's replay check; `form` reads the body, after that check (a key reused for another body is 422
    // whatever that body is).
    Order create_order(const std::string& user, const std::string& key, const std::string& request_hash,
                       const std::function<OrderForm()>& form);
    // The customer's order; a pending one with their balance, next step and shortfall (404: not theirs).
    Order order(const std::string& user, const std::string& id);
    Order confirm(const std::string& user, const std::string& id);
    Order rent(const std::string& user, const std::string& key, const RentRequest& req);

    // Background work; each returns how many rows it handled. Safe with several replicas.
    int recover_stuck_orders();
    int expire_orders();

  private:
    struct Placed {
        std::string id;
        std::vector<OrderLine> lines;  // empty when the key had placed the order before (a replay)
    };
    // Checks and stores an order (or finds the one this key placed); `confirming`: it is confirmed in the
    // same request.
    Placed place_order(const std::string& user, const std::string& key, const std::string& request_hash,
                       const std::function<OrderForm()>& form, bool confirming);
    Order confirm(const std::string& user, const std::string& id, const std::vector<OrderLine>* fresh);
    // The customer's order without the balance (404 when it is not theirs).
    Order own_order(const std::string& user, const std::string& id);
    // Marks the order paid and creates its rentals and the confirmation, in one transaction. `fresh`: the
    // lines, when this request placed the order (a live show's seats are counted only if one is among them).
    Order finish_paid(const std::string& user, const std::string& order_id, int64_t balance,
                      const std::vector<OrderLine>* fresh = nullptr);
    billing::DebitResult withdraw(const std::string& user, const std::string& order_id, int64_t premiere,
                                  int64_t total);
    // A live show a cart line may take a seat at: 422 naming starts_at when the line names a start too (the show
    // sets it), 422 naming show_id (not this premiere's, cancelled, started), 409 sold-out when no seat is left now
    // (none is held until the order is paid).
    void check_cart_show(int64_t premiere, int64_t show, bool start_given);
    pg::Pool& pool_;
    Catalog& catalog_;  // the service's one: carts price through its cache
    const billing::Client& billing_;
    const time::Clock& clock_;
    Config config_;
};

}  // namespace chance::premieres::ordering
