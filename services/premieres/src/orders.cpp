#include "premieres/orders.hpp"

#include <boost/json.hpp>

#include <set>
#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"
#include "chance/messaging/events.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/catalog.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

namespace {
using boost::json::object;

constexpr pg::Query kItemInfo{
    "order_item_info",
    "SELECT p.id, p.title, p.hidden, p.price_online, p.discount_percent, rfc3339(p.discount_until) AS discount_until, "
    "rfc3339(p.reservable_from) AS res_from, rfc3339(p.reservable_until) AS res_until, p.base_period_hours, "
    "p.capacity, "
    "(SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text)), '[]') "
    " FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text AS periods "
    "FROM premieres p WHERE p.id = $1"};
constexpr pg::Query kCartList{
    "cart_list",
    "SELECT c.id, c.premiere_id, c.period, rfc3339(c.starts_at) AS starts_at FROM cart_items c "
    "JOIN premieres p ON p.id = c.premiere_id WHERE c.user_id = $1 AND NOT p.hidden ORDER BY c.id"};
constexpr pg::Query kCartAdd{
    "cart_add",
    "INSERT INTO cart_items (user_id, premiere_id, period, starts_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (user_id, premiere_id) DO UPDATE SET period = coalesce(EXCLUDED.period, cart_items.period) "
    "RETURNING id"};
constexpr pg::Query kCartUpdate{
    "cart_update",
    "UPDATE cart_items SET period = coalesce($3, period), starts_at = coalesce($4, starts_at) "
    "WHERE id = $1 AND user_id = $2 RETURNING id, premiere_id"};
constexpr pg::Query kCartRemove{"cart_remove", "DELETE FROM cart_items WHERE id = $1 AND user_id = $2"};
constexpr pg::Query kOrderByKey{
    "order_by_key", "SELECT id::text AS id, request_hash FROM orders WHERE user_id = $1 AND idempotency_key = $2"};
// The order, its lines ($7: a JSON array, in order) and its history's first event, in one statement.
// $6: the order is confirmed in the same request (POST /rent/): it is marked as being confirmed from the
// start, so that the recovery loop finishes it if the process dies before the debit's answer.
constexpr pg::Query kOrderInsert{
    "order_insert",
    "WITH o AS (INSERT INTO orders (id, user_id, status, total, idempotency_key, request_hash, confirm_started_at) "
    "  VALUES ($1::uuid, $2, 'pending_payment', $3, $4, $5, CASE WHEN $6::bool THEN now() END) RETURNING id), "
    "lines AS (INSERT INTO order_items (order_id, position, premiere_id, title, period, starts_at, ends_at, price) "
    "  SELECT o.id, t.ord - 1, t.premiere_id, t.title, t.period, t.starts_at, t.ends_at, t.price FROM o, "
    "  ROWS FROM (jsonb_to_recordset($7::jsonb) AS (premiere_id bigint, title text, period int, "
    "  starts_at timestamptz, ends_at timestamptz, price bigint)) WITH ORDINALITY "
    "  AS t(premiere_id, title, period, starts_at, ends_at, price, ord)) "
    "INSERT INTO rental_events (rental_id, order_id, type, payload) SELECT NULL, o.id, 'order_created', $8::jsonb FROM "
    "o"};
constexpr pg::Query kOrderGet{"order_get",
                              "SELECT id::text AS id, user_id, status, total, rfc3339(created_at) AS created_at "
                              "FROM orders WHERE id = $1::uuid"};
constexpr pg::Query kOrderItems{
    "order_items_get",
    "SELECT premiere_id, title, period, rfc3339(starts_at) AS starts_at, "
    "rfc3339(ends_at) AS ends_at, price FROM order_items WHERE order_id = $1::uuid ORDER BY position"};
constexpr pg::Query kOrderStart{"order_confirm_started",
                                "UPDATE orders SET confirm_started_at = coalesce(confirm_started_at, now()), "
                                "updated_at = now() WHERE id = $1::uuid AND status = 'pending_payment'"};
constexpr pg::Query kOrderCancel{"order_cancel_sold_out",
                                 "UPDATE orders SET status = 'cancelled', updated_at = now() "
                                 "WHERE id = $1::uuid AND status = 'pending_payment'"};
constexpr pg::Query kLiveItems{"order_live_items",
                               "SELECT i.premiere_id FROM order_items i JOIN premieres p ON p.id = i.premiere_id "
                               "WHERE i.order_id = $1::uuid AND p.capacity IS NOT NULL ORDER BY i.premiere_id"};
// Paid: the order marked paid, one rental per line with its history event, the cart emptied of those
// premieres ($3: the customer), in one statement; no row when the order was not pending any more. Each row is
// a line (in order) with its rental and the order's own columns. A rental whose window is already open when
// it is paid ($2, now) is marked as announced: the purchase confirmation carries its link to watch, and the
// scheduler sends no «window opened» email seconds after it.
constexpr pg::Query kOrderPaid{
    "order_mark_paid",
    "WITH paid AS (UPDATE orders SET status = 'paid', paid_at = now(), updated_at = now() "
    "  WHERE id = $1::uuid AND status = 'pending_payment' RETURNING id, user_id, status, total, created_at), "
    "made AS (INSERT INTO rentals (user_id, premiere_id, order_id, period, starts_at, ends_at, amount, "
    "start_reminded_at) "
    "  SELECT p.user_id, i.premiere_id, i.order_id, i.period, i.starts_at, i.ends_at, i.price, "
    "  CASE WHEN i.starts_at <= $2::timestamptz THEN now() END "
    "  FROM order_items i JOIN paid p ON p.id = i.order_id "
    "  RETURNING id, premiere_id, start_reminded_at IS NOT NULL AS open), "
    "events AS (INSERT INTO rental_events (rental_id, order_id, type, payload) "
    "  SELECT id, $1::uuid, 'rental_purchased', '{}' FROM made), "
    "cart AS (DELETE FROM cart_items WHERE user_id = $3 AND premiere_id IN (SELECT premiere_id FROM made)) "
    "SELECT p.id::text AS id, p.status, p.total, rfc3339(p.created_at) AS created_at, m.id AS rental_id, m.open, "
    "i.premiere_id, i.title, i.period, rfc3339(i.starts_at) AS starts_at, rfc3339(i.ends_at) AS ends_at, i.price "
    "FROM paid p JOIN order_items i ON i.order_id = p.id JOIN made m ON m.premiere_id = i.premiere_id ORDER BY "
    "i.position"};
constexpr pg::Query kEvent{
    "rental_event_insert",
    "INSERT INTO rental_events (rental_id, order_id, type, payload) VALUES ($1, $2::uuid, $3, $4::jsonb)"};
constexpr pg::Query kSeats{"premiere_seats",
                           "SELECT p.capacity, (SELECT count(*) FROM rentals r WHERE r.premiere_id = p.id "
                           "AND r.cancelled_at IS NULL) AS taken FROM premieres p WHERE p.id = $1"};
// Taken in its own statement: in READ COMMITTED the next statement's snapshot then sees the rentals that the
// previous holder of the lock committed (a count in the locking statement itself would not).
constexpr pg::Query kLockPremiere{"premiere_lock", "SELECT id FROM premieres WHERE id = $1 FOR UPDATE"};
constexpr pg::Query kRentals{
    "rentals_list",
    "SELECT r.id, r.premiere_id, p.title, r.period, rfc3339(r.starts_at) AS starts_at, rfc3339(r.ends_at) AS ends_at, "
    "r.amount, r.cancelled_at IS NOT NULL AS cancelled, r.order_id::text AS order_id, "
    "CASE WHEN r.cancelled_at IS NOT NULL THEN 'cancelled' WHEN $2::timestamptz < r.starts_at THEN 'upcoming' "
    "WHEN $2::timestamptz < r.ends_at THEN 'active' ELSE 'expired' END AS status "
    "FROM rentals r JOIN premieres p ON p.id = r.premiere_id WHERE r.user_id = $1 AND ($3::bigint IS NULL OR r.id = "
    "$3) "
    "ORDER BY r.starts_at DESC, r.id DESC"};
constexpr pg::Query kRentalLock{
    "rental_lock",
    "SELECT r.id, r.order_id::text AS order_id, r.amount, r.premiere_id, p.title, "
    "rfc3339(r.starts_at) AS starts_at, r.starts_at <= $3::timestamptz AS started, "
    "r.cancelled_at IS NOT NULL AS cancelled FROM rentals r JOIN premieres p ON p.id = r.premiere_id "
    "WHERE r.id = $1 AND r.user_id = $2 FOR UPDATE OF r"};
constexpr pg::Query kRentalCancel{"rental_cancel",
                                  "UPDATE rentals SET cancelled_at = now() WHERE id = $1 AND cancelled_at IS NULL"};
constexpr pg::Query kStuck{
    "orders_stuck",
    "SELECT id::text AS id, user_id, total FROM orders WHERE status = 'pending_payment' "
    "AND confirm_started_at < now() - interval '30 seconds' ORDER BY confirm_started_at LIMIT 20"};
constexpr pg::Query kExpire{"orders_expire",
                            "UPDATE orders SET status = 'expired', updated_at = now() WHERE status = 'pending_payment' "
                            "AND confirm_started_at IS NULL AND created_at < $1::timestamptz RETURNING id::text AS id"};
constexpr pg::Query kEndingSoon{
    "reminders_ending",
    "SELECT r.id, r.user_id, p.title, rfc3339(r.ends_at) AS ends_at FROM rentals r JOIN premieres p ON p.id = "
    "r.premiere_id "
    "WHERE r.cancelled_at IS NULL AND r.end_reminded_at IS NULL AND r.ends_at > $1::timestamptz "
    "AND r.ends_at <= $1::timestamptz + make_interval(mins => $2) AND r.starts_at <= $1::timestamptz "
    "ORDER BY r.ends_at LIMIT 100 FOR UPDATE OF r SKIP LOCKED"};
constexpr pg::Query kStarting{
    "reminders_starting",
    "SELECT r.id, r.user_id, p.title, rfc3339(r.starts_at) AS starts_at, rfc3339(r.ends_at) AS ends_at "
    "FROM rentals r JOIN premieres p ON p.id = r.premiere_id "
    "WHERE r.cancelled_at IS NULL AND r.start_reminded_at IS NULL AND r.starts_at <= $1::timestamptz "
    "AND r.ends_at > $1::timestamptz ORDER BY r.starts_at LIMIT 100 FOR UPDATE OF r SKIP LOCKED"};
constexpr pg::Query kMarkEnd{"reminder_end_sent", "UPDATE rentals SET end_reminded_at = now() WHERE id = $1"};
constexpr pg::Query kMarkStart{"reminder_start_sent", "UPDATE rentals SET start_reminded_at = now() WHERE id = $1"};

struct PremiereInfo {
    int64_t id;
    std::string title;
    bool hidden;
    Money price_online;
    int discount_percent;
    std::optional<time::TimePoint> discount_until;
    time::TimePoint from, until;
    std::map<int, int> factors;  // hours → factor in thousandths
    std::optional<int64_t> capacity;
    int base_period;
};

std::optional<PremiereInfo> premiere_info(pg::Pool& pool, int64_t id) {
    auto r = pool.exec(kItemInfo, pg::Params(id));
    if (r.empty()) return std::nullopt;
    PremiereInfo p{id,
                   r.text(0, "title"),
                   r.boolean(0, "hidden"),
                   Money::kopecks(r.int64(0, "price_online")),
                   static_cast<int>(r.int64(0, "discount_percent")),
                   r.is_null(0, "discount_until") ? std::nullopt : time::parse_rfc3339(r.text(0, "discount_until")),
                   *time::parse_rfc3339(r.text(0, "res_from")),
                   *time::parse_rfc3339(r.text(0, "res_until")),
                   period_factors(r.text(0, "periods")),
                   r.opt_int64(0, "capacity"),
                   static_cast<int>(r.int64(0, "base_period_hours"))};
    return p;
}

using Item = Orders::Item;

// Validates one item against the premiere's reservation rules; field errors are prefixed with `at`.
std::optional<Item> check_item(pg::Pool& pool, const time::Clock& clock, const boost::json::value& v,
                               const std::string& at, std::vector<FieldError>& errors, bool start_optional) {
    if (!v.is_object()) {
        errors.push_back({at, "Ожидается объект"});
        return std::nullopt;
    }
    json::Reader r(v.as_object());
    auto id = r.int64(r.object().contains("premiere_id") ? "premiere_id" : "id", true, 1);
    auto period = r.int64("period", !start_optional, 1, 720);
    auto starts = r.str("starts_at", !start_optional, 40);
    for (auto e : r.errors()) errors.push_back({at + "." + e.field, e.message});
    if (!r.ok()) return std::nullopt;
    auto info = premiere_info(pool, *id);
    if (!info || info->hidden) {
        errors.push_back({at + ".premiere_id", "Премьера не найдена или недоступна"});
        return std::nullopt;
    }
    int hours = period ? static_cast<int>(*period) : info->base_period;
    if (!info->factors.contains(hours)) {
        errors.push_back({at + ".period", "Можно выбрать: " + period_list(info->factors) + " ч."});
        return std::nullopt;
    }
    auto now = clock.now();
    auto start = now;
    if (starts) {
        auto t = time::parse_rfc3339(*starts);
        if (!t) {
            errors.push_back({at + ".starts_at", "Дата и время в формате RFC 3339"});
            return std::nullopt;
        }
        start = *t;
    }
    if (start < now - std::chrono::minutes(5)) {
        errors.push_back({at + ".starts_at", "Время начала уже прошло"});
        return std::nullopt;
    }
    if (start < info->from || start > info->until) {
        errors.push_back({at + ".starts_at", "Премьеру можно забронировать с " + time::format_rfc3339(info->from) +
                                                 " до " + time::format_rfc3339(info->until)});
        return std::nullopt;
    }
    auto q = quote(info->price_online, info->factors[hours], info->discount_percent, info->discount_until, now);
    return Item{info->id, info->title, hours, start, q.total, info->capacity};
}

object billing_result(const http::ClientResponse& r) {
    if (r.status == 200) return boost::json::parse(r.body).as_object();
    log::error("billing answered unexpectedly", {{"status", r.status}});
    throw unavailable("Оплата временно недоступна, попробуйте ещё раз", 2);
}

int64_t parse_int_id(const std::string& s) { return parse_id(s, "id"); }
}  // namespace

