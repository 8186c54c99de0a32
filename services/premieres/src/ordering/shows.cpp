#include "premieres/ordering/shows.hpp"

#include <boost/json.hpp>
#include <set>

#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/text.hpp"
#include "chance/messaging/events.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/http.hpp"
#include "premieres/ordering/store.hpp"

namespace chance::premieres::ordering {

namespace {
using boost::json::object;

constexpr pg::Query kPremiere{"shows_premiere", "SELECT hidden FROM premieres WHERE id = $1"};
// Seats left: the capacity less the rentals holding one (not cancelled).
constexpr pg::Query kUpcoming{
    "shows_upcoming",
    "SELECT s.id, rfc3339(s.starts_at) AS starts_at, s.capacity, show_seats_taken(s.id) AS taken "
    "FROM live_shows s "
    "WHERE s.premiere_id = $1 AND s.cancelled_at IS NULL AND s.starts_at > now() ORDER BY s.starts_at LIMIT 50"};
constexpr pg::Query kNext{
    "shows_next",
    "SELECT DISTINCT ON (s.premiere_id) s.premiere_id, s.id, rfc3339(s.starts_at) AS starts_at, s.capacity, "
    "show_seats_taken(s.id) AS taken "
    "FROM live_shows s JOIN premieres p ON p.id = s.premiere_id WHERE s.premiere_id = ANY($1::bigint[]) "
    "AND NOT p.hidden AND s.cancelled_at IS NULL AND s.starts_at > now() ORDER BY s.premiere_id, s.starts_at"};
constexpr pg::Query kList{
    "shows_list",
    "SELECT s.id, rfc3339(s.starts_at) AS starts_at, s.capacity, show_seats_taken(s.id) AS seats_taken, "
    "rfc3339(s.cancelled_at) AS cancelled_at "
    "FROM live_shows s WHERE s.premiere_id = $1 ORDER BY s.starts_at, s.id"};
constexpr pg::Query kAdd{
    "shows_add",
    "INSERT INTO live_shows (premiere_id, starts_at, capacity, created_by) VALUES ($1, $2::timestamptz, $3, $4) "
    "RETURNING id, rfc3339(starts_at) AS starts_at, capacity"};
constexpr pg::Query kCancel{
    "shows_cancel",
    "UPDATE live_shows SET cancelled_at = now(), cancelled_by = $2 WHERE id = $1 AND cancelled_at IS NULL "
    "RETURNING id, premiere_id, rfc3339(starts_at) AS starts_at, capacity, "
    "rfc3339(cancelled_at) AS cancelled_at"};
constexpr pg::Query kDue{"shows_cancelled_due",
                         "SELECT r.id FROM rentals r JOIN live_shows s ON s.id = r.show_id "
                         "WHERE s.cancelled_at IS NOT NULL AND r.cancelled_at IS NULL "
                         "AND ($1::bigint IS NULL OR s.id = $1) ORDER BY r.id LIMIT 100"};
// The rental claimed once (cancelled only while it is not), with what is left to refund of its price.
constexpr pg::Query kClaim{
    "shows_claim_rental",
    "UPDATE rentals r SET cancelled_at = now() FROM premieres p, live_shows s WHERE r.id = $1 "
    "AND r.cancelled_at IS NULL AND p.id = r.premiere_id AND s.id = r.show_id AND s.cancelled_at IS NOT NULL "
    "RETURNING r.user_id, r.order_id::text AS order_id, p.title, rfc3339(s.starts_at) AS starts_at, "
    "greatest(r.amount - coalesce((SELECT sum((e.payload ->> 'refund')::bigint) FROM rental_events e "
    "WHERE e.rental_id = r.id AND e.type = 'staff_refund'), 0), 0) AS refund"};

// What a cancel has done for the show's buyers so far, whichever pass refunded them: the request's own, or the
// periodic one that may claim some of them first (it retries those billing refused).
constexpr pg::Query kOutcome{
    "shows_cancel_outcome",
    "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM rental_events e WHERE e.rental_id = r.id "
    "AND e.type = 'rental_cancelled' AND e.payload ->> 'reason' = 'show_cancelled')) AS refunded, "
    "count(*) FILTER (WHERE r.cancelled_at IS NULL) AS pending FROM rentals r WHERE r.show_id = $1"};

// An upcoming show (neither cancelled nor started: the queries keep only those) as the storefront shows it.
object show_json(const pg::Result& r, int i) {
    auto capacity = r.int64(i, "capacity");
    auto taken = r.int64(i, "taken");
    return {{"id", r.int64(i, "id")},
            {"starts_at", r.text(i, "starts_at")},
            {"capacity", capacity},
            {"seats_left", seats_left(capacity, taken)},
            {"status", show_status(capacity, taken, false, false)}};
}

void require_storefront(pg::Pool& pool, int64_t premiere) {
    auto r = pool.exec(kPremiere, pg::Params(premiere));
    if (r.empty() || r.boolean(0, "hidden")) throw not_found("Премьера не найдена");
}
}  // namespace

NewShow read_new_show(std::string_view body) {
    json::Reader r(body);
    auto starts = r.str("starts_at", true, 40, 1);
    auto capacity = r.int64("capacity", true, 1, 100000);
    if (starts && !time::parse_rfc3339(*starts)) r.fail("starts_at", "Дата и время в формате RFC 3339");
    r.finish();
    return {*starts, *capacity};
}

std::vector<int64_t> read_premiere_ids(std::optional<std::string_view> text) {
    std::vector<int64_t> out;
    std::set<int64_t> seen;
    auto refuse = [] {
        return bad_request("Укажите премьеры", {{"premieres", "До 50 номеров премьер через запятую"}});
    };
    if (!text || text->empty()) throw refuse();
    std::string_view rest = *text;
    while (true) {
        auto comma = rest.find(',');
        auto id = text::positive_id(std::string(rest.substr(0, comma)));
        if (!id) throw refuse();
        if (seen.insert(*id).second) out.push_back(*id);
        if (out.size() > 50) throw refuse();
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return out;
}

boost::json::array LiveShows::upcoming(int64_t premiere) {
    require_storefront(pool_, premiere);
    auto r = pool_.exec(kUpcoming, pg::Params(premiere));
    boost::json::array out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(show_json(r, i));
    return out;
}

boost::json::array LiveShows::next_of(const std::vector<int64_t>& premieres) {
    std::vector<std::string> ids;
    ids.reserve(premieres.size());
    for (auto id : premieres) ids.push_back(std::to_string(id));
    auto r = pool_.exec(kNext, pg::Params(pg::text_array(ids)));
    std::map<int64_t, object> next;
    for (int i = 0; i < r.rows(); ++i) next.emplace(r.int64(i, "premiere_id"), show_json(r, i));
    boost::json::array out;
    for (auto id : premieres) {
        auto found = next.find(id);
        out.push_back(
            object{{"premiere_id", id}, {"next", found == next.end() ? boost::json::value(nullptr) : found->second}});
    }
    return out;
}

boost::json::array LiveShows::list(const Theatre& theatre, int64_t premiere) {
    theatres_.require_premiere(theatre, premiere);
    auto r = pool_.exec(kList, pg::Params(premiere));
    boost::json::array out;
    for (int i = 0; i < r.rows(); ++i) {
        out.push_back(object{{"id", r.int64(i, "id")},
                             {"starts_at", r.text(i, "starts_at")},
                             {"capacity", r.int64(i, "capacity")},
                             {"seats_taken", r.int64(i, "seats_taken")},
                             {"cancelled_at", text_or_null(r, i, "cancelled_at")}});
    }
    return out;
}

object LiveShows::add(const Theatre& theatre, int64_t premiere, const NewShow& show, const std::string& staff_id) {
    theatres_.require_premiere(theatre, premiere);
    if (*time::parse_rfc3339(show.starts_at) <= clock_.now())
        throw unprocessable("Время показа уже прошло", {{"starts_at", "Укажите время в будущем"}});
    try {
        auto r = pool_.exec(kAdd, pg::Params(premiere, show.starts_at, show.capacity, staff_id));
        log::info("live show added", {{"premiere", premiere}, {"show", r.int64(0, "id")}, {"staff_id", staff_id}});
        return {{"id", r.int64(0, "id")},
                {"premiere_id", premiere},
                {"starts_at", r.text(0, "starts_at")},
                {"capacity", r.int64(0, "capacity")},
                {"seats_taken", 0},
                {"cancelled_at", nullptr}};
    } catch (const pg::UniqueViolation&) {
        throw Problem(409, "Показ уже есть", "У этой премьеры уже есть показ в это время",
                      {{"starts_at", "В это время показ уже есть"}})
            .with_type("show-exists");
    }
}

object LiveShows::cancel(const Theatre& theatre, int64_t show, const std::string& staff_id) {
    theatres_.require_show(theatre, show);
    auto r = pool_.exec(kCancel, pg::Params(show, staff_id));
    if (r.empty()) throw conflict("Показ уже отменён").with_type("show-cancelled");
    log::info("live show cancelled", {{"show", show}, {"staff_id", staff_id}});
    object out{{"show", object{{"id", r.int64(0, "id")},
                               {"premiere_id", r.int64(0, "premiere_id")},
                               {"starts_at", r.text(0, "starts_at")},
                               {"capacity", r.int64(0, "capacity")},
                               {"cancelled_at", r.text(0, "cancelled_at")}}}};
    refund_cancelled(show);
    // Counted after the pass, not by it: a periodic pass running at the same moment may have claimed some buyers,
    // and a claim this pass lost waited for that pass's commit, so every buyer it saw is counted here.
    auto outcome = pool_.exec(kOutcome, pg::Params(show));
    out["refunded"] = outcome.int64(0, "refunded");
    out["pending"] = outcome.int64(0, "pending");
    return out;
}

void LiveShows::refund_cancelled(std::optional<int64_t> show) {
    auto due = pool_.exec(kDue, pg::Params(show));
    for (int i = 0; i < due.rows(); ++i) {
        auto id = due.int64(i, "id");
        try {
            pool_.transact([&](pg::Transaction& tx) {
                auto claimed = tx.exec(kClaim, pg::Params(id));
                if (claimed.empty()) return;  // another pass took it
                auto user = claimed.text(0, "user_id");
                auto order = claimed.text(0, "order_id");
                auto refund = claimed.int64(0, "refund");
                if (refund > 0)
                    billing_.refund(
                        {user, order, refund, "show-cancelled:" + std::to_string(id), "live show cancelled"});
                store::add_event(tx, id, order, "rental_cancelled",
                                 boost::json::serialize(object{{"refund", refund}, {"reason", "show_cancelled"}}));
                messaging::enqueue(tx, "notify.show_cancelled",
                                   messaging::make_event("premieres.show.cancelled.v1",
                                                         {{"user_id", user},
                                                          {"template", "show_cancelled"},
                                                          {"params", object{{"rental_id", id},
                                                                            {"title", claimed.text(0, "title")},
                                                                            {"starts_at", claimed.text(0, "starts_at")},
                                                                            {"refund", refund}}}}));
            });
        } catch (const std::exception& e) {
            log::warn("refund of a cancelled show's rental failed; retried on the next pass",
                      {{"rental", id}, {"error", e.what()}});
        }
    }
}

void install_show_routes(http::Router& router, LiveShows& shows) {
    router.get("/api/v1/premiere/:id/shows", [&shows](http::Request& req) {
        return no_store_json(object{{"items", shows.upcoming(parse_id(req.param("id"), "id"))}});
    });
    router.get("/api/v1/shows", [&shows](http::Request& req) {
        return no_store_json(object{{"items", shows.next_of(read_premiere_ids(req.query_param("premieres")))}});
    });
    // The store's staff for every theatre, and a theatre's box office (theatre_staff) for its own premieres' shows.
    router.get("/api/v1/admin/premieres/:id/shows", [&shows](http::Request& req) {
        service::require_admin(req);
        return no_store_json(object{{"items", shows.list(std::nullopt, parse_id(req.param("id"), "id"))}});
    });
    router.post("/api/v1/admin/premieres/:id/shows", [&shows](http::Request& req) {
        auto who = service::require_admin(req);
        auto premiere = parse_id(req.param("id"), "id");
        return no_store_json(shows.add(std::nullopt, premiere, read_new_show(req.body), who.user_id), 201);
    });
    router.post("/api/v1/admin/shows/:id/cancel", [&shows](http::Request& req) {
        auto who = service::require_admin(req);
        return no_store_json(shows.cancel(std::nullopt, parse_id(req.param("id"), "id"), who.user_id));
    });
    router.get("/api/v1/theatre/premieres/:id/shows", [&shows](http::Request& req) {
        auto theatre = shows.theatre_of(service::require_user(req));
        return no_store_json(object{{"items", shows.list(theatre, parse_id(req.param("id"), "id"))}});
    });
    router.post("/api/v1/theatre/premieres/:id/shows", [&shows](http::Request& req) {
        auto who = service::require_user(req);
        auto theatre = shows.theatre_of(who);
        auto premiere = parse_id(req.param("id"), "id");
        return no_store_json(shows.add(theatre, premiere, read_new_show(req.body), who.user_id), 201);
    });
    router.post("/api/v1/theatre/shows/:id/cancel", [&shows](http::Request& req) {
        auto who = service::require_user(req);
        auto theatre = shows.theatre_of(who);
        return no_store_json(shows.cancel(theatre, parse_id(req.param("id"), "id"), who.user_id));
    });
}

}  // namespace chance::premieres::ordering
