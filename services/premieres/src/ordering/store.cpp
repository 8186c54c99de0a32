#include "premieres/ordering/store.hpp"

#include "chance/core/json.hpp"

#include <boost/json.hpp>
#include <map>

#include "premieres/catalog/store.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres::ordering::store {

namespace {
constexpr pg::Query kCartList{
    "cart_list",
    "SELECT c.id, c.premiere_id, c.period, rfc3339(c.starts_at) AS starts_at, c.show_id, "
    "rfc3339(s.starts_at) AS show_starts_at, s.capacity AS show_capacity, t.taken AS show_taken, "
    "s.cancelled_at IS NOT NULL AS show_cancelled, s.starts_at <= now() AS show_started "
    "FROM cart_items c JOIN premieres p ON p.id = c.premiere_id LEFT JOIN live_shows s ON s.id = c.show_id "
    // A seat's count, once, and only for a line that is a seat (the cart view is on the store's hot path).
    "LEFT JOIN LATERAL (SELECT show_seats_taken(s.id) AS taken WHERE s.id IS NOT NULL) t ON true "
    "WHERE c.user_id = $1 AND NOT p.hidden ORDER BY c.id"};
// Cart writes do not wait for the WAL to reach the disk (or the synchronous standby): `relaxed` sets
// synchronous_commit off for the statement's own transaction (docs/adr/0014). A crash can lose the last fraction
// of a second of cart changes, never money, an order or a rental, and never leaves a cart half-written.
constexpr pg::Query kCartAdd{
    "cart_add",
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
    "INSERT INTO cart_items (user_id, premiere_id, period, starts_at, show_id) "
    "SELECT $1::text, $2::bigint, $3::int, $4::timestamptz, $5::bigint FROM relaxed "
    "ON CONFLICT (user_id, premiere_id) DO UPDATE SET period = coalesce(EXCLUDED.period, cart_items.period), "
    "show_id = EXCLUDED.show_id, "
    "starts_at = CASE WHEN EXCLUDED.show_id IS NULL THEN coalesce(EXCLUDED.starts_at, cart_items.starts_at) END "
    "RETURNING id"};
constexpr pg::Query kCartUpdate{
    "cart_update",
    "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
    "UPDATE cart_items SET period = coalesce($3, period), "
    "starts_at = CASE WHEN $5::bigint IS NULL THEN coalesce($4::timestamptz, starts_at) END, "
    "show_id = CASE WHEN $4::timestamptz IS NULL THEN coalesce($5::bigint, show_id) END FROM relaxed "
    "WHERE id = $1 AND user_id = $2 RETURNING id, premiere_id"};
constexpr pg::Query kCartLinePremiere{"cart_line_premiere",
                                      "SELECT c.premiere_id FROM cart_items c JOIN premieres p ON p.id = c.premiere_id "
                                      "WHERE c.id = $1 AND c.user_id = $2 AND NOT p.hidden"};
constexpr pg::Query kCartRemove{"cart_remove",
                                "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)) "
                                "DELETE FROM cart_items USING relaxed WHERE id = $1 AND user_id = $2"};
constexpr pg::Query kOrderByKey{
    "order_by_key", "SELECT id::text AS id, request_hash FROM orders WHERE user_id = $1 AND idempotency_key = $2"};
// The order, its lines ($7: a JSON array, in order) and its history's first event, in one statement.
// $6: the order is confirmed in the same request (POST /rent/): it is marked as being confirmed from the
// start (one confirmation in flight), so that the recovery loop finishes it if the process dies before the
// debit's answer.
constexpr pg::Query kOrderInsert{
    "order_insert",
    "WITH o AS (INSERT INTO orders (id, user_id, status, total, idempotency_key, request_hash, confirm_started_at, "
    "  confirms_in_flight) VALUES ($1::uuid, $2, 'pending_payment', $3, $4, $5, "
    "  CASE WHEN $6::bool THEN clock_timestamp() END, CASE WHEN $6::bool THEN 1 ELSE 0 END) RETURNING id), "
    "lines AS (INSERT INTO order_items (order_id, position, premiere_id, title, period, starts_at, ends_at, price, "
    "  starts_on_payment, discount, show_id) "
    "  SELECT o.id, t.ord - 1, t.premiere_id, t.title, t.period, t.starts_at, t.ends_at, t.price, "
    "  t.starts_on_payment, t.discount, t.show_id FROM o, "
    "  ROWS FROM (jsonb_to_recordset($7::jsonb) AS (premiere_id bigint, title text, period int, "
    "  starts_at timestamptz, ends_at timestamptz, price bigint, starts_on_payment bool, discount bigint, "
    "  show_id bigint)) "
    "  WITH ORDINALITY AS t(premiere_id, title, period, starts_at, ends_at, price, starts_on_payment, discount, "
    "  show_id, ord)) "
    "INSERT INTO rental_events (rental_id, order_id, type, payload) SELECT NULL, o.id, 'order_created', $8::jsonb FROM "
    "o"};
constexpr pg::Query kOrderGet{"order_get",
                              "SELECT id::text AS id, user_id, status, total, rfc3339(created_at) AS created_at "
                              "FROM orders WHERE id = $1::uuid"};
constexpr pg::Query kOrderItems{
    "order_items_get",
    "SELECT premiere_id, title, period, rfc3339(starts_at) AS starts_at, "
    "rfc3339(ends_at) AS ends_at, price, starts_on_payment, show_id FROM order_items WHERE order_id = $1::uuid "
    "ORDER BY position"};
// One more confirmation in flight; confirm_started_at becomes this mark's own time (clock_timestamp: two marks
// never share it), the token the recovery loop compares before it takes marks back.
constexpr pg::Query kOrderStart{"order_confirm_started",
                                "UPDATE orders SET confirms_in_flight = confirms_in_flight + 1, "
                                "confirm_started_at = clock_timestamp(), updated_at = now() "
                                "WHERE id = $1::uuid AND status = 'pending_payment' RETURNING id"};
// A confirmation refused for funds is no longer in flight; the order is no longer being confirmed once none is.
constexpr pg::Query kOrderRefused{
    "order_confirm_refused",
    "UPDATE orders SET confirms_in_flight = greatest(confirms_in_flight - 1, 0), "
    "confirm_started_at = CASE WHEN confirms_in_flight > 1 THEN confirm_started_at END, updated_at = now() "
    "WHERE id = $1::uuid AND status = 'pending_payment'"};
// The recovery loop's debit refused for funds: the marks it found (token $2) were of confirmations lost before
// their debit; none is in flight any more unless a confirmation marked the order since (a new token).
constexpr pg::Query kOrderAbandoned{
    "order_confirm_abandoned",
    "UPDATE orders SET confirms_in_flight = 0, confirm_started_at = NULL, updated_at = now() "
    "WHERE id = $1::uuid AND status = 'pending_payment' AND confirm_started_at = $2::timestamptz"};
constexpr pg::Query kOrderCancel{"order_cancel_sold_out",
                                 "UPDATE orders SET status = 'cancelled', updated_at = now() "
                                 "WHERE id = $1::uuid AND status = 'pending_payment'"};
constexpr pg::Query kLiveItems{"order_live_items",
                               "SELECT show_id FROM order_items WHERE order_id = $1::uuid AND show_id IS NOT NULL "
                               "ORDER BY show_id"};
// Paid: the order marked paid, one rental per line with its history event, the cart emptied of those
// premieres ($3: the customer), in one statement; no row when the order was not pending any more. Each row is
// a line (in order) with its rental and the order's own columns. A line placed without a start («Начать
// сразу») opens its window now ($2, the payment's time): its rental and its order line get that window. A
// rental whose window is already open when it is paid is marked as announced: the purchase confirmation
// carries its link to watch, and the scheduler sends no «window opened» email seconds after it.
constexpr pg::Query kOrderPaid{
    "order_mark_paid",
    "WITH paid AS (UPDATE orders SET status = 'paid', paid_at = now(), updated_at = now() "
    "  WHERE id = $1::uuid AND status = 'pending_payment' RETURNING id, user_id, status, total, created_at), "
    "windows AS (SELECT i.*, CASE WHEN i.starts_on_payment THEN $2::timestamptz ELSE i.starts_at END AS opens, "
    "  CASE WHEN i.starts_on_payment THEN $2::timestamptz + make_interval(hours => i.period) ELSE i.ends_at END "
    "  AS closes FROM order_items i JOIN paid p ON p.id = i.order_id), "
    "moved AS (UPDATE order_items i SET starts_at = w.opens, ends_at = w.closes FROM windows w "
    "  WHERE i.order_id = w.order_id AND i.position = w.position AND w.starts_on_payment), "
    "made AS (INSERT INTO rentals (user_id, premiere_id, order_id, period, starts_at, ends_at, amount, "
    "start_reminded_at, show_id) "
    "  SELECT p.user_id, w.premiere_id, w.order_id, w.period, w.opens, w.closes, w.price, "
    "  CASE WHEN w.opens <= $2::timestamptz THEN now() END, w.show_id "
    "  FROM windows w JOIN paid p ON p.id = w.order_id "
    "  RETURNING id, premiere_id, amount, start_reminded_at IS NOT NULL AS open), "
    "events AS (INSERT INTO rental_events (rental_id, order_id, type, payload) "
    "  SELECT id, $1::uuid, 'rental_purchased', '{}' FROM made), "
    "cart AS (DELETE FROM cart_items WHERE user_id = $3 AND premiere_id IN (SELECT premiere_id FROM made)), "
    // A voucher for the theatre (ADR 0028) when the premiere's theatre set its terms: 16 random hex characters.
    "issued AS (INSERT INTO vouchers (code, rental_id, premiere_id, user_id, amount, valid_until) "
    "  SELECT upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12) || "
    "  substr(replace(gen_random_uuid()::text, '-', ''), 21, 4)), m.id, m.premiere_id, $3, m.amount, v.valid_until "
    "  FROM made m JOIN premiere_vouchers v ON v.premiere_id = m.premiere_id AND v.valid_until > now() "
    "  RETURNING rental_id, code, rfc3339(valid_until) AS valid_until) "
    "SELECT p.id::text AS id, p.status, p.total, rfc3339(p.created_at) AS created_at, m.id AS rental_id, m.open, "
    "w.premiere_id, w.title, w.period, rfc3339(w.opens) AS starts_at, rfc3339(w.closes) AS ends_at, w.price, "
    "w.starts_on_payment, w.show_id, iv.code AS voucher_code, iv.valid_until AS voucher_until "
    "FROM paid p JOIN windows w ON w.order_id = p.id JOIN made m ON m.premiere_id = w.premiere_id "
    "LEFT JOIN issued iv ON iv.rental_id = m.id ORDER BY w.position"};
constexpr pg::Query kEvent{
    "rental_event_insert",
    "INSERT INTO rental_events (rental_id, order_id, type, payload) VALUES ($1, $2::uuid, $3, $4::jsonb)"};
constexpr pg::Query kSeats{"show_seats",
                           "SELECT capacity, show_seats_taken(id) AS taken, cancelled_at IS NOT NULL AS cancelled "
                           "FROM live_shows WHERE id = $1"};
// Taken in its own statement: in READ COMMITTED the next statement's snapshot then sees the rentals that the
// previous holder of the lock committed (a count in the locking statement itself would not).
constexpr pg::Query kLockShow{"show_lock", "SELECT id FROM live_shows WHERE id = $1 FOR UPDATE"};
constexpr pg::Query kShowInfo{"show_info",
                              "SELECT id, premiere_id, rfc3339(starts_at) AS starts_at, capacity, "
                              "cancelled_at IS NOT NULL AS cancelled FROM live_shows WHERE id = $1"};
constexpr pg::Query kStuck{
    "orders_stuck",
    "SELECT id::text AS id, user_id, total, confirm_started_at::text AS started FROM orders "
    "WHERE status = 'pending_payment' "
    "AND confirm_started_at < now() - interval '30 seconds' ORDER BY confirm_started_at LIMIT 20"};
constexpr pg::Query kExpire{"orders_expire",
                            "UPDATE orders SET status = 'expired', updated_at = now() WHERE status = 'pending_payment' "
                            "AND confirm_started_at IS NULL AND created_at < $1::timestamptz RETURNING id::text AS id"};
// Row i as an order line: kOrderItems, kOrderPaid and kLines (the order history) carry these columns.
OrderItem item_at(const pg::Result& r, int i) {
    return {r.int64(i, "premiere_id"),
            r.text(i, "title"),
            r.int64(i, "period"),
            r.text(i, "starts_at"),
            r.text(i, "ends_at"),
            r.int64(i, "price"),
            r.boolean(i, "starts_on_payment"),
            r.opt_int64(i, "show_id")};
}

// The order's lines from kOrderItems (or kOrderPaid's rows, which carry the same columns).
std::vector<OrderItem> items_of(const pg::Result& r) {
    std::vector<OrderItem> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(item_at(r, i));
    return out;
}

// The order's own columns (id, status, total, created_at) from row 0 and its lines.
Order order_of(const pg::Result& o, std::vector<OrderItem> items) {
    Order out;
    out.id = o.text(0, "id");
    out.status = o.text(0, "status");
    out.total = o.int64(0, "total");
    out.created_at = o.text(0, "created_at");
    out.items = std::move(items);
    return out;
}
}  // namespace

