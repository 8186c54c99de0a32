#pragma once
// Cart, checkout and the purchase saga (DESIGN §6): the premieres service orchestrates, billing debits.
//   create order (pending_payment, quoted) → confirm: mark confirm started → billing withdraw with
//   idempotency key = order id → on "paid", in one transaction: order paid, rentals, cart emptied,
//   SendNotify in the outbox. A recovery loop re-drives confirmations interrupted by a crash (the same key
//   means at most one debit); orders never confirmed expire after 30 minutes.
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chance/core/money.hpp"
#include "chance/core/time.hpp"
#include "chance/http/client.hpp"
#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::premieres {

struct OrdersConfig {
    std::chrono::minutes order_ttl{30};
    std::chrono::minutes reminder_lead{60};
    std::string public_origin = "http://localhost:8080";
};

class Catalog;

class Orders {
  public:
    // One line of an order as it was priced when placed.
    struct Item {
        int64_t premiere_id;
        std::string title;
        int period;
        time::TimePoint starts_at;
        Money price;
        std::optional<int64_t> capacity;  // live shows: online seats
    };

    Orders(pg::Pool& pool, Catalog& catalog, http::Client& billing, const time::Clock& clock,
           std::function<std::string()> service_identity, OrdersConfig config = {});

    boost::json::object cart(const std::string& user);
    boost::json::object cart_add(const std::string& user, const std::string& body);
    boost::json::object cart_update(const std::string& user, int64_t item, const std::string& body);
    void cart_remove(const std::string& user, int64_t item);

    // 201 with the order; the same key and body answer with the same order.
    boost::json::object create_order(const std::string& user, const std::string& key, const std::string& body);
    boost::json::object order(const std::string& user, const std::string& id);
    boost::json::object confirm(const std::string& user, const std::string& id);
    // The spec's POST /rent/ {id, period, starts_at?}: one premiere, ordered and confirmed at once.
    boost::json::object rent(const std::string& user, const std::string& key, const std::string& body);

    boost::json::object rentals(const std::string& user);
    boost::json::object rental(const std::string& user, int64_t id);
    boost::json::object cancel(const std::string& user, int64_t id);
    // Extend (any time before the end: the difference at the current price is charged), shorten or move
    // the start (only before the start: the difference is refunded). Every change is a rental event.
    boost::json::object change(const std::string& user, int64_t id, const std::string& body);

    // Background work; each returns how many rows it handled. Safe with several replicas.
    int recover_stuck_orders();
    int expire_orders();
    int send_reminders();

  private:
    // "Now" as a query parameter, to the millisecond: a window compared at whole seconds stays open up to a
    // second past its end.
    std::string now_param() const;
    struct Placed {
        std::string id;
        std::vector<Item> items;  // empty when the key had placed the order before (a replay)
    };
    // Validates and stores an order (or finds the one this key placed); `confirming`: it is confirmed in
    // the same request.
    Placed place_order(const std::string& user, const std::string& key, const std::string& body, bool confirming);
    boost::json::object confirm(const std::string& user, const std::string& id, const std::vector<Item>* fresh);
    // The customer's order without the balance (404 when it is not theirs).
    boost::json::object own_order(const std::string& user, const std::string& id);
    // Marks the order paid and creates its rentals and the confirmation, in one transaction. `fresh`: the
    // lines, when this request placed the order (a live show's seats are counted only if one is among them).
    boost::json::object finish_paid(const std::string& user, const std::string& order_id, int64_t balance,
                                    const std::vector<Item>* fresh = nullptr);
    // nullopt when there is no such order or (given a user) it is not theirs.
    std::optional<boost::json::object> order_json(pg::Transaction& tx, const std::string& order_id,
                                                  const std::string* user = nullptr);
    boost::json::object withdraw(const std::string& user, const std::string& order_id, int64_t premiere, int64_t total,
                                 const std::string& key = {});
    // Billing refund against the order's debits, idempotent on the key.
    boost::json::object refund(const std::string& user, const std::string& order_id, int64_t amount,
                               const std::string& key, const std::string& reason);
    int64_t balance_of(const std::string& user);
    pg::Pool& pool_;
    Catalog& catalog_;  // the service's one: carts price through its cache
    http::Client& billing_;
    const time::Clock& clock_;
    std::function<std::string()> identity_;
    OrdersConfig config_;
};

void install_orders(http::Router& router, Orders& orders);

}  // namespace chance::premieres
