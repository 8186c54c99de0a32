#include "premieres/rentals/store.hpp"

namespace chance::premieres::rentals::store {

namespace {
constexpr pg::Query kRentals{
    "rentals_list",
    "SELECT r.id, r.premiere_id, p.title, r.period, rfc3339(r.starts_at) AS starts_at, rfc3339(r.ends_at) AS ends_at, "
    "r.amount, r.cancelled_at IS NOT NULL AS cancelled, r.order_id::text AS order_id, r.show_id, "
    "v.code AS voucher_code, v.amount AS voucher_amount, rfc3339(v.valid_until) AS voucher_until, "
    "CASE WHEN v.code IS NOT NULL THEN voucher_status(v) END AS voucher_status, "
    "rfc3339(v.redeemed_at) AS voucher_redeemed_at, "
    "CASE WHEN r.cancelled_at IS NOT NULL THEN 'cancelled' WHEN $2::timestamptz < r.starts_at THEN 'upcoming' "
    "WHEN $2::timestamptz < r.ends_at THEN 'active' ELSE 'expired' END AS status "
    "FROM rentals r JOIN premieres p ON p.id = r.premiere_id LEFT JOIN vouchers v ON v.rental_id = r.id "
    "WHERE r.user_id = $1 AND ($3::bigint IS NULL OR r.id = "
    "$3) "
    "ORDER BY r.starts_at DESC, r.id DESC"};
constexpr pg::Query kRentalLock{
    "rental_lock",
    "SELECT r.id, r.order_id::text AS order_id, r.amount, r.premiere_id, p.title, "
    "rfc3339(r.starts_at) AS starts_at, r.starts_at <= $3::timestamptz AS started, "
    "r.cancelled_at IS NOT NULL AS cancelled FROM rentals r JOIN premieres p ON p.id = r.premiere_id "
    "WHERE r.id = $1 AND r.user_id = $2 FOR UPDATE OF r"};
// The cancel's claim: one statement that cancels the rental only while it is this customer's, not cancelled, not
// started at $3 and its theatre voucher not redeemed (ADR 0028: set under this row's lock); no row otherwise. Its row
// lock is held until the claiming transaction ends.
constexpr pg::Query kRentalClaimCancel{
    "rental_claim_cancel",
    "UPDATE rentals r SET cancelled_at = now() FROM premieres p WHERE r.id = $1 AND r.user_id = $2 "
    "AND r.cancelled_at IS NULL AND r.starts_at > $3::timestamptz AND r.voucher_redeemed_at IS NULL "
    "AND p.id = r.premiere_id "
    "RETURNING r.order_id::text AS order_id, r.amount, r.premiere_id, p.title, rfc3339(r.starts_at) AS starts_at, "
    "false AS started, true AS cancelled"};
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
constexpr pg::Query kStartingSoon{
    "reminders_soon",
    "SELECT r.id, r.user_id, p.title, rfc3339(r.starts_at) AS starts_at, rfc3339(r.ends_at) AS ends_at "
    "FROM rentals r JOIN premieres p ON p.id = r.premiere_id "
    "WHERE r.cancelled_at IS NULL AND r.soon_reminded_at IS NULL AND r.starts_at > $1::timestamptz "
    "AND r.starts_at <= $1::timestamptz + make_interval(mins => $2) "
    "AND r.created_at <= r.starts_at - make_interval(mins => $2) "
    "ORDER BY r.starts_at LIMIT 100 FOR UPDATE OF r SKIP LOCKED"};
constexpr pg::Query kUnwatched{
    "reminders_unwatched",
    "SELECT r.id, r.user_id, p.title, rfc3339(r.starts_at) AS starts_at, rfc3339(r.ends_at) AS ends_at "
    "FROM rentals r JOIN premieres p ON p.id = r.premiere_id "
    "WHERE r.cancelled_at IS NULL AND r.first_played_at IS NULL AND r.unwatched_reminded_at IS NULL "
    "AND r.ends_at > $1::timestamptz AND r.starts_at + (r.ends_at - r.starts_at) / 2 <= $1::timestamptz "
    "ORDER BY r.ends_at LIMIT 100 FOR UPDATE OF r SKIP LOCKED"};
constexpr pg::Query kMarkSoon{"reminder_soon_sent", "UPDATE rentals SET soon_reminded_at = now() WHERE id = $1"};
constexpr pg::Query kMarkUnwatched{"reminder_unwatched_sent",
                                   "UPDATE rentals SET unwatched_reminded_at = now() WHERE id = $1"};
constexpr pg::Query kMarkEnd{"reminder_end_sent", "UPDATE rentals SET end_reminded_at = now() WHERE id = $1"};
constexpr pg::Query kMarkStart{"reminder_start_sent", "UPDATE rentals SET start_reminded_at = now() WHERE id = $1"};
constexpr pg::Query kEventCount{"rental_event_count", "SELECT count(*) AS n FROM rental_events WHERE rental_id = $1"};
// The rental's voucher, while not redeemed, is worth the rental's new price (a redemption takes this row's lock
// first, so it is either before this change, which the caller then refuses to refund, or after it).
constexpr pg::Query kChange{
    "rental_change",
    "WITH v AS (UPDATE vouchers SET amount = $6 WHERE rental_id = $1 AND redeemed_at IS NULL) "
    "UPDATE rentals SET period = $3, starts_at = $4::timestamptz, ends_at = $5::timestamptz, amount = $6, "
    "end_reminded_at = NULL, "
    "soon_reminded_at = CASE WHEN starts_at = $4::timestamptz THEN soon_reminded_at END WHERE id = $1 AND user_id = "
    "$2"};

std::optional<Locked> locked_of(const pg::Result& r) {
    if (r.empty()) return std::nullopt;
    return Locked{r.text(0, "order_id"),  r.int64(0, "amount"),    r.int64(0, "premiere_id"), r.text(0, "title"),
                  r.text(0, "starts_at"), r.boolean(0, "started"), r.boolean(0, "cancelled")};
}

std::vector<Rental> rentals_of(const pg::Result& rows) {
    std::vector<Rental> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) {
        Rental r{rows.int64(i, "id"),
                 rows.int64(i, "premiere_id"),
                 rows.text(i, "title"),
                 rows.text(i, "starts_at"),
                 rows.text(i, "ends_at"),
                 rows.int64(i, "period"),
                 status_from(rows.text(i, "status")),
                 rows.int64(i, "amount"),
                 rows.text(i, "order_id"),
                 rows.opt_int64(i, "show_id")};
        if (auto code = rows.opt_text(i, "voucher_code"))
            r.voucher = Rental::Voucher{*code, rows.int64(i, "voucher_amount"), rows.text(i, "voucher_until"),
                                        rows.text(i, "voucher_status"), rows.opt_text(i, "voucher_redeemed_at")};
        out.push_back(std::move(r));
    }
    return out;
}
}  // namespace