Orders::Orders(pg::Pool& pool, Catalog& catalog, http::Client& billing, const time::Clock& clock,
               std::function<std::string()> service_identity, OrdersConfig config)
    : pool_(pool),
      catalog_(catalog),
      billing_(billing),
      clock_(clock),
      identity_(std::move(service_identity)),
      config_(std::move(config)) {}

object Orders::cart(const std::string& user) {
    auto rows = pool_.exec(kCartList, pg::Params(user));
    boost::json::array items;
    int64_t total = 0;
    auto version = catalog_.version();
    for (int i = 0; i < rows.rows(); ++i) {
        auto pid = rows.int64(i, "premiere_id");
        auto card = catalog_.premiere(pid, version);
        auto period =
            rows.opt_int64(i, "period").value_or(card["reservation"].as_object()["default_period"].as_int64());
        int64_t price = card["price_online_final"].as_int64();
        try {
            price = catalog_.rent_quote(pid, static_cast<int>(period), version)["total"].as_int64();
        } catch (const Problem&) {
        }
        total += price;
        auto starts = rows.opt_text(i, "starts_at");
        items.push_back(object{{"id", rows.int64(i, "id")},
                               {"premiere", card},
                               {"period", period},
                               {"starts_at", starts ? boost::json::value(*starts) : boost::json::value(nullptr)},
                               {"price", price}});
    }
    return {{"items", std::move(items)}, {"total", total}};
}

