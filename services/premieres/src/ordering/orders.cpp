#include "premieres/ordering/orders.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "chance/auth/auth.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"
#include "chance/messaging/events.hpp"
#include "premieres/catalog.hpp"
#include "premieres/ordering/store.hpp"
#include "premieres/ordering/vouchers.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres::ordering {

using boost::json::object;

Orders::Orders(pg::Pool& pool, Catalog& catalog, const billing::Client& billing, const time::Clock& clock,
               Config config)
    : pool_(pool), catalog_(catalog), billing_(billing), clock_(clock), config_(std::move(config)) {}

Cart Orders::cart(const std::string& user) {
    auto rows = store::cart(pool_, user);
    Cart out;
    auto version = catalog_.version();
    for (const auto& row : rows) {
        auto card = catalog_.premiere(row.premiere_id, version);
        auto period = row.period.value_or(card["reservation"].as_object()["default_period"].as_int64());
        const int64_t list_price = card["price_online_final"].as_int64();
        int64_t price = 0;
        try {
            price = catalog_.rent_quote(row.premiere_id, static_cast<int>(period), version)["total"].as_int64();
        } catch (const Problem&) {
            price = list_price;
        }
        out.total += price;
        std::optional<object> show;
        if (row.show)
            show = object{{"id", row.show->id},
                          {"starts_at", row.show->starts_at},
                          {"seats_left", row.show->seats_left},
                          {"status", row.show->status}};
        // A seat's window starts with its show.
        auto starts = row.show ? std::optional(row.show->starts_at) : row.starts_at;
        out.items.push_back({row.id, std::move(card), period, starts, price, std::move(show)});
    }
    return out;
}

Cart Orders::cart_add(const std::string& user, const CartAdd& req) {
    // A premiere the catalog shows is checked against its kept row (no database round trip); one it does not
    // show is read to tell a hidden premiere from an unknown one. The order checks everything again from the
    // database when it is placed.
    std::shared_ptr<const PremiereRow> shown;
    try {
        shown = catalog_.premieres().premiere(req.premiere_id, catalog_.version());
    } catch (const Problem& p) {
        if (p.status() != 404) throw;
    }
    std::map<int, int> factors;
    if (shown) {
        factors = period_factors(shown->card.periods);
    } else {
        auto info = store::premiere_info(pool_, req.premiere_id);
        if (!info) throw not_found("Премьера не найдена");
        if (info->hidden) throw unprocessable("Премьера недоступна", {{"premiere_id", "Премьера снята с показа"}});
        factors = info->factors;
    }
    if (req.period && !factors.contains(static_cast<int>(*req.period)))
        throw unprocessable("Такой срок недоступен", {{"period", "Можно выбрать: " + period_list(factors) + " ч."}});
    std::optional<std::string> start_param;
    if (req.show_id) check_cart_show(req.premiere_id, *req.show_id, req.starts_at.has_value());
    if (req.starts_at) {
        auto t = time::parse_rfc3339(*req.starts_at);
        if (!t) throw bad_request("Некорректная дата", {{"starts_at", "Дата и время в формате RFC 3339"}});
        start_param = time::format_rfc3339(*t);
    }
    store::cart_add(pool_, user, req.premiere_id, req.period, start_param, req.show_id);
    return cart(user);
}

Cart Orders::cart_update(const std::string& user, int64_t item, const CartUpdate& req) {
    if (req.show_id) {
        auto premiere = store::cart_line_premiere(pool_, user, item);
        if (!premiere) throw not_found("В корзине нет такой позиции");
        check_cart_show(*premiere, *req.show_id, req.starts_at.has_value());
    }
    if (!store::cart_update(pool_, user, item, req.period, req.starts_at, req.show_id))
        throw not_found("В корзине нет такой позиции");
    return cart(user);
}

void Orders::check_cart_show(int64_t premiere, int64_t show, bool start_given) {
    if (start_given)
        throw unprocessable("Время начала задаёт показ",
                            {{"starts_at", "Время начала задаёт показ: не указывайте его"}});
    if (auto refused = show_refusal(store::show_info(pool_, show), premiere, clock_.now()))
        throw unprocessable("Этот показ недоступен", {{"show_id", *refused}});
    if (store::seats(pool_, show).gone())
        throw conflict("Онлайн-места на этот показ закончились").with_type("sold-out");
}

