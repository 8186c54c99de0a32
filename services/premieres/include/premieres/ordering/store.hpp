#pragma once
// Ordering's store: carts, orders, order items and the order's rental events in PostgreSQL. Each function is
// one statement (or one fixed sequence) and returns typed values; transactions are the caller's.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/ordering/domain.hpp"

namespace chance::premieres::ordering::store {

// A premiere's terms for an order line, read through the catalog's store (its one premiere row, hidden ones
// included); nullopt when there is no such premiere.
std::optional<PremiereTerms> premiere_info(pg::Pool& pool, int64_t id);

// A cart line's live show as it is now (ADR 0027): the seat is held only when the order is paid.
struct CartShow {
    int64_t id = 0;
    std::string starts_at;
    int64_t seats_left = 0;
    std::string status;  // on_sale, sold_out, cancelled or started
};
struct CartRow {
    int64_t id = 0;
    int64_t premiere_id = 0;
    std::optional<int64_t> period;
    std::optional<std::string> starts_at;
    std::optional<CartShow> show;
};
// The customer's cart, visible premieres only, in the order added.
std::vector<CartRow> cart(pg::Pool& pool, const std::string& user);
// The premiere of the customer's cart line (nullopt: they have no such line, or its premiere is hidden, as cart()).
std::optional<int64_t> cart_line_premiere(pg::Pool& pool, const std::string& user, int64_t item);
// Adds a premiere or, when it is there already, updates its period and start (a null keeps them); the last add
// decides whether the line is a seat at `show` (its start dropped) or the recording (show null).
void cart_add(pg::Pool& pool, const std::string& user, int64_t premiere, std::optional<int64_t> period,
              const std::optional<std::string>& starts_at, std::optional<int64_t> show);
// false when the customer has no such line. A start given drops the line's show; a show given, its start.
bool cart_update(pg::Pool& pool, const std::string& user, int64_t item, std::optional<int64_t> period,
                 const std::optional<std::string>& starts_at, std::optional<int64_t> show);
bool cart_remove(pg::Pool& pool, const std::string& user, int64_t item);

struct KeyedOrder {
    std::string id;
    std::string request_hash;
};
std::optional<KeyedOrder> order_by_key(pg::Pool& pool, const std::string& user, const std::string& key);

struct NewOrder {
    std::string id;
    std::string user;
    std::string idempotency_key;
    std::string request_hash;
    bool confirming = false;  // confirmed in the same request: stored as being confirmed already
    std::vector<OrderLine> lines;
};
// The order, its lines and its first event, in one statement; throws pg::UniqueViolation when another
// request stored an order with this key first.
void insert_order(pg::Pool& pool, const NewOrder& order);

struct StoredOrder {
    std::string user_id;
    Order order;
};
// nullopt when there is no such order.
std::optional<StoredOrder> load_order(pg::Transaction& tx, const std::string& order_id);
// The premiere of the order's first line.
int64_t first_premiere(pg::Pool& pool, const std::string& order_id);

// Marks a pending order as being confirmed: one more confirmation in flight, its debit about to be sent (from
// here on the order does not expire). false: the order is not pending any more (paid, expired, cancelled).
bool mark_confirm_started(pg::Pool& pool, const std::string& order_id);
// A confirmation's debit was refused for funds: one confirmation fewer in flight; with none left the order is
// no longer being confirmed (the customer confirms again; it expires as if never confirmed).
void confirm_refused(pg::Pool& pool, const std::string& order_id);
// The recovery loop's debit was refused for funds: the marks it found at `started` (StuckOrder::started) were
// of confirmations lost before their debit, and are taken back, unless a confirmation marked the order since.
// true when they were.
bool confirm_abandoned(pg::Pool& pool, const std::string& order_id, const std::string& started);
// Cancels a still pending order (its seats were gone).
void cancel_pending(pg::Pool& pool, const std::string& order_id);
// Whether this call cancelled it (false: cancelled, paid or expired before, e.g. by a concurrent finisher).
bool cancel_pending(pg::Transaction& tx, const std::string& order_id);

// Online seats of a live show (ADR 0027): its capacity, how many rentals hold one, whether it was cancelled (an
// unknown show is cancelled with no seats).
struct Seats {
    int64_t capacity = 0;
    int64_t taken = 0;
    bool cancelled = false;
    bool gone() const { return cancelled || sold_out(capacity, taken); }
};
Seats seats(pg::Pool& pool, int64_t show);
Seats seats(pg::Transaction& tx, int64_t show);
// A live show's terms (nullopt: no such show).
std::optional<ShowTerms> show_info(pg::Pool& pool, int64_t show);
// The live shows the order's lines hold seats at, in id order.
std::vector<int64_t> live_shows(pg::Pool& pool, const std::string& order_id);
std::vector<int64_t> live_shows(pg::Transaction& tx, const std::string& order_id);
// Locks a show's row: concurrent buyers of its seats take them one at a time.
void lock_show(pg::Transaction& tx, int64_t show);

// One line of an order just paid, with its rental.
struct PaidLine {
    OrderItem item;
    int64_t rental_id = 0;
    bool open = false;  // its window was open when paid (it gets no «window opened» email)
    std::optional<std::string> voucher_code, voucher_until;  // the theatre voucher issued with it (ADR 0028)
};
struct PaidOrder {
    Order order;  // without balance
    std::vector<PaidLine> lines;
};
// Paid: the order marked paid, one rental per line with its history event, the cart emptied of those
// premieres, in one statement; nullopt when the order was not pending any more. `now`: RFC 3339.
std::optional<PaidOrder> mark_paid(pg::Transaction& tx, const std::string& order_id, const std::string& now,
                                   const std::string& user);

// A history event of a rental (`rental_id` nullopt: of the order).
void add_event(pg::Transaction& tx, std::optional<int64_t> rental_id, const std::string& order_id,
               const std::string& type, const std::string& payload_json);

struct StuckOrder {
    std::string id;
    std::string user_id;
    int64_t total = 0;
    std::string started;  // the latest mark (confirm_started_at), the token of confirm_abandoned
};
// Orders with a confirmation in flight whose latest mark is over 30 s old: interrupted before billing's answer
// was acted on (20 at a time, oldest first).
std::vector<StuckOrder> stuck_orders(pg::Pool& pool);
// Expires pending orders never confirmed and created before `cutoff` (RFC 3339); returns how many.
int expire_orders(pg::Pool& pool, const std::string& cutoff);

// «Мои заказы»: the customer's orders newest first (ids are UUIDv7), `limit` of them placed before the order
// `before`, each with its lines and the history events that moved its money.
std::vector<HistoryOrder> history_orders(pg::Pool& pool, const std::string& user, int limit,
                                         const std::optional<std::string>& before);
// One order of the customer's with the same details; nullopt when it is not theirs or does not exist.
std::optional<HistoryOrder> history_order(pg::Pool& pool, const std::string& user, const std::string& order_id);
// The same within a transaction (a staff refund reads it under the order's lock).
std::optional<HistoryOrder> history_order(pg::Transaction& tx, const std::string& user, const std::string& order_id);
// RFC 3339 times as «ДД.ММ.ГГГГ ЧЧ:ММ» in the time zone `zone` (ADR 0005), in the order given.
std::vector<std::string> local_times(pg::Pool& pool, const std::vector<std::string>& times, const std::string& zone);

}  // namespace chance::premieres::ordering::store
