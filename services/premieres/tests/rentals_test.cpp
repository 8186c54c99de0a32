// The arithmetic of PATCH /rentals/:id without a database: extend, shorten or move a rental, and the
// difference charged or refunded.
#include <gtest/gtest.h>

#include <chrono>

#include "chance/core/time.hpp"
#include "premieres/rentals/domain.hpp"
#include "premieres/rentals/routes.hpp"

using namespace chance;
using namespace chance::premieres;
using namespace chance::premieres::rentals;

namespace {
// 2026-11-28T12:00:00Z
constexpr time::TimePoint kNow{std::chrono::sys_days{std::chrono::year{2026} / std::chrono::November / 28} +
                               std::chrono::hours{12}};

ordering::PremiereTerms terms() {
    ordering::PremiereTerms t;
    t.id = 7;
    t.title = "Маузер";
    t.price_online = Money::kopecks(59900);
    t.from = kNow - std::chrono::hours(24);
    t.until = kNow + std::chrono::hours(24 * 30);
    t.factors = {{12, 700}, {24, 1000}, {48, 1500}};
    t.base_period = 24;
    return t;
}

// Paid 599 ₽ for 24 hours from tomorrow 19:00 (upcoming), or from an hour ago (active).
Rental rental(Status status = Status::upcoming) {
    Rental r;
    r.id = 1;
    r.premiere_id = 7;
    r.title = "Маузер";
    r.starts_at = status == Status::active ? "2026-11-28T11:00:00Z" : "2026-11-29T19:00:00Z";
    r.ends_at = status == Status::active ? "2026-11-29T11:00:00Z" : "2026-11-30T19:00:00Z";
    r.period = 24;
    r.status = status;
    r.amount = 59900;
    r.order_id = "o1";
    return r;
}

Problem refusal(const Rental& r, const std::optional<ordering::PremiereTerms>& t, const Change& c) {
    try {
        plan_change(r, t, c, kNow);
    } catch (const Problem& p) {
        return p;
    }
    ADD_FAILURE() << "the change was accepted";
    return Problem(200, "");
}
}  // namespace

TEST(RentalChange, ExtendingChargesTheDifferenceAtTheCurrentPrice) {
    auto plan = plan_change(rental(), terms(), {48, std::nullopt}, kNow);
    EXPECT_EQ(plan.hours, 48);
    EXPECT_EQ(plan.amount, 89850);
    EXPECT_EQ(plan.diff, 29950);
    EXPECT_EQ(plan.charged(), 29950);
    EXPECT_EQ(plan.refunded(), 0);
    EXPECT_EQ(plan.start, *time::parse_rfc3339("2026-11-29T19:00:00Z"));
    EXPECT_EQ(plan.ends, *time::parse_rfc3339("2026-12-01T19:00:00Z"));
    auto active = plan_change(rental(Status::active), terms(), {48, std::nullopt}, kNow);  // also after the start
    EXPECT_EQ(active.charged(), 29950);
    auto discounted = terms();  // at the price of now, discount included
    discounted.discount_percent = 50;
    EXPECT_EQ(plan_change(rental(), discounted, {48, std::nullopt}, kNow).diff, 44925 - 59900);
}

TEST(RentalChange, ShorteningBeforeTheStartRefundsTheDifference) {
    auto plan = plan_change(rental(), terms(), {12, std::nullopt}, kNow);
    EXPECT_EQ(plan.amount, 41930);
    EXPECT_EQ(plan.diff, -17970);
    EXPECT_EQ(plan.refunded(), 17970);
    EXPECT_EQ(plan.charged(), 0);
    EXPECT_EQ(plan.ends, *time::parse_rfc3339("2026-11-30T07:00:00Z"));
}

TEST(RentalChange, MovingTheStartKeepsThePricePaid) {
    auto dearer = terms();  // the price went up since: the same period keeps what was paid
    dearer.price_online = Money::kopecks(99900);
    auto to = *time::parse_rfc3339("2026-12-05T10:00:00Z");
    auto plan = plan_change(rental(), dearer, {std::nullopt, to}, kNow);
    EXPECT_EQ(plan.diff, 0);
    EXPECT_EQ(plan.amount, 59900);
    EXPECT_EQ(plan.start, to);
    EXPECT_EQ(plan.ends, to + std::chrono::hours(24));
}

TEST(RentalChange, RefusesWhatTheRentalsStateOrThePremiereDoesNotAllow) {
    EXPECT_EQ(refusal(rental(Status::cancelled), terms(), {48, std::nullopt}).status(), 409);
    EXPECT_EQ(refusal(rental(Status::expired), terms(), {48, std::nullopt}).status(), 409);
    EXPECT_EQ(refusal(rental(Status::active), terms(), {std::nullopt, kNow + std::chrono::hours(2)}).status(), 409);
    auto shorter = refusal(rental(Status::active), terms(), {12, std::nullopt});
    EXPECT_EQ(shorter.status(), 409);
    EXPECT_EQ(shorter.detail(), "После начала показа срок можно только продлить");
    auto period = refusal(rental(), terms(), {36, std::nullopt});
    EXPECT_EQ(period.status(), 422);
    EXPECT_EQ(period.errors().at(0).message, "Можно выбрать: 12, 24, 48 ч.");
    EXPECT_EQ(refusal(rental(), std::nullopt, {48, std::nullopt}).status(), 422);
    auto past = refusal(rental(), terms(), {std::nullopt, kNow - std::chrono::minutes(1)});
    EXPECT_EQ(past.status(), 422);
    EXPECT_EQ(past.errors().at(0).field, "starts_at");
    EXPECT_EQ(refusal(rental(), terms(), {std::nullopt, kNow + std::chrono::hours(24 * 31)}).status(), 422);
}

TEST(RentalChange, TheBodyNeedsAPeriodOrAValidStart) {
    EXPECT_EQ(read_change(R"({"period": 48})").period, 48);
    EXPECT_EQ(read_change(R"({"starts_at": "2026-12-05T10:00:00Z"})").starts_at,
              *time::parse_rfc3339("2026-12-05T10:00:00Z"));
    EXPECT_THROW(read_change("{}"), Problem);
    EXPECT_THROW(read_change(R"({"starts_at": "завтра"})"), Problem);
    EXPECT_THROW(read_change(R"({"period": 0})"), Problem);
}

TEST(RentalStatus, NamesRoundTrip) {
    for (auto s : {Status::upcoming, Status::active, Status::expired, Status::cancelled})
        EXPECT_EQ(status_from(to_string(s)), s);
    EXPECT_THROW(status_from("paid"), std::invalid_argument);
}