void Orders::cart_remove(const std::string& user, int64_t item) {
    if (!store::cart_remove(pool_, user, item)) throw not_found("В корзине нет такой позиции");
}

Order Orders::create_order(const std::string& user, const std::string& key, const std::string& request_hash,
                           const std::function<OrderForm()>& form) {
    return order(user, place_order(user, key, request_hash, form, false).id);
}

Orders::Placed Orders::place_order(const std::string& user, const std::string& key, const std::string& request_hash,
                                   const std::function<OrderForm()>& form, bool confirming) {
    if (auto existing = store::order_by_key(pool_, user, key)) {
        if (existing->request_hash != request_hash)
            throw unprocessable("Ключ идемпотентности уже использован для другого заказа",
                                {{"Idempotency-Key", "Использован для другого запроса"}})
                .with_type("idempotency-key-reused");
        return {existing->id, {}};
    }
    auto lines = check_order(
        form(), [&](int64_t id) { return store::premiere_info(pool_, id); },
        [&](int64_t id) { return store::show_info(pool_, id); }, clock_.now());
    auto id = uuid_v7();
    try {
        store::insert_order(pool_, {id, user, key, request_hash, confirming, lines});
    } catch (const pg::UniqueViolation&) {
        // Another request with this key is being handled right now (Stripe's rule: 409, retry later).
        throw conflict("Запрос с этим ключом идемпотентности уже выполняется, повторите его через секунду")
            .with_type("idempotency-key-in-flight");
    }
    return {id, std::move(lines)};
}

Order Orders::own_order(const std::string& user, const std::string& id) {
    if (!is_uuid(id)) throw not_found("Заказ не найден");
    auto out = pool_.transact([&](pg::Transaction& tx) { return store::load_order(tx, id); });
    if (!out || out->user_id != user) throw not_found("Заказ не найден");
    return std::move(out->order);
}

Order Orders::order(const std::string& user, const std::string& id) {
    auto out = own_order(user, id);
    if (out.status == "pending_payment") offer_payment(out, billing_.balance(user));
    return out;
}

billing::DebitResult Orders::withdraw(const std::string& user, const std::string& order_id, int64_t premiere,
                                      int64_t total) {
    return billing_.withdraw({user, order_id, premiere, total, "order:" + order_id});
}

Order Orders::finish_paid(const std::string& user, const std::string& order_id, int64_t balance,
                          const std::vector<OrderLine>* fresh) {
    bool gone = false;
    std::optional<Order> out;
    // Placed by this request: its lines (and which of them hold seats at live shows) are known.
    bool any_live =
        !fresh || std::any_of(fresh->begin(), fresh->end(), [](const OrderLine& l) { return l.show_id.has_value(); });
    auto now = time::format_rfc3339(clock_.now(), true);
    pool_.transact([&](pg::Transaction& tx) {
        out.reset();  // a retried transaction starts over
        // Live shows have a fixed number of online seats: the show's row lock makes concurrent buyers take them
        // one at a time, so they are never oversold (and a show cancelled meanwhile sells none).
        if (any_live) {
            for (auto show : store::live_shows(tx, order_id)) {
                store::lock_show(tx, show);
                if (store::seats(tx, show).gone()) {
                    gone = true;
                    return;
                }
            }
        }
        auto paid = store::mark_paid(tx, order_id, now, user);
        if (!paid) return;  // finished already (a concurrent confirm or the recovery loop)
        out = paid->order;
        boost::json::array items;
        for (const auto& line : paid->lines) {
            object x{{"title", line.item.title},
                     {"starts_at", line.item.starts_at},
                     {"ends_at", line.item.ends_at},
                     {"amount", line.item.price}};
            if (line.open) x["watch_url"] = config_.public_origin + "/watch/" + std::to_string(line.rental_id);
            if (line.voucher_code)
                x["voucher"] = object{{"code", voucher_display(*line.voucher_code)},
                                      {"amount", line.item.price},
                                      {"valid_until", *line.voucher_until}};
            items.push_back(std::move(x));
        }
        messaging::enqueue(
            tx, "notify.purchase_confirmed",
            messaging::make_event(
                "premieres.order.paid.v1",
                {{"user_id", user},
                 {"template", "purchase_confirmed"},
                 {"params", object{{"order_id", order_id},
                                   {"items", items},
                                   {"total", paid->order.total},
                                   {"rentals_url", config_.public_origin + "/rentals"},
                                   {"orders_url", config_.public_origin + "/orders?order=" + order_id}}}}));
    });
    if (gone) {
        // Compensate: give the money back, then close the order.
        auto total = pool_.transact([&](pg::Transaction& tx) { return store::load_order(tx, order_id)->order.total; });
        billing_.refund({user, order_id, total, "sold-out:" + order_id, "sold out"});
        pool_.transact([&](pg::Transaction& tx) {
            // Two finishers of one order (a confirmation and the recovery loop of another replica) may both get
            // here: the refund's key makes it one refund, and only the one that cancels the order records it.
            if (store::cancel_pending(tx, order_id))
                store::add_event(tx, std::nullopt, order_id, "order_cancelled_sold_out",
                                 boost::json::serialize(object{{"refund", total}}));
        });
        throw conflict("Онлайн-места на этот показ закончились, деньги вернулись на баланс");
    }
    // Paid by this call: the order as the transaction left it; paid before (a concurrent confirm or the
    // recovery loop): as it is now.
    if (!out) out = pool_.transact([&](pg::Transaction& tx) { return store::load_order(tx, order_id)->order; });
    out->balance = balance;
    return *out;
}