object Orders::cart_add(const std::string& user, const std::string& body) {
    json::Reader r(body);
    auto pid = r.int64("premiere_id", true, 1);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    r.finish();
    auto info = premiere_info(pool_, *pid);
    if (!info) throw not_found("Премьера не найдена");
    if (info->hidden) throw unprocessable("Премьера недоступна", {{"premiere_id", "Премьера снята с показа"}});
    if (period && !info->factors.contains(static_cast<int>(*period)))
        throw unprocessable("Такой срок недоступен",
                            {{"period", "Можно выбрать: " + period_list(info->factors) + " ч."}});
    std::optional<std::string> start_param;
    if (starts) {
        auto t = time::parse_rfc3339(*starts);
        if (!t) throw bad_request("Некорректная дата", {{"starts_at", "Дата и время в формате RFC 3339"}});
        start_param = time::format_rfc3339(*t);
    }
    pool_.exec(kCartAdd, pg::Params(user, *pid, period, start_param));
    return cart(user);
}

object Orders::cart_update(const std::string& user, int64_t item, const std::string& body) {
    json::Reader r(body);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    std::optional<std::string> start_param;
    if (starts) {
        auto t = time::parse_rfc3339(*starts);
        if (!t)
            r.fail("starts_at", "Дата и время в формате RFC 3339");
        else
            start_param = time::format_rfc3339(*t);
    }
    r.finish();
    auto rows = pool_.exec(kCartUpdate, pg::Params(item, user, period, start_param));
    if (rows.empty()) throw not_found("В корзине нет такой позиции");
    return cart(user);
}