std::vector<Rental> list(pg::Pool& pool, const std::string& user, const std::string& now, std::optional<int64_t> id) {
    return rentals_of(pool.exec(kRentals, pg::Params(user, now, id)));
}

std::vector<Rental> list(pg::Transaction& tx, const std::string& user, const std::string& now,
                         std::optional<int64_t> id) {
    return rentals_of(tx.exec(kRentals, pg::Params(user, now, id)));
}

std::optional<Locked> lock(pg::Transaction& tx, int64_t id, const std::string& user, const std::string& now) {
    return locked_of(tx.exec(kRentalLock, pg::Params(id, user, now)));
}

std::optional<Locked> claim_cancel(pg::Transaction& tx, int64_t id, const std::string& user, const std::string& now) {
    return locked_of(tx.exec(kRentalClaimCancel, pg::Params(id, user, now)));
}

int64_t event_count(pg::Transaction& tx, int64_t id) { return tx.exec(kEventCount, pg::Params(id)).int64(0, "n"); }

void apply_change(pg::Transaction& tx, int64_t id, const std::string& user, int hours, const std::string& starts_at,
                  const std::string& ends_at, int64_t amount) {
    tx.exec(kChange, pg::Params(id, user, hours, starts_at, ends_at, amount));
}

std::vector<Due> ending_soon(pg::Transaction& tx, const std::string& now, int lead_minutes) {
    auto r = tx.exec(kEndingSoon, pg::Params(now, lead_minutes));
    std::vector<Due> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.int64(i, "id"), r.text(i, "user_id"), r.text(i, "title"), "", r.text(i, "ends_at")});
    return out;
}

namespace {
std::vector<Due> due_of(const pg::Result& r) {
    std::vector<Due> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(
            {r.int64(i, "id"), r.text(i, "user_id"), r.text(i, "title"), r.text(i, "starts_at"), r.text(i, "ends_at")});
    return out;
}
}  // namespace

std::vector<Due> starting(pg::Transaction& tx, const std::string& now) {
    return due_of(tx.exec(kStarting, pg::Params(now)));
}

std::vector<Due> starting_soon(pg::Transaction& tx, const std::string& now, int lead_minutes) {
    return due_of(tx.exec(kStartingSoon, pg::Params(now, lead_minutes)));
}

std::vector<Due> unwatched(pg::Transaction& tx, const std::string& now) {
    return due_of(tx.exec(kUnwatched, pg::Params(now)));
}

void mark_soon_reminded(pg::Transaction& tx, int64_t id) { tx.exec(kMarkSoon, pg::Params(id)); }
void mark_unwatched_reminded(pg::Transaction& tx, int64_t id) { tx.exec(kMarkUnwatched, pg::Params(id)); }
void mark_end_reminded(pg::Transaction& tx, int64_t id) { tx.exec(kMarkEnd, pg::Params(id)); }
void mark_start_reminded(pg::Transaction& tx, int64_t id) { tx.exec(kMarkStart, pg::Params(id)); }

}  // namespace chance::premieres::rentals::store