Order Orders::confirm(const std::string& user, const std::string& id) { return confirm(user, id, nullptr); }

Order Orders::confirm(const std::string& user, const std::string& id, const std::vector<OrderLine>* fresh) {
    auto seats_gone = [&](int64_t show) { return store::seats(pool_, show).gone(); };
    int64_t total = 0, first = 0;
    if (fresh) {
        // Placed by this same request a moment ago, pending, at the current price: only the seats are checked.
        total = total_of(*fresh).as_kopecks();
        first = fresh->front().premiere_id;
        for (const auto& line : *fresh)
            if (line.show_id && seats_gone(*line.show_id)) {
                // Stored as being confirmed: closed now, or the recovery loop would try to finish it.
                store::cancel_pending(pool_, id);
                throw conflict("Онлайн-места на этот показ закончились").with_type("sold-out");
            }
    } else {
        auto current = own_order(user, id);
        if (current.status == "paid") {
            current.balance = billing_.balance(user);
            return current;
        }
        if (current.status != "pending_payment") throw conflict("Заказ больше нельзя оплатить: оформите его заново");
        total = current.total;
        first = current.items.at(0).premiere_id;
        // The price the customer confirmed is the price charged: a change since the quote needs a new order.
        auto now = clock_.now();
        for (const auto& item : current.items) {
            PlacedLine line{item.premiere_id, item.title, static_cast<int>(item.period), item.price};
            auto terms = store::premiere_info(pool_, line.premiere_id);
            auto r = requote(line, terms, now);
            if (r.kind != Requote::same) throw requote_problem(line, r);
        }
        for (auto show : store::live_shows(pool_, id))
            if (seats_gone(show)) throw conflict("Онлайн-места на этот показ закончились").with_type("sold-out");
        // A fresh order was stored as being confirmed already. Marked before the debit is sent: from here on the
        // order does not expire. Not pending any more (expired or paid since it was read): nothing is sent.
        if (!store::mark_confirm_started(pool_, id)) {
            auto now = own_order(user, id);
            if (now.status != "paid") throw conflict("Заказ больше нельзя оплатить: оформите его заново");
            now.balance = billing_.balance(user);
            return now;
        }
    }
    auto result = withdraw(user, id, first, total);
    if (!result.paid) {
        // Refused, and billing stores no refusal: this confirmation is over, and the order is no longer being
        // confirmed unless another one is in flight. The customer confirms again after a top-up; the recovery
        // loop never pays it on its own, and it expires as if never confirmed. When that write fails (the
        // database down), the customer still gets the 402: the mark left behind is taken back by the recovery
        // loop, which gets the same refusal.
        try {
            store::confirm_refused(pool_, id);
        } catch (const std::exception& e) {
            log::warn("could not take back a refused confirmation's mark; the recovery loop will",
                      {{"order_id", id}, {"error", e.what()}});
        }
        throw Problem(402, "Недостаточно средств",
                      "На балансе не хватает " + Money::kopecks(result.shortfall).format() +
                          ". Пополните баланс и подтвердите списание ещё раз.")
            .with_type("insufficient-funds")
            .with("shortfall", result.shortfall)
            .with("balance", result.balance)
            .with("order_id", boost::json::string(id));
    }
    return finish_paid(user, id, result.balance, fresh);
}

