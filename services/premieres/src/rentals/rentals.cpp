#include "premieres/rentals/rentals.hpp"

#include <boost/json.hpp>

#include "chance/messaging/events.hpp"
#include "premieres/ordering/store.hpp"
#include "premieres/rentals/store.hpp"

namespace chance::premieres::rentals {

using boost::json::object;

Rentals::Rentals(pg::Pool& pool, const billing::Client& billing, const time::Clock& clock, Config config)
    : pool_(pool), billing_(billing), clock_(clock), config_(std::move(config)) {}

std::string Rentals::now_param() const { return time::format_rfc3339(clock_.now(), true); }

std::vector<Rental> Rentals::list(const std::string& user) { return store::list(pool_, user, now_param()); }

Rental Rentals::get(const std::string& user, int64_t id) {
    auto rows = store::list(pool_, user, now_param(), id);
    if (rows.empty()) throw not_found("Аренда не найдена");
    return rows.front();
}

// Concurrent cancels and changes of one rental (issue #25). Each takes the rental's row in a transaction that
// ends only after billing answered: the cancel by its claim (one UPDATE that cancels it only while it is not
// cancelled and not started), a change by locking the row and planning from what it holds then. A second cancel
// or change waits for the first to commit or roll back, then sees its outcome: a repeated cancel finds the rental
// cancelled and answers it (200, as the first did), a change plans from the changed rental with the next key
// (change:<rental>:<events so far>) and a cancel refunds the amount as changed. The money moves once, only by
// the request that changed the rental, and the row changes only when billing agreed; a billing failure rolls the
// claim back (the rental as it was, the customer may repeat the request, the key replays a refund or debit that
// went through unseen). A change's key is read under the lock, so two changes never share one.
Rental Rentals::cancel(const std::string& user, int64_t id) {
    auto now = now_param();
    pool_.transact([&](pg::Transaction& tx) {
        auto claimed = store::claim_cancel(tx, id, user, now);
        if (!claimed) return;  // not the customer's, cancelled already or started: told apart below
        auto amount = claimed->amount;
        if (amount > 0)
            billing_.refund({user, claimed->order_id, amount, "cancel:" + std::to_string(id), "rental cancelled"});
        ordering::store::add_event(tx, id, claimed->order_id, "rental_cancelled",
                                   boost::json::serialize(object{{"refund", amount}}));
        messaging::enqueue(tx, "notify.rental_cancelled",
                           messaging::make_event(
                               "premieres.rental.cancelled.v1",
                               {{"user_id", user},
                                {"template", "rental_cancelled"},
                                {"params", object{{"rental_id", id}, {"title", claimed->title}, {"refund", amount}}}}));
    });
    auto rows = store::list(pool_, user, now, id);
    if (rows.empty()) throw not_found("Аренда не найдена");
    const auto& r = rows.front();
    if (r.status != Status::cancelled && r.voucher && r.voucher->status == "redeemed")
        throw conflict("Ваучер этой аренды уже использован в кассе театра: отменить её нельзя")
            .with_type("voucher-redeemed");
    if (r.status != Status::cancelled)
        throw conflict("Показ уже начался (" + r.starts_at + "): аренду после начала отменить нельзя");
    return r;
}

Rental Rentals::change(const std::string& user, int64_t id, const Change& change) {
    auto now = clock_.now();
    auto now_s = time::format_rfc3339(now, true);
    // The premiere's terms (a rental's premiere never changes), read before the rental is locked.
    auto terms = ordering::store::premiere_info(pool_, get(user, id).premiere_id);
    pool_.transact([&](pg::Transaction& tx) {
        if (!store::lock(tx, id, user, now_s)) throw not_found("Аренда не найдена");
        auto current = store::list(tx, user, now_s, id).front();
        auto plan = plan_change(current, terms, change, now);
        // A redeemed voucher (ADR 0028) was worth what the rental cost: the theatre has given that value, so no
        // change may give any of it back. Not redeemed, the voucher follows the rental's new price.
        if (plan.refunded() > 0 && current.voucher && current.voucher->status == "redeemed")
            throw conflict("Ваучер этой аренды уже использован в кассе театра: изменение с возвратом денег невозможно")
                .with_type("voucher-redeemed");
        auto key = "change:" + std::to_string(id) + ":" + std::to_string(store::event_count(tx, id));
        if (plan.diff > 0) {
            auto result = billing_.withdraw({user, current.order_id, current.premiere_id, plan.diff, key});
            if (!result.paid)
                throw Problem(402, "Недостаточно средств",
                              "Для изменения аренды на балансе не хватает " + Money::kopecks(result.shortfall).format())
                    .with_type("insufficient-funds")
                    .with("shortfall", result.shortfall);
        } else if (plan.diff < 0) {
            billing_.refund({user, current.order_id, plan.refunded(), key, "rental changed"});
        }
        auto starts = time::format_rfc3339(plan.start);
        auto ends = time::format_rfc3339(plan.ends);
        store::apply_change(tx, id, user, plan.hours, starts, ends, plan.amount);
        ordering::store::add_event(tx, id, current.order_id, "rental_changed",
                                   boost::json::serialize(object{{"period", plan.hours},
                                                                 {"starts_at", starts},
                                                                 {"charged", plan.charged()},
                                                                 {"refunded", plan.refunded()}}));
        messaging::enqueue(
            tx, "notify.rental_changed",
            messaging::make_event("premieres.rental.changed.v1", {{"user_id", user},
                                                                  {"template", "rental_changed"},
                                                                  {"params", object{{"rental_id", id},
                                                                                    {"title", terms->title},
                                                                                    {"starts_at", starts},
                                                                                    {"ends_at", ends},
                                                                                    {"charged", plan.charged()},
                                                                                    {"refunded", plan.refunded()}}}}));
    });
    return get(user, id);
}

int Rentals::send_reminders() {
    auto now = now_param();
    int sent = 0;
    pool_.transact([&](pg::Transaction& tx) {
        sent = 0;  // a retried transaction starts over
        for (const auto& r : store::ending_soon(tx, now, static_cast<int>(config_.reminder_lead.count()))) {
            store::mark_end_reminded(tx, r.id);
            messaging::enqueue(
                tx, "notify.rental_ending_soon",
                messaging::make_event(
                    "premieres.rental.ending_soon.v1",
                    {{"user_id", r.user_id},
                     {"template", "rental_ending_soon"},
                     {"params", object{{"rental_id", r.id}, {"title", r.title}, {"ends_at", r.ends_at}}}}));
            ++sent;
        }
        auto watch_url = [&](int64_t id) { return config_.public_origin + "/watch/" + std::to_string(id); };
        for (const auto& r : store::starting_soon(tx, now, static_cast<int>(config_.soon_lead.count()))) {
            store::mark_soon_reminded(tx, r.id);
            messaging::enqueue(tx, "notify.rental_starting_soon",
                               messaging::make_event("premieres.rental.starting_soon.v1",
                                                     {{"user_id", r.user_id},
                                                      {"template", "rental_starting_soon"},
                                                      {"params", object{{"rental_id", r.id},
                                                                        {"title", r.title},
                                                                        {"starts_at", r.starts_at},
                                                                        {"watch_url", watch_url(r.id)}}}}));
            ++sent;
        }
        for (const auto& r : store::unwatched(tx, now)) {
            store::mark_unwatched_reminded(tx, r.id);
            messaging::enqueue(tx, "notify.rental_unwatched",
                               messaging::make_event("premieres.rental.unwatched.v1",
                                                     {{"user_id", r.user_id},
                                                      {"template", "rental_unwatched"},
                                                      {"params", object{{"rental_id", r.id},
                                                                        {"title", r.title},
                                                                        {"ends_at", r.ends_at},
                                                                        {"watch_url", watch_url(r.id)}}}}));
            ++sent;
        }
        for (const auto& r : store::starting(tx, now)) {
            store::mark_start_reminded(tx, r.id);
            messaging::enqueue(tx, "notify.rental_started",
                               messaging::make_event("premieres.rental.started.v1",
                                                     {{"user_id", r.user_id},
                                                      {"template", "rental_started"},
                                                      {"params", object{{"rental_id", r.id},
                                                                        {"title", r.title},
                                                                        {"starts_at", r.starts_at},
                                                                        {"ends_at", r.ends_at},
                                                                        {"watch_url", watch_url(r.id)}}}}));
            ++sent;
        }
    });
    return sent;
}

}  // namespace chance::premieres::rentals