std::optional<PremiereTerms> premiere_info(pg::Pool& pool, int64_t id) {
    auto row = CatalogStore(pool).any_premiere(id);
    if (!row) return std::nullopt;
    const auto& c = row->card;
    PremiereTerms p{id,
                    c.title,
                    row->hidden,
                    Money::kopecks(c.price_online),
                    c.discount_percent,
                    c.discount_until ? time::parse_rfc3339(*c.discount_until) : std::nullopt,
                    *time::parse_rfc3339(c.reservable_from),
                    *time::parse_rfc3339(c.reservable_until),
                    period_factors(c.periods),
                    row->capacity,
                    c.base_period_hours};
    return p;
}

std::vector<CartRow> cart(pg::Pool& pool, const std::string& user) {
    auto rows = pool.exec(kCartList, pg::Params(user));
    std::vector<CartRow> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) {
        std::optional<CartShow> show;
        if (auto id = rows.opt_int64(i, "show_id")) {
            auto capacity = rows.int64(i, "show_capacity");
            auto taken = rows.int64(i, "show_taken");
            show = CartShow{*id, rows.text(i, "show_starts_at"), seats_left(capacity, taken),
                            std::string(show_status(capacity, taken, rows.boolean(i, "show_cancelled"),
                                                    rows.boolean(i, "show_started")))};
        }
        out.push_back({rows.int64(i, "id"), rows.int64(i, "premiere_id"), rows.opt_int64(i, "period"),
                       rows.opt_text(i, "starts_at"), std::move(show)});
    }
    return out;
}