Order Orders::rent(const std::string& user, const std::string& key, const RentRequest& req) {
    // The order's body as POST /orders would carry it: its hash is the key's (the first answer's) fingerprint.
    // Without a start the window opens at the payment, as in an order placed without one; a retry without a
    // start is then the same request, whenever it comes.
    object item{{"premiere_id", req.premiere_id}, {"period", req.period}};
    if (req.starts_at) item["starts_at"] = *req.starts_at;
    if (req.show_id) item["show_id"] = *req.show_id;
    object order_body{{"items", boost::json::array{item}}};
    auto hash = auth::sha256_hex(boost::json::serialize(order_body));
    auto form = [&] {
        return OrderForm{{LineInput{req.premiere_id, static_cast<int>(req.period), req.starts_at, {}, req.show_id}}};
    };
    auto placed = place_order(user, "rent:" + key, hash, form, true);
    // A replay (the same key again) confirms as POST /orders/:id/confirm would: the first answer again.
    return confirm(user, placed.id, placed.lines.empty() ? nullptr : &placed.lines);
}

// The recovery loop and its races (docs/architecture.md §3, «The recovery loop»). An order is being confirmed
// while confirms_in_flight > 0: each confirmation adds one (store::mark_confirm_started, before its debit is
// sent) and takes it back when billing answers «insufficient funds» (store::confirm_refused); a paid order is
// no longer pending. So the only orders this loop sees are ones with a confirmation interrupted (a crash, or
// billing unreachable) more than 30 s ago, a confirm's whole life being shorter (the billing client gives up
// after 3 × 5 s); refused orders never fill its 20 places.
//   - It sends the same debit (key order:<id>): billing answers a debit that went through with its stored
//     `paid` answer, and finish_paid pays the order once (UPDATE … WHERE status = 'pending_payment'), whoever
//     else finishes it at the same time (a confirm in flight with the same key gets the same answer).
//   - «Insufficient funds» is not stored by billing, so that answer means no debit of the lost confirmations
//     went through: their marks are taken back (store::confirm_abandoned) and the order is no longer being
//     confirmed; after a top-up the customer confirms again, the loop does not pay it on its own, and it expires
//     as if never confirmed. They are taken back only if confirm_started_at is still the token read here: a
//     confirmation that marked the order meanwhile (its debit in flight, possibly paid after a top-up) changed
//     it, so the order stays being confirmed and a later pass finishes it.
//   - An order expires only with no confirmation in flight (confirm_started_at NULL), and a confirmation sends
//     its debit only after its mark succeeded on a pending order: an order never expires after its debit.
int Orders::recover_stuck_orders() {
    int done = 0;
    for (const auto& o : store::stuck_orders(pool_)) {
        try {
            auto result = withdraw(o.user_id, o.id, store::first_premiere(pool_, o.id), o.total);
            if (result.paid) {
                finish_paid(o.user_id, o.id, result.balance);
                ++done;
                log::info("recovered an interrupted purchase", {{"order_id", o.id}});
            } else if (store::confirm_abandoned(pool_, o.id, o.started)) {
                log::info("an interrupted confirmation was refused for funds; the customer confirms again",
                          {{"order_id", o.id}});
            }
        } catch (const std::exception& e) {
            log::warn("recovery of an order failed; will retry", {{"order_id", o.id}, {"error", e.what()}});
        }
    }
    return done;
}

int Orders::expire_orders() {
    return store::expire_orders(pool_, time::format_rfc3339(clock_.now() - config_.order_ttl));
}

}  // namespace chance::premieres::ordering