void Orders::cart_remove(const std::string& user, int64_t item) {
    if (pool_.exec(kCartRemove, pg::Params(item, user)).affected() == 0) throw not_found("В корзине нет такой позиции");
}

object Orders::create_order(const std::string& user, const std::string& key, const std::string& body) {
    return order(user, place_order(user, key, body, false).id);
}

Orders::Placed Orders::place_order(const std::string& user, const std::string& key, const std::string& body,
                                   bool confirming) {
    auto hash = auth::sha256_hex(body);
    auto existing = pool_.exec(kOrderByKey, pg::Params(user, key));
    if (!existing.empty()) {
        if (existing.text(0, "request_hash") != hash)
            throw unprocessable("Ключ идемпотентности уже использован для другого заказа",
                                {{"Idempotency-Key", "Использован для другого запроса"}})
                .with_type("idempotency-key-reused");
        return {existing.text(0, "id"), {}};
    }
    json::Reader r(body);
    const auto* items_v = r.value("items");
    std::vector<FieldError> errors;
    std::vector<Item> items;
    if (!items_v || !items_v->is_array())
        throw bad_request("Проверьте поле items", {{"items", "Ожидается массив премьер"}});
    if (items_v->as_array().empty()) {
        errors.push_back({"items", "Нужна хотя бы одна премьера"});
    } else if (items_v->as_array().size() > 20) {
        errors.push_back({"items", "Не больше 20 премьер в заказе"});
    } else {
        std::set<int64_t> seen;
        for (size_t i = 0; i < items_v->as_array().size(); ++i) {
            auto at = "items[" + std::to_string(i) + "]";
            if (auto item = check_item(pool_, clock_, items_v->as_array()[i], at, errors, false)) {
                if (!seen.insert(item->premiere_id).second)
                    errors.push_back({at + ".premiere_id", "Премьера уже есть в заказе"});
                items.push_back(*item);
            }
        }
    }
    if (!errors.empty()) {
        bool shape = std::any_of(errors.begin(), errors.end(), [](const FieldError& e) {
            return e.message.rfind("Ожидается", 0) == 0 || e.message == "Обязательное поле";
        });
        if (shape) throw bad_request("Проверьте поле " + errors.front().field, errors);
        throw unprocessable("Заказ нельзя оформить: проверьте поле " + errors.front().field, errors);
    }
    Money total;
    for (const auto& i : items) total = total + i.price;
    auto id = uuid_v7();
    boost::json::array lines;
    for (const auto& it : items)
        lines.push_back(object{{"premiere_id", it.premiere_id},
                               {"title", it.title},
                               {"period", it.period},
                               {"starts_at", time::format_rfc3339(it.starts_at)},
                               {"ends_at", time::format_rfc3339(it.starts_at + std::chrono::hours(it.period))},
                               {"price", it.price.as_kopecks()}});
    try {
        pool_.exec(kOrderInsert,
                   pg::Params(id, user, total.as_kopecks(), key, hash, confirming, boost::json::serialize(lines),
                              boost::json::serialize(object{{"total", total.as_kopecks()}})));
    } catch (const pg::UniqueViolation&) {
        // Another request with this key is being handled right now (Stripe's rule: 409, retry later).
        throw conflict("Запрос с этим ключом идемпотентности уже выполняется, повторите его через секунду")
            .with_type("idempotency-key-in-flight");
    }
    return {id, std::move(items)};
}

int64_t Orders::balance_of(const std::string& user) {
    http::Headers h;
    h.set(auth::kIdentityHeader, identity_());
    auto r = billing_.send("GET", "/internal/balance/" + http::percent_encode(user), h);
    return billing_result(r).at("amount").as_int64();
}

namespace {
// The order's JSON from its row (id, status, total, created_at) and its lines.
object order_object(const pg::Result& o, const pg::Result& items) {
    boost::json::array arr;
    for (int i = 0; i < items.rows(); ++i)
        arr.push_back(object{{"premiere_id", items.int64(i, "premiere_id")},
                             {"title", items.text(i, "title")},
                             {"period", items.int64(i, "period")},
                             {"starts_at", items.text(i, "starts_at")},
                             {"ends_at", items.text(i, "ends_at")},
                             {"price", items.int64(i, "price")}});
    return object{{"id", o.text(0, "id")},
                  {"status", o.text(0, "status")},
                  {"total", o.int64(0, "total")},
                  {"created_at", o.text(0, "created_at")},
                  {"items", std::move(arr)}};
}
}  // namespace