std::optional<int64_t> cart_line_premiere(pg::Pool& pool, const std::string& user, int64_t item) {
    auto r = pool.exec(kCartLinePremiere, pg::Params(item, user));
    if (r.empty()) return std::nullopt;
    return r.int64(0, "premiere_id");
}

void cart_add(pg::Pool& pool, const std::string& user, int64_t premiere, std::optional<int64_t> period,
              const std::optional<std::string>& starts_at, std::optional<int64_t> show) {
    pool.exec(kCartAdd, pg::Params(user, premiere, period, starts_at, show));
}

bool cart_update(pg::Pool& pool, const std::string& user, int64_t item, std::optional<int64_t> period,
                 const std::optional<std::string>& starts_at, std::optional<int64_t> show) {
    return !pool.exec(kCartUpdate, pg::Params(item, user, period, starts_at, show)).empty();
}

bool cart_remove(pg::Pool& pool, const std::string& user, int64_t item) {
    return pool.exec(kCartRemove, pg::Params(item, user)).affected() != 0;
}

std::optional<KeyedOrder> order_by_key(pg::Pool& pool, const std::string& user, const std::string& key) {
    auto r = pool.exec(kOrderByKey, pg::Params(user, key));
    if (r.empty()) return std::nullopt;
    return KeyedOrder{r.text(0, "id"), r.text(0, "request_hash")};
}

