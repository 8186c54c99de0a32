#pragma once
// Rentals' domain: a rental as the customer sees it and the arithmetic of changing one (PATCH /rentals/:id):
// extending, shortening or moving it, and the difference to charge or refund. Pure; unit-tested.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chance/core/time.hpp"
#include "premieres/ordering/domain.hpp"

namespace chance::premieres::rentals {

// Derived from the window and now: upcoming before the start, active inside, expired after; or cancelled.
enum class Status { upcoming, active, expired, cancelled };
std::string_view to_string(Status s);
// "upcoming" → Status::upcoming; throws std::invalid_argument on anything else.
Status status_from(std::string_view s);

struct Rental {
    int64_t id = 0;
    int64_t premiere_id = 0;
    std::string title;
    std::string starts_at, ends_at;  // RFC 3339
    int64_t period = 0;              // hours
    Status status = Status::upcoming;
    int64_t amount = 0;  // kopecks paid for it (after changes)
    std::string order_id;
    std::optional<int64_t> show_id;  // a seat at a live show (ADR 0027): its start is the show's
    // The theatre voucher issued with it (ADR 0028): code (stored form), amount, valid_until, status, redeemed_at.
    struct Voucher {
        std::string code;
        int64_t amount = 0;
        std::string valid_until, status;
        std::optional<std::string> redeemed_at;
    };
    std::optional<Voucher> voucher;
};

// PATCH /rentals/:id: a new period, a new start, or both (at least one).
struct Change {
    std::optional<int> period;
    std::optional<time::TimePoint> starts_at;
};

// What a change makes of a rental: its new period, window and price, and the difference to the price paid
// (positive: to charge; negative: to refund).
struct ChangePlan {
    int hours = 0;
    time::TimePoint start, ends;
    int64_t amount = 0;
    int64_t diff = 0;
    int64_t charged() const { return diff > 0 ? diff : 0; }
    int64_t refunded() const { return diff < 0 ? -diff : 0; }
};

// Plans `change` of `current` at `now` with its premiere's terms (nullopt: the premiere is gone). Extending is
// allowed until the end, at the current price of the new period; shortening and moving only before the start; a
// live show's seat never moves (422 naming starts_at).
// The period unchanged keeps the price paid. Throws 409 (ended, cancelled, started) or 422 (a period or start
// not offered).
ChangePlan plan_change(const Rental& current, const std::optional<ordering::PremiereTerms>& terms, const Change& change,
                       time::TimePoint now);

}  // namespace chance::premieres::rentals
