#pragma once
// Ordering's domain: the typed values of carts and orders and the pure rules of the purchase saga — checking a
// line against its premiere's reservation terms, re-quoting a placed line at confirmation, and seats of live
// shows. Nothing here reads the database or JSON; the store reads rows into these types and the routes render
// them.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "chance/core/error.hpp"
#include "chance/core/money.hpp"
#include "chance/core/time.hpp"

namespace chance::premieres::ordering {

// A premiere's terms as ordering needs them (the store's premiere_info, from the catalog's PremiereRow).
struct PremiereTerms {
    int64_t id = 0;
    std::string title;
    bool hidden = false;
    Money price_online;
    int discount_percent = 0;
    std::optional<time::TimePoint> discount_until;
    time::TimePoint from, until;      // the reservation window
    std::map<int, int> factors;       // hours → factor in thousandths
    std::optional<int64_t> capacity;  // live shows: online seats
    int base_period = 0;
};

// A live show as ordering needs it (the store's show_info; ADR 0027): its time and online seats.
struct ShowTerms {
    int64_t id = 0;
    int64_t premiere_id = 0;
    time::TimePoint starts_at;
    int64_t capacity = 0;
    bool cancelled = false;
};

// What a premiere costs for `hours` now (hours must be one of its periods).
Money price_for(const PremiereTerms& terms, int hours, time::TimePoint now);

// One line of an order as it was priced when placed.
struct OrderLine {
    int64_t premiere_id = 0;
    std::string title;
    int period = 0;
    time::TimePoint starts_at;  // when starts_on_payment: the placing time, until the payment moves it
    Money price;
    std::optional<int64_t> capacity;  // a live show's online seats
    bool starts_on_payment = false;   // placed without a start: the window opens when the order is paid
    Money discount;                   // what the premiere's discount took off the price (the sales report's)
    std::optional<int64_t> show_id;   // a seat at this live show (the window starts at the show)
};

Money total_of(const std::vector<OrderLine>& lines);

// A field error of a request and whether it is about the request's shape (a field missing or of the wrong
// JSON type: 400) or about a rule (a value out of range, a premiere not available: 422).
enum class Fault { shape, rule };
struct LineError {
    FieldError error;
    Fault fault = Fault::rule;
};

// One line of POST /orders as read from the body: its fields, or the errors reading them (prefixed).
struct LineInput {
    std::optional<int64_t> premiere_id;
    std::optional<int> period;
    std::optional<std::string> starts_at;
    std::vector<LineError> errors;  // non-empty: the line could not be read
    std::optional<int64_t> show_id;
};

// POST /orders's body as read: its lines.
struct OrderForm {
    std::vector<LineInput> lines;
};

// Looks a premiere's terms up (nullopt: no such premiere).
using TermsLookup = std::function<std::optional<PremiereTerms>(int64_t)>;
// Looks a live show up (nullopt: no such show).
using ShowLookup = std::function<std::optional<ShowTerms>(int64_t)>;

// Why a seat at `show` (looked up; nullopt when there is none) cannot be bought for `premiere` at `now`: not this
// premiere's show, cancelled or started; nullopt when it can (seats aside).
std::optional<std::string> show_refusal(const std::optional<ShowTerms>& show, int64_t premiere, time::TimePoint now);

// Checks one line against its premiere's reservation rules at `now`; rule errors are prefixed with `at`.
// `terms`: the line's premiere (nullopt when there is none). A missing period takes the premiere's base
// period; a missing start is «start when paid»: checked as `now`, and moved to the payment's time when paid.
// A line with a show (`show`: the line's show_id looked up) starts at the show: the show must be this premiere's,
// not cancelled and not started, and the line must not name another start; its seats are the show's.
std::optional<OrderLine> check_line(const LineInput& line, const std::optional<PremiereTerms>& terms,
                                    const std::optional<ShowTerms>& show, time::TimePoint now, const std::string& at,
                                    std::vector<LineError>& errors);

// Checks a whole order: 1 to 20 lines, each valid (check_line) and each premiere once. Throws 400 when any
// error is of the shape, 422 when all are rules, listing every error in the order of the lines.
std::vector<OrderLine> check_order(const OrderForm& form, const TermsLookup& terms, const ShowLookup& shows,
                                   time::TimePoint now);
// The same, for orders without shows (a line naming one finds none).
std::vector<OrderLine> check_order(const OrderForm& form, const TermsLookup& terms, time::TimePoint now);

// A placed line at confirmation: the price the customer confirmed is the price charged.
struct PlacedLine {
    int64_t premiere_id = 0;
    std::string title;
    int period = 0;
    int64_t price = 0;  // kopecks, as quoted when placed
};
enum class Requote { same, unavailable, price_changed };
struct RequoteResult {
    Requote kind = Requote::same;
    int64_t new_price = 0;  // price_changed: what it costs now
};
// Re-quotes a placed line at `now`: unavailable when the premiere is gone, hidden or no longer offers the
// period; price_changed when its price for the period differs from the quoted one.
RequoteResult requote(const PlacedLine& line, const std::optional<PremiereTerms>& terms, time::TimePoint now);
// The Problem a re-quote answers with (409 conflict or 409 price-changed); only for a result not `same`.
Problem requote_problem(const PlacedLine& line, const RequoteResult& r);

// A live show with `capacity` online seats of which `taken` are held (by rentals not cancelled) has none left.
bool sold_out(std::optional<int64_t> capacity, int64_t taken);
// What a buyer is told of a live show (ADR 0027), wherever it is shown (the premiere page, the cards, the cart): its
// seats left, never below zero, and its state — cancelled, started, sold_out (sold_out()) or on_sale.
int64_t seats_left(int64_t capacity, int64_t taken);
std::string_view show_status(int64_t capacity, int64_t taken, bool cancelled, bool started);

// The cart as the customer sees it.
struct CartLine {
    int64_t id = 0;
    boost::json::object premiere;  // the catalog's card of the premiere
    int64_t period = 0;
    std::optional<std::string> starts_at;
    int64_t price = 0;
    std::optional<boost::json::object> show;  // a seat at a live show: {id, starts_at, seats_left, status}
};
struct Cart {
    std::vector<CartLine> items;
    int64_t total = 0;
};

// An order as stored: its lines as placed (times as RFC 3339 text).
struct OrderItem {
    int64_t premiere_id = 0;
    std::string title;
    int64_t period = 0;
    std::string starts_at, ends_at;
    int64_t price = 0;
    bool starts_on_payment = false;  // the window opens at the payment (until then starts_at is the placing time)
    std::optional<int64_t> show_id;  // a seat at this live show (ADR 0027)
};
struct Order {
    std::string id;
    std::string status;  // pending_payment | paid | expired | cancelled
    int64_t total = 0;
    std::string created_at;
    std::vector<OrderItem> items;
    std::optional<int64_t> balance;  // the customer's, when answered to them
    // A pending order: what the customer does next (confirm or top_up) and how much is missing.
    std::optional<std::string> next;
    std::optional<int64_t> shortfall;
};
// A pending order offered for payment: the balance, next (confirm when it covers the total, else top_up) and
// the shortfall.
void offer_payment(Order& o, int64_t balance);

// «Мои заказы» (ADR 0019): an order with what its history says about its money.
// An event of the order's history that moved money after its payment (rental_events): rental_changed (period,
// starts_at, charged, refunded), rental_cancelled (refund) or order_cancelled_sold_out (refund). `title` names the
// rental's premiere.
struct MoneyEvent {
    int64_t id = 0;
    std::string type;
    std::string at;
    std::string title;
    int64_t refund = 0, charged = 0, refunded = 0, period = 0;
    std::optional<std::string> starts_at;
    std::string reason;  // a staff refund's, as the customer is told it
};
struct HistoryOrder {
    std::string id;
    std::string status;  // pending_payment | paid | expired | cancelled
    int64_t total = 0;
    std::string created_at;
    std::optional<std::string> paid_at;
    std::vector<OrderItem> items;    // as placed (and moved to the payment for «Начать сразу»)
    std::vector<MoneyEvent> events;  // in the order they happened
};
// A line of a receipt: a rental (with its window when known) or a change of one, with the amount.
struct ReceiptLine {
    std::string title;
    std::string what;  // what was sold or returned, after the title («возврат: аренда отменена»)
    std::optional<int64_t> period;
    std::optional<std::string> starts_at, ends_at;
    int64_t amount = 0;
};
enum class MovementKind { payment, surcharge, refund };
// Money an order moved, with what its receipt lists. `receipt` names it within the order: "payment" for the
// order's payment, the history event's id for the others.
struct Movement {
    MovementKind kind = MovementKind::payment;
    int64_t amount = 0;
    std::string at;
    std::string reason;  // for the customer, in Russian
    std::string receipt;
    std::vector<ReceiptLine> lines;
};
// The order's movements in the order they happened. An order cancelled because its show sold out was paid and then
// refunded, both at the cancellation's time (the order keeps no payment time then). A change that moved no money
// gives none.
std::vector<Movement> movements_of(const HistoryOrder& o);

}  // namespace chance::premieres::ordering