std::optional<object> Orders::order_json(pg::Transaction& tx, const std::string& order_id, const std::string* user) {
    auto o = tx.exec(kOrderGet, pg::Params(order_id));
    if (o.empty() || (user && o.text(0, "user_id") != *user)) return std::nullopt;
    return order_object(o, tx.exec(kOrderItems, pg::Params(order_id)));
}

object Orders::own_order(const std::string& user, const std::string& id) {
    if (!is_uuid(id)) throw not_found("Заказ не найден");
    auto out = pool_.transact([&](pg::Transaction& tx) { return order_json(tx, id, &user); });
    if (!out) throw not_found("Заказ не найден");
    return *out;
}

object Orders::order(const std::string& user, const std::string& id) {
    auto out = own_order(user, id);
    if (out["status"].as_string() == "pending_payment") {
        auto balance = balance_of(user);
        auto total = out["total"].as_int64();
        out["balance"] = balance;
        out["next"] = balance >= total ? "confirm" : "top_up";
        out["shortfall"] = std::max<int64_t>(0, total - balance);
    }
    return out;
}

object Orders::withdraw(const std::string& user, const std::string& order_id, int64_t premiere, int64_t total,
                        const std::string& key) {
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set("Idempotency-Key", key.empty() ? "order:" + order_id : key);
    h.set(auth::kIdentityHeader, identity_());
    object body{{"id", premiere}, {"summ", total}, {"user_id", user}, {"order_id", order_id}};
    return billing_result(billing_.send("POST", "/api/v1/billing/withdraw/", h, boost::json::serialize(body)));
}

object Orders::refund(const std::string& user, const std::string& order_id, int64_t amount, const std::string& key,
                      const std::string& reason) {
    http::Headers h;
    h.set("Content-Type", "application/json");
    h.set("Idempotency-Key", key);
    h.set(auth::kIdentityHeader, identity_());
    object body{{"user_id", user}, {"order_id", order_id}, {"summ", amount}, {"reason", reason}};
    return billing_result(billing_.send("POST", "/api/v1/billing/refund/", h, boost::json::serialize(body)));
}

object Orders::finish_paid(const std::string& user, const std::string& order_id, int64_t balance,
                           const std::vector<Item>* fresh) {
    bool sold_out = false;
    std::optional<object> out;
    // Placed by this request: its lines (and which of them are live shows) are known.
    bool any_live =
        !fresh || std::any_of(fresh->begin(), fresh->end(), [](const Item& i) { return i.capacity.has_value(); });
    auto now = now_param();
    pool_.transact([&](pg::Transaction& tx) {
        out.reset();  // a retried transaction starts over
        // Live shows have a fixed number of online seats: the premiere's row lock makes concurrent buyers
        // take them one at a time, so they are never oversold.
        if (any_live) {
            auto live = tx.exec(kLiveItems, pg::Params(order_id));
            for (int i = 0; i < live.rows(); ++i) {
                tx.exec(kLockPremiere, pg::Params(live.int64(i, "premiere_id")));
                auto seats = tx.exec(kSeats, pg::Params(live.int64(i, "premiere_id")));
                if (seats.int64(0, "taken") >= seats.int64(0, "capacity")) {
                    sold_out = true;
                    return;
                }
            }
        }
        auto rentals = tx.exec(kOrderPaid, pg::Params(order_id, now, user));
        if (rentals.empty()) return;  // finished already (a concurrent confirm or the recovery loop)
        out = order_object(rentals, rentals);
        boost::json::array items;
        for (int i = 0; i < rentals.rows(); ++i) {
            object x{{"title", rentals.text(i, "title")},
                     {"starts_at", rentals.text(i, "starts_at")},
                     {"ends_at", rentals.text(i, "ends_at")},
                     {"amount", rentals.int64(i, "price")}};
            if (rentals.boolean(i, "open"))
                x["watch_url"] = config_.public_origin + "/watch/" + std::to_string(rentals.int64(i, "rental_id"));
            items.push_back(std::move(x));
        }
        messaging::enqueue(
            tx, "notify.purchase_confirmed",
            messaging::make_event("premieres.order.paid.v1",
                                  {{"user_id", user},
                                   {"template", "purchase_confirmed"},
                                   {"params", object{{"order_id", order_id},
                                                     {"items", items},
                                                     {"total", rentals.int64(0, "total")},
                                                     {"rentals_url", config_.public_origin + "/rentals"}}}}));
    });
    if (sold_out) {
        // Compensate: give the money back, then close the order.
        auto total = pool_.transact([&](pg::Transaction& tx) { return *order_json(tx, order_id); })["total"].as_int64();
        refund(user, order_id, total, "sold-out:" + order_id, "sold out");
        pool_.transact([&](pg::Transaction& tx) {
            tx.exec(kOrderCancel, pg::Params(order_id));
            tx.exec(kEvent, pg::Params(nullptr, order_id, "order_cancelled_sold_out",
                                       boost::json::serialize(object{{"refund", total}})));
        });
        throw conflict("Онлайн-места на этот показ закончились, деньги вернулись на баланс");
    }
    // Paid by this call: the order as the transaction left it; paid before (a concurrent confirm or the
    // recovery loop): as it is now.
    if (!out) out = pool_.transact([&](pg::Transaction& tx) { return *order_json(tx, order_id); });
    (*out)["balance"] = balance;
    return *out;
}