void insert_order(pg::Pool& pool, const NewOrder& o) {
    auto total = total_of(o.lines).as_kopecks();
    boost::json::array lines;
    for (const auto& it : o.lines)
        lines.push_back(
            boost::json::object{{"premiere_id", it.premiere_id},
                                {"title", it.title},
                                {"period", it.period},
                                {"starts_at", time::format_rfc3339(it.starts_at)},
                                {"ends_at", time::format_rfc3339(it.starts_at + std::chrono::hours(it.period))},
                                {"price", it.price.as_kopecks()},
                                {"starts_on_payment", it.starts_on_payment},
                                {"discount", it.discount.as_kopecks()},
                                {"show_id", json::or_null(it.show_id)}});
    pool.exec(kOrderInsert,
              pg::Params(o.id, o.user, total, o.idempotency_key, o.request_hash, o.confirming,
                         boost::json::serialize(lines), boost::json::serialize(boost::json::object{{"total", total}})));
}

std::optional<StoredOrder> load_order(pg::Transaction& tx, const std::string& order_id) {
    auto o = tx.exec(kOrderGet, pg::Params(order_id));
    if (o.empty()) return std::nullopt;
    return StoredOrder{o.text(0, "user_id"), order_of(o, items_of(tx.exec(kOrderItems, pg::Params(order_id))))};
}

int64_t first_premiere(pg::Pool& pool, const std::string& order_id) {
    return pool.exec(kOrderItems, pg::Params(order_id)).int64(0, "premiere_id");
}

