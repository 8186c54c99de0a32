#include "premieres/rentals/viewing.hpp"

#include <boost/json.hpp>

#include "premieres/http.hpp"

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"

namespace chance::premieres::rentals {

namespace {
constexpr pg::Query kLockRental{"viewing_lock_rental",
                                "SELECT resume_position FROM rentals WHERE id = $1 AND user_id = $2 FOR UPDATE"};
constexpr pg::Query kEndLive{"viewing_end_live",
                             "UPDATE playback_sessions SET ended_at = now(), ended_reason = 'replaced' "
                             "WHERE rental_id = $1 AND ended_at IS NULL RETURNING id"};
constexpr pg::Query kInsert{"viewing_insert",
                            "INSERT INTO playback_sessions (id, rental_id, user_id, device) VALUES ($1, $2, $3, $4)"};
constexpr pg::Query kSession{"viewing_session",
                             "SELECT ended_at IS NULL AS live FROM playback_sessions "
                             "WHERE id = $1 AND rental_id = $2 AND user_id = $3"};
// A segment is recorded at most every ten seconds per session (a write per segment would be one every few seconds
// per viewer); the rental's first play once.
constexpr pg::Query kMedia{
    "viewing_media",
    "WITH s AS (SELECT id, ended_at IS NULL AS live FROM playback_sessions WHERE id = $1), "
    "touched AS (UPDATE playback_sessions p SET first_segment_at = coalesce(p.first_segment_at, now()), "
    "last_segment_at = now() FROM s WHERE p.id = s.id AND s.live AND $2::boolean "
    "AND (p.last_segment_at IS NULL OR p.last_segment_at < now() - interval '10 seconds') RETURNING p.rental_id), "
    "played AS (UPDATE rentals r SET first_played_at = now() FROM touched t "
    "WHERE r.id = t.rental_id AND r.first_played_at IS NULL) "
    "SELECT live FROM s"};
constexpr pg::Query kBeacon{
    "viewing_beacon",
    "WITH s AS (UPDATE playback_sessions SET position = coalesce($4::int, position), "
    "position_at = CASE WHEN $4::int IS NULL THEN position_at ELSE now() END, "
    "errors = errors + CASE WHEN $5::text IS NULL THEN 0 ELSE 1 END, last_error = coalesce($5::text, last_error) "
    "WHERE id = $1 AND rental_id = $2 AND user_id = $3 RETURNING ended_at IS NULL AS live), "
    "r AS (UPDATE rentals SET resume_position = $4::int WHERE id = $2 AND user_id = $3 AND $4::int IS NOT NULL "
    "AND EXISTS (SELECT 1 FROM s WHERE live)) "
    "SELECT live FROM s"};

constexpr pg::Query kExport{
    "viewing_export",
    "SELECT rental_id, device, rfc3339(started_at) AS started_at, rfc3339(first_segment_at) AS first_segment_at, "
    "rfc3339(last_segment_at) AS last_segment_at, position, errors, last_error, rfc3339(ended_at) AS ended_at, "
    "ended_reason FROM playback_sessions WHERE user_id = $1 ORDER BY started_at, id"};

constexpr pg::Query kStoreFailure{
    "viewing_store_failure",
    "WITH s AS (UPDATE playback_sessions SET store_failures = store_failures + 1, last_error = $3 WHERE id = $1) "
    "UPDATE rentals SET store_failed_at = now() WHERE id = $2"};

Problem unknown_session() {
    return not_found("Просмотр не найден: откройте его заново").with_type("playback-session-unknown");
}
}  // namespace

Beacon read_beacon(std::string_view body) {
    json::Reader r(body);
    Beacon b;
    auto session = r.str("session", true, 22, 1);
    if (session && !session_shaped(*session)) r.fail("session", "Идентификатор просмотра из ответа на его начало");
    auto position = r.int64("position", false, 0, int64_t{7} * 24 * 3600);
    b.error = r.str("error", false, 200, 1);
    r.finish();
    b.session = *session;
    if (position) b.position = static_cast<int>(*position);
    return b;
}

bool session_shaped(std::string_view s) {
    return s.size() == 22 &&
           s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

std::string device_label(std::string_view user_agent) {
    std::string out;
    for (char c : user_agent) {
        if (out.size() == 200) break;
        if (c >= ' ' && c < 127) out.push_back(c);
    }
    return out;
}

Problem taken_over() {
    return Problem(409, "Просмотр продолжен на другом устройстве",
                   "Эту аренду начали смотреть на другом устройстве: одновременно её можно смотреть только на одном. "
                   "Чтобы продолжить здесь, нажмите «Смотреть здесь».")
        .with_type("playback-taken-over");
}

Stream Viewing::start(const std::string& user, int64_t rental, const std::string& device) {
    Stream out;
    pool_.transact([&](pg::Transaction& tx) {
        // The rental's row lock orders two starts at once: the second ends the first's session.
        auto locked = tx.exec(kLockRental, pg::Params(rental, user));
        if (locked.empty()) throw not_found("Аренда не найдена");
        out.resume_at = static_cast<int>(locked.int64(0, "resume_position"));
        out.took_over = !tx.exec(kEndLive, pg::Params(rental)).empty();
        out.session = auth::random_token(16);
        tx.exec(kInsert, pg::Params(out.session, rental, user, device));
    });
    return out;
}

void Viewing::require_live(const std::string& user, int64_t rental, const std::string& session) {
    auto r = pool_.exec(kSession, pg::Params(session, rental, user));
    if (r.empty()) throw unknown_session();
    if (!r.boolean(0, "live")) throw taken_over();
}

bool Viewing::on_media(const std::string& session, bool segment) {
    try {
        auto r = pool_.exec(kMedia, pg::Params(session, segment));
        return !r.empty() && r.boolean(0, "live");
    } catch (const pg::Unavailable& e) {
        log::warn("media served unchecked: database unavailable", {{"error", e.internal()}});
        return true;
    }
}

void Viewing::store_failure(const std::string& session, int64_t rental, const std::string& what) {
    try {
        pool_.exec(kStoreFailure, pg::Params(session, rental, what));
        log::error("playback failed on the store's side", {{"rental", rental}, {"what", what}});
    } catch (const std::exception& e) {
        log::error("playback failure not recorded", {{"rental", rental}, {"what", what}, {"error", e.what()}});
    }
}

void Viewing::beacon(const std::string& user, int64_t rental, const Beacon& b) {
    auto r = pool_.exec(kBeacon, pg::Params(b.session, rental, user, b.position, b.error));
    if (r.empty()) throw unknown_session();
    if (!r.boolean(0, "live")) throw taken_over();
}

boost::json::array Viewing::export_of(const std::string& user) {
    auto r = pool_.exec(kExport, pg::Params(user));
    boost::json::array out;
    for (int i = 0; i < r.rows(); ++i) {
        auto position = r.opt_int64(i, "position");
        out.push_back(boost::json::object{{"rental_id", r.int64(i, "rental_id")},
                                          {"device", r.text(i, "device")},
                                          {"started_at", r.text(i, "started_at")},
                                          {"first_segment_at", text_or_null(r, i, "first_segment_at")},
                                          {"last_segment_at", text_or_null(r, i, "last_segment_at")},
                                          {"position", json::or_null(position)},
                                          {"errors", r.int64(i, "errors")},
                                          {"last_error", text_or_null(r, i, "last_error")},
                                          {"ended_at", text_or_null(r, i, "ended_at")},
                                          {"ended_reason", text_or_null(r, i, "ended_reason")}});
    }
    return out;
}

}  // namespace chance::premieres::rentals