object Orders::confirm(const std::string& user, const std::string& id) { return confirm(user, id, nullptr); }

object Orders::confirm(const std::string& user, const std::string& id, const std::vector<Item>* fresh) {
    auto sold_out = [&](int64_t premiere, int64_t capacity) {
        return pool_.exec(kSeats, pg::Params(premiere)).int64(0, "taken") >= capacity;
    };
    int64_t total = 0, first = 0;
    if (fresh) {
        // Placed by this same request a moment ago, pending, at the current price: only the seats are checked.
        for (const auto& it : *fresh) total += it.price.as_kopecks();
        first = fresh->front().premiere_id;
        for (const auto& it : *fresh)
            if (it.capacity && sold_out(it.premiere_id, *it.capacity)) {
                // Stored as being confirmed: closed now, or the recovery loop would try to finish it.
                pool_.exec(kOrderCancel, pg::Params(id));
                throw conflict("Онлайн-места на этот показ закончились");
            }
    } else {
        auto current = own_order(user, id);
        auto status = std::string(current["status"].as_string());
        if (status == "paid") {
            current["balance"] = balance_of(user);
            return current;
        }
        if (status != "pending_payment") throw conflict("Заказ больше нельзя оплатить: оформите его заново");
        total = current["total"].as_int64();
        first = current["items"].as_array()[0].as_object()["premiere_id"].as_int64();
        // The price the customer confirmed is the price charged: a change since the quote needs a new order.
        auto now = clock_.now();
        for (auto& it : current["items"].as_array()) {
            auto& x = it.as_object();
            auto info = premiere_info(pool_, x["premiere_id"].as_int64());
            auto period = static_cast<int>(x["period"].as_int64());
            if (!info || info->hidden || !info->factors.contains(period))
                throw conflict("Премьера «" + std::string(x["title"].as_string()) + "» больше недоступна");
            auto q =
                quote(info->price_online, info->factors[period], info->discount_percent, info->discount_until, now);
            if (q.total.as_kopecks() != x["price"].as_int64())
                throw Problem(409, "Цена изменилась",
                              "Цена премьеры «" + std::string(x["title"].as_string()) +
                                  "» изменилась. Оформите заказ заново, чтобы подтвердить новую цену.")
                    .with_type("price-changed")
                    .with("new_price", q.total.as_kopecks());
            if (info->capacity && sold_out(info->id, *info->capacity))
                throw conflict("Онлайн-места на этот показ закончились");
        }
        pool_.exec(kOrderStart, pg::Params(id));  // a fresh order was stored as being confirmed already
    }
    auto result = withdraw(user, id, first, total);
    if (result["status"].as_string() == "insufficient_funds") {
        throw Problem(402, "Недостаточно средств",
                      "На балансе не хватает " + Money::kopecks(result["shortfall"].as_int64()).format() +
                          ". Пополните баланс и подтвердите списание ещё раз.")
            .with_type("insufficient-funds")
            .with("shortfall", result["shortfall"].as_int64())
            .with("balance", result["balance"].as_int64())
            .with("order_id", boost::json::string(id));
    }
    return finish_paid(user, id, result["balance"].as_int64(), fresh);
}