bool mark_confirm_started(pg::Pool& pool, const std::string& order_id) {
    return !pool.exec(kOrderStart, pg::Params(order_id)).empty();
}

void confirm_refused(pg::Pool& pool, const std::string& order_id) { pool.exec(kOrderRefused, pg::Params(order_id)); }

bool confirm_abandoned(pg::Pool& pool, const std::string& order_id, const std::string& started) {
    return pool.exec(kOrderAbandoned, pg::Params(order_id, started)).affected() > 0;
}

void cancel_pending(pg::Pool& pool, const std::string& order_id) { pool.exec(kOrderCancel, pg::Params(order_id)); }
bool cancel_pending(pg::Transaction& tx, const std::string& order_id) {
    return tx.exec(kOrderCancel, pg::Params(order_id)).affected() == 1;
}

namespace {
Seats seats_of(const pg::Result& r) {
    if (r.empty()) return {0, 0, true};  // no such show: nothing to sell
    return {r.int64(0, "capacity"), r.int64(0, "taken"), r.boolean(0, "cancelled")};
}
std::vector<int64_t> shows_of(const pg::Result& r) {
    std::vector<int64_t> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.int64(i, "show_id"));
    return out;
}
}  // namespace

Seats seats(pg::Pool& pool, int64_t show) { return seats_of(pool.exec(kSeats, pg::Params(show))); }
Seats seats(pg::Transaction& tx, int64_t show) { return seats_of(tx.exec(kSeats, pg::Params(show))); }

std::optional<ShowTerms> show_info(pg::Pool& pool, int64_t show) {
    auto r = pool.exec(kShowInfo, pg::Params(show));
    if (r.empty()) return std::nullopt;
    auto starts = time::parse_rfc3339(r.text(0, "starts_at"));
    return ShowTerms{r.int64(0, "id"), r.int64(0, "premiere_id"), *starts, r.int64(0, "capacity"),
                     r.boolean(0, "cancelled")};
}

std::vector<int64_t> live_shows(pg::Pool& pool, const std::string& order_id) {
    return shows_of(pool.exec(kLiveItems, pg::Params(order_id)));
}

std::vector<int64_t> live_shows(pg::Transaction& tx, const std::string& order_id) {
    return shows_of(tx.exec(kLiveItems, pg::Params(order_id)));
}

void lock_show(pg::Transaction& tx, int64_t show) { tx.exec(kLockShow, pg::Params(show)); }

std::optional<PaidOrder> mark_paid(pg::Transaction& tx, const std::string& order_id, const std::string& now,
                                   const std::string& user) {
    auto r = tx.exec(kOrderPaid, pg::Params(order_id, now, user));
    if (r.empty()) return std::nullopt;
    PaidOrder out{order_of(r, items_of(r)), {}};
    for (int i = 0; i < r.rows(); ++i)
        out.lines.push_back({out.order.items[static_cast<size_t>(i)], r.int64(i, "rental_id"), r.boolean(i, "open"),
                             r.opt_text(i, "voucher_code"), r.opt_text(i, "voucher_until")});
    return out;
}

void add_event(pg::Transaction& tx, std::optional<int64_t> rental_id, const std::string& order_id,
               const std::string& type, const std::string& payload_json) {
    tx.exec(kEvent, pg::Params(rental_id, order_id, type, payload_json));
}

std::vector<StuckOrder> stuck_orders(pg::Pool& pool) {
    auto rows = pool.exec(kStuck);
    std::vector<StuckOrder> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i)
        out.push_back({rows.text(i, "id"), rows.text(i, "user_id"), rows.int64(i, "total"), rows.text(i, "started")});
    return out;
}

int expire_orders(pg::Pool& pool, const std::string& cutoff) { return pool.exec(kExpire, pg::Params(cutoff)).rows(); }

