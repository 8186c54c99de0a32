#pragma once
// Rentals' store: rentals and their history events in PostgreSQL, read into typed values.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/rentals/domain.hpp"

namespace chance::premieres::rentals::store {

// The customer's rentals (only `id`, when given) with their status at `now` (RFC 3339), newest start first.
std::vector<Rental> list(pg::Pool& pool, const std::string& user, const std::string& now,
                         std::optional<int64_t> id = std::nullopt);
std::vector<Rental> list(pg::Transaction& tx, const std::string& user, const std::string& now,
                         std::optional<int64_t> id = std::nullopt);

// A rental locked for a change of state (FOR UPDATE): its changes and cancels take it one at a time.
struct Locked {
    std::string order_id;
    int64_t amount = 0;
    int64_t premiere_id = 0;
    std::string title;
    std::string starts_at;
    bool started = false;  // its start is not after `now`
    bool cancelled = false;
};
// nullopt when the customer has no such rental.
std::optional<Locked> lock(pg::Transaction& tx, int64_t id, const std::string& user, const std::string& now);
// The cancel's claim, in one statement: the rental cancelled at `now` only while it is the customer's, not
// cancelled and not started, and then returned (locked until the transaction ends); nullopt otherwise.
std::optional<Locked> claim_cancel(pg::Transaction& tx, int64_t id, const std::string& user, const std::string& now);
// How many history events the rental has (a change's idempotency key counts them), read under its row lock.
int64_t event_count(pg::Transaction& tx, int64_t id);
// The rental's new period and window at `amount`; its «ending soon» reminder is due again, and «Скоро начало»
// when the start moved.
void apply_change(pg::Transaction& tx, int64_t id, const std::string& user, int hours, const std::string& starts_at,
                  const std::string& ends_at, int64_t amount);

// A rental a reminder is due for.
struct Due {
    int64_t id = 0;
    std::string user_id;
    std::string title;
    std::string starts_at;  // only for rentals starting
    std::string ends_at;
};
// Open rentals ending within `lead_minutes` of `now` without their reminder, locked (SKIP LOCKED).
std::vector<Due> ending_soon(pg::Transaction& tx, const std::string& now, int lead_minutes);
// Rentals whose window opened by `now` without their «window opened» email, locked (SKIP LOCKED).
std::vector<Due> starting(pg::Transaction& tx, const std::string& now);
// Open rentals whose window opens within `lead_minutes` of `now` without their «Скоро начало», bought before that
// (a purchase inside the lead has just been confirmed with the time), locked (SKIP LOCKED).
std::vector<Due> starting_soon(pg::Transaction& tx, const std::string& now, int lead_minutes);
// Open rentals past half their window with nothing played yet and no «Вы ещё не начали смотреть», locked.
std::vector<Due> unwatched(pg::Transaction& tx, const std::string& now);
void mark_end_reminded(pg::Transaction& tx, int64_t id);
void mark_start_reminded(pg::Transaction& tx, int64_t id);
void mark_soon_reminded(pg::Transaction& tx, int64_t id);
void mark_unwatched_reminded(pg::Transaction& tx, int64_t id);

}  // namespace chance::premieres::rentals::store