object Orders::rent(const std::string& user, const std::string& key, const std::string& body) {
    json::Reader r(body);
    auto id = r.int64("id", true, 1);
    auto period = r.int64("period", true, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    r.finish();
    object item{{"premiere_id", *id},
                {"period", *period},
                {"starts_at", starts ? *starts : time::format_rfc3339(clock_.now())}};
    object order_body{{"items", boost::json::array{item}}};
    auto placed = place_order(user, "rent:" + key, boost::json::serialize(order_body), true);
    // A replay (the same key again) confirms as POST /orders/:id/confirm would: the first answer again.
    return confirm(user, placed.id, placed.items.empty() ? nullptr : &placed.items);
}

std::string Orders::now_param() const { return time::format_rfc3339(clock_.now(), true); }

object Orders::rentals(const std::string& user) {
    auto rows = pool_.exec(kRentals, pg::Params(user, now_param(), nullptr));
    boost::json::array items;
    for (int i = 0; i < rows.rows(); ++i) {
        auto pid = rows.int64(i, "premiere_id");
        items.push_back(object{{"id", rows.int64(i, "id")},
                               {"premiere_id", pid},
                               {"title", rows.text(i, "title")},
                               {"poster_url", "/api/v1/premiere/" + std::to_string(pid) + "/poster.svg"},
                               {"starts_at", rows.text(i, "starts_at")},
                               {"ends_at", rows.text(i, "ends_at")},
                               {"period", rows.int64(i, "period")},
                               {"status", rows.text(i, "status")},
                               {"amount", rows.int64(i, "amount")},
                               {"order_id", rows.text(i, "order_id")}});
    }
    return {{"items", std::move(items)}};
}

object Orders::rental(const std::string& user, int64_t id) {
    auto rows = pool_.exec(kRentals, pg::Params(user, now_param(), id));
    if (rows.empty()) throw not_found("Аренда не найдена");
    auto list = rentals(user);
    for (auto& r : list["items"].as_array())
        if (r.as_object()["id"].as_int64() == id) return r.as_object();
    throw not_found("Аренда не найдена");
}

object Orders::cancel(const std::string& user, int64_t id) {
    auto now = now_param();
    auto r = pool_.exec(kRentalLock, pg::Params(id, user, now));
    if (r.empty()) throw not_found("Аренда не найдена");
    if (r.boolean(0, "cancelled")) return rental(user, id);
    if (r.boolean(0, "started"))
        throw conflict("Показ уже начался (" + r.text(0, "starts_at") + "): аренду после начала отменить нельзя");
    auto order_id = r.text(0, "order_id");
    auto amount = r.int64(0, "amount");
    if (amount > 0) refund(user, order_id, amount, "cancel:" + std::to_string(id), "rental cancelled");
    pool_.transact([&](pg::Transaction& tx) {
        auto locked = tx.exec(kRentalLock, pg::Params(id, user, now));
        if (locked.boolean(0, "cancelled")) return;
        tx.exec(kRentalCancel, pg::Params(id));
        tx.exec(kEvent,
                pg::Params(id, order_id, "rental_cancelled", boost::json::serialize(object{{"refund", amount}})));
        messaging::enqueue(
            tx, "notify.rental_cancelled",
            messaging::make_event(
                "premieres.rental.cancelled.v1",
                {{"user_id", user},
                 {"template", "rental_cancelled"},
                 {"params", object{{"rental_id", id}, {"title", locked.text(0, "title")}, {"refund", amount}}}}));
    });
    return rental(user, id);
}

object Orders::change(const std::string& user, int64_t id, const std::string& body) {
    json::Reader r(body);
    auto period = r.int64("period", false, 1, 720);
    auto starts = r.str("starts_at", false, 40);
    std::optional<time::TimePoint> new_start;
    if (starts) {
        new_start = time::parse_rfc3339(*starts);
        if (!new_start) r.fail("starts_at", "Дата и время в формате RFC 3339");
    }
    if (!period && !starts) r.fail("period", "Укажите новый срок или время начала");
    r.finish();
    auto now = clock_.now();
    auto current = rental(user, id);
    auto status = std::string(current["status"].as_string());
    if (status == "cancelled" || status == "expired") throw conflict("Аренда уже завершена или отменена");
    bool started = status == "active";
    if (started && new_start) throw conflict("Показ уже начался: время начала изменить нельзя");
    auto info = premiere_info(pool_, current["premiere_id"].as_int64());
    int hours = period ? static_cast<int>(*period) : static_cast<int>(current["period"].as_int64());
    if (!info || !info->factors.contains(hours))
        throw unprocessable("Такой срок недоступен",
                            {{"period", info ? "Можно выбрать: " + period_list(info->factors) + " ч." : ""}});
    if (started && hours < current["period"].as_int64())
        throw conflict("После начала показа срок можно только продлить");
    auto start = new_start.value_or(*time::parse_rfc3339(std::string(current["starts_at"].as_string())));
    if (new_start && (*new_start < now || *new_start < info->from || *new_start > info->until))
        throw unprocessable("Это время начала недоступно",
                            {{"starts_at", "Выберите время в окне бронирования, не в прошлом"}});
    auto paid = current["amount"].as_int64();
    int64_t amount = hours == current["period"].as_int64() ? paid
                                                           : quote(info->price_online, info->factors[hours],
                                                                   info->discount_percent, info->discount_until, now)
                                                                 .total.as_kopecks();
    auto diff = amount - paid;
    auto order_id = std::string(current["order_id"].as_string());
    auto event_no = pool_
                        .exec({"rental_event_count", "SELECT count(*) AS n FROM rental_events WHERE rental_id = $1"},
                              pg::Params(id))
                        .int64(0, "n");
    auto change_key = "change:" + std::to_string(id) + ":" + std::to_string(event_no);
    if (diff > 0) {
        auto result = withdraw(user, order_id, info->id, diff, change_key);
        if (result["status"].as_string() == "insufficient_funds")
            throw Problem(402, "Недостаточно средств",
                          "Для продления не хватает " + Money::kopecks(result["shortfall"].as_int64()).format())
                .with_type("insufficient-funds")
                .with("shortfall", result["shortfall"].as_int64());
    } else if (diff < 0) {
        refund(user, order_id, -diff, change_key, "rental changed");
    }
    auto ends = start + std::chrono::hours(hours);
    pool_.transact([&](pg::Transaction& tx) {
        tx.exec({"rental_change",
                 "UPDATE rentals SET period = $3, starts_at = $4::timestamptz, ends_at = $5::timestamptz, amount = $6, "
                 "end_reminded_at = NULL WHERE id = $1 AND user_id = $2"},
                pg::Params(id, user, hours, time::format_rfc3339(start), time::format_rfc3339(ends), amount));
        tx.exec(kEvent, pg::Params(id, order_id, "rental_changed",
                                   boost::json::serialize(object{{"period", hours},
                                                                 {"starts_at", time::format_rfc3339(start)},
                                                                 {"charged", std::max<int64_t>(diff, 0)},
                                                                 {"refunded", std::max<int64_t>(-diff, 0)}})));
        messaging::enqueue(tx, "notify.rental_changed",
                           messaging::make_event("premieres.rental.changed.v1",
                                                 {{"user_id", user},
                                                  {"template", "rental_changed"},
                                                  {"params", object{{"rental_id", id},
                                                                    {"title", info->title},
                                                                    {"starts_at", time::format_rfc3339(start)},
                                                                    {"ends_at", time::format_rfc3339(ends)},
                                                                    {"charged", std::max<int64_t>(diff, 0)},
                                                                    {"refunded", std::max<int64_t>(-diff, 0)}}}}));
    });
    return rental(user, id);
}

int Orders::recover_stuck_orders() {
    auto rows = pool_.exec(kStuck);
    int done = 0;
    for (int i = 0; i < rows.rows(); ++i) {
        auto id = rows.text(i, "id");
        auto user = rows.text(i, "user_id");
        try {
            auto first = pool_.exec(kOrderItems, pg::Params(id)).int64(0, "premiere_id");
            auto result = withdraw(user, id, first, rows.int64(i, "total"));
            if (result["status"].as_string() == "paid") {
                finish_paid(user, id, result["balance"].as_int64());
                ++done;
                log::info("recovered an interrupted purchase", {{"order_id", id}});
            }
        } catch (const std::exception& e) {
            log::warn("recovery of an order failed; will retry", {{"order_id", id}, {"error", e.what()}});
        }
    }
    return done;
}

int Orders::expire_orders() {
    auto cutoff = time::format_rfc3339(clock_.now() - config_.order_ttl);
    return pool_.exec(kExpire, pg::Params(cutoff)).rows();
}

int Orders::send_reminders() {
    auto now = now_param();
    int sent = 0;
    pool_.transact([&](pg::Transaction& tx) {
        auto ending = tx.exec(kEndingSoon, pg::Params(now, static_cast<int>(config_.reminder_lead.count())));
        for (int i = 0; i < ending.rows(); ++i) {
            auto id = ending.int64(i, "id");
            tx.exec(kMarkEnd, pg::Params(id));
            messaging::enqueue(tx, "notify.rental_ending_soon",
                               messaging::make_event("premieres.rental.ending_soon.v1",
                                                     {{"user_id", ending.text(i, "user_id")},
                                                      {"template", "rental_ending_soon"},
                                                      {"params", object{{"rental_id", id},
                                                                        {"title", ending.text(i, "title")},
                                                                        {"ends_at", ending.text(i, "ends_at")}}}}));
            ++sent;
        }
        auto starting = tx.exec(kStarting, pg::Params(now));
        for (int i = 0; i < starting.rows(); ++i) {
            auto id = starting.int64(i, "id");
            tx.exec(kMarkStart, pg::Params(id));
            messaging::enqueue(
                tx, "notify.rental_started",
                messaging::make_event(
                    "premieres.rental.started.v1",
                    {{"user_id", starting.text(i, "user_id")},
                     {"template", "rental_started"},
                     {"params", object{{"rental_id", id},
                                       {"title", starting.text(i, "title")},
                                       {"starts_at", starting.text(i, "starts_at")},
                                       {"ends_at", starting.text(i, "ends_at")},
                                       {"watch_url", config_.public_origin + "/watch/" + std::to_string(id)}}}}));
            ++sent;
        }
    });
    return sent;
}

void install_orders(http::Router& router, Orders& orders) {
    auto user = [](const http::Request& req) { return service::require_user(req).user_id; };
    auto key = [](const http::Request& req) {
        auto k = req.headers.get("Idempotency-Key");
        if (!k || k->empty() || k->size() > 200)
            throw bad_request("Нужен заголовок Idempotency-Key", {{"Idempotency-Key", "Обязательный заголовок"}});
        return *k;
    };
    router.get("/api/v1/cart", [&, user](http::Request& req) { return http::Response::json(orders.cart(user(req))); });
    router.post("/api/v1/cart/items", [&, user](http::Request& req) {
        return http::Response::json(201, orders.cart_add(user(req), req.body));
    });
    router.patch("/api/v1/cart/items/:id", [&, user](http::Request& req) {
        return http::Response::json(orders.cart_update(user(req), parse_int_id(req.param("id")), req.body));
    });
    router.del("/api/v1/cart/items/:id", [&, user](http::Request& req) {
        orders.cart_remove(user(req), parse_int_id(req.param("id")));
        return http::Response::no_content();
    });
    router.post("/api/v1/orders", [&, user, key](http::Request& req) {
        return http::Response::json(201, orders.create_order(user(req), key(req), req.body));
    });
    router.get("/api/v1/orders/:id", [&, user](http::Request& req) {
        return http::Response::json(orders.order(user(req), req.param("id")));
    });
    router.post("/api/v1/orders/:id/confirm", [&, user](http::Request& req) {
        return http::Response::json(orders.confirm(user(req), req.param("id")));
    });
    router.post("/api/v1/rent/", [&, user, key](http::Request& req) {
        return http::Response::json(orders.rent(user(req), key(req), req.body));
    });
    router.get("/api/v1/rentals",
               [&, user](http::Request& req) { return http::Response::json(orders.rentals(user(req))); });
    router.get("/api/v1/rentals/:id", [&, user](http::Request& req) {
        return http::Response::json(orders.rental(user(req), parse_int_id(req.param("id"))));
    });
    router.patch("/api/v1/rentals/:id", [&, user](http::Request& req) {
        return http::Response::json(orders.change(user(req), parse_int_id(req.param("id")), req.body));
    });
    router.post("/api/v1/rentals/:id/cancel", [&, user](http::Request& req) {
        return http::Response::json(orders.cancel(user(req), parse_int_id(req.param("id"))));
    });
}

}  // namespace chance::premieres