namespace {
// The customer's orders, newest first (order ids are UUIDv7: their order is the order they were placed in).
constexpr pg::Query kOrders{"history_orders",
                            "SELECT id::text AS id, status, total, rfc3339(created_at) AS created_at, "
                            "rfc3339(paid_at) AS paid_at FROM orders "
                            "WHERE user_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid) ORDER BY id DESC LIMIT $3"};
constexpr pg::Query kOrder{"history_order",
                           "SELECT id::text AS id, status, total, rfc3339(created_at) AS created_at, "
                           "rfc3339(paid_at) AS paid_at FROM orders WHERE id = $1::uuid AND user_id = $2"};
constexpr pg::Query kLines{"history_lines",
                           "SELECT order_id::text AS order_id, premiere_id, title, period, "
                           "rfc3339(starts_at) AS starts_at, rfc3339(ends_at) AS ends_at, price, starts_on_payment, "
                           "show_id "
                           "FROM order_items WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, position"};
// The events that moved money, by the partial index rental_events_order_money (migration 0017).
constexpr pg::Query kMoneyEvents{
    "history_money_events",
    "SELECT e.id, e.order_id::text AS order_id, e.type, e.payload::text AS payload, "
    "rfc3339(e.occurred_at) AS at, coalesce(i.title, '') AS title FROM rental_events e "
    "LEFT JOIN rentals r ON r.id = e.rental_id "
    "LEFT JOIN order_items i ON i.order_id = r.order_id AND i.premiere_id = r.premiere_id "
    "WHERE e.order_id = ANY($1::uuid[]) "
    "AND e.type IN ('rental_changed', 'rental_cancelled', 'order_cancelled_sold_out', 'staff_refund') ORDER BY e.id"};
// Times in the customer's zone (ADR 0005), in one query: $1 a text array of RFC 3339 times.
constexpr pg::Query kLocalTimes{"history_local_times",
                                "SELECT to_char(t AT TIME ZONE $2, 'DD.MM.YYYY HH24:MI') AS t "
                                "FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(t, n) ORDER BY n"};

// `db`: the pool, or a transaction (the order's lines and events read in it).
std::vector<HistoryOrder> with_details(auto& db, const pg::Result& rows) {
    std::vector<HistoryOrder> out;
    std::map<std::string, size_t> at;
    std::vector<std::string> ids;
    for (int i = 0; i < rows.rows(); ++i) {
        HistoryOrder o{rows.text(i, "id"),
                       rows.text(i, "status"),
                       rows.int64(i, "total"),
                       rows.text(i, "created_at"),
                       rows.opt_text(i, "paid_at"),
                       {},
                       {}};
        at[o.id] = out.size();
        ids.push_back(o.id);
        out.push_back(std::move(o));
    }
    if (ids.empty()) return out;
    auto array = pg::text_array(ids);
    auto lines = db.exec(kLines, pg::Params(array));
    for (int i = 0; i < lines.rows(); ++i) out[at.at(lines.text(i, "order_id"))].items.push_back(item_at(lines, i));
    auto events = db.exec(kMoneyEvents, pg::Params(array));
    for (int i = 0; i < events.rows(); ++i) {
        MoneyEvent e{events.int64(i, "id"), events.text(i, "type"), events.text(i, "at"), events.text(i, "title")};
        // The payload as the statement that moved the money wrote it (rentals.cpp, orders.cpp).
        if (auto v = boost::json::parse(events.text(i, "payload")); v.is_object()) {
            const auto& p = v.as_object();
            auto number = [&p](std::string_view key) {
                const auto* n = p.if_contains(key);
                return n && n->is_int64() ? n->as_int64() : 0;
            };
            e.refund = number("refund");
            e.charged = number("charged");
            e.refunded = number("refunded");
            e.period = number("period");
            if (const auto* s = p.if_contains("starts_at"); s && s->is_string())
                e.starts_at = std::string(s->as_string());
            if (const auto* s = p.if_contains("reason"); s && s->is_string()) e.reason = std::string(s->as_string());
        }
        out[at.at(events.text(i, "order_id"))].events.push_back(std::move(e));
    }
    return out;
}
}  // namespace

std::vector<HistoryOrder> history_orders(pg::Pool& pool, const std::string& user, int limit,
                                         const std::optional<std::string>& before) {
    return with_details(pool, pool.exec(kOrders, pg::Params(user, before, limit)));
}

std::optional<HistoryOrder> history_order(pg::Pool& pool, const std::string& user, const std::string& order_id) {
    auto found = with_details(pool, pool.exec(kOrder, pg::Params(order_id, user)));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::optional<HistoryOrder> history_order(pg::Transaction& tx, const std::string& user, const std::string& order_id) {
    auto found = with_details(tx, tx.exec(kOrder, pg::Params(order_id, user)));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<std::string> local_times(pg::Pool& pool, const std::vector<std::string>& times, const std::string& zone) {
    auto rows = pool.exec(kLocalTimes, pg::Params(pg::text_array(times), zone));
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) out.push_back(rows.text(i, "t"));
    return out;
}

}  // namespace chance::premieres::ordering::store
