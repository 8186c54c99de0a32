#include "premieres/rentals/failures.hpp"

#include <boost/json.hpp>

#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/http.hpp"
#include "premieres/rentals/viewing.hpp"

namespace chance::premieres::rentals {

namespace {
using boost::json::object;

constexpr const char* kUnplayableReason =
    "Мы не смогли показать запись: воспроизведение не началось из-за сбоя на нашей стороне";
constexpr const char* kReportReason = "Проблема с просмотром: мы вернули деньги за аренду";

constexpr pg::Query kUnplayable{
    "failures_unplayable",
    "SELECT id, order_id::text AS order_id FROM rentals WHERE store_failed_at IS NOT NULL AND first_played_at IS NULL "
    "AND auto_refunded_at IS NULL AND cancelled_at IS NULL AND ends_at <= $1::timestamptz ORDER BY ends_at LIMIT 50"};
constexpr pg::Query kMarkRefunded{
    "failures_mark_refunded", "UPDATE rentals SET auto_refunded_at = now() WHERE id = $1 AND auto_refunded_at IS NULL"};
// The report, only for a stream of this rental and customer when one is named.
constexpr pg::Query kReport{
    "problems_insert",
    "INSERT INTO playback_problems (rental_id, user_id, session_id, text) SELECT $1, $2, $3, $4 "
    "WHERE $3::text IS NULL OR EXISTS (SELECT 1 FROM playback_sessions WHERE id = $3 AND rental_id = $1 "
    "AND user_id = $2) RETURNING id"};
constexpr pg::Query kList{
    "problems_list",
    "SELECT p.id, p.rental_id, r.order_id::text AS order_id, p.user_id, pr.title, p.text, "
    "rfc3339(p.created_at) AS created_at, rfc3339(p.resolved_at) AS resolved_at, p.resolved_by, p.resolution, "
    "(SELECT count(*) FROM playback_sessions s WHERE s.rental_id = p.rental_id) AS streams, "
    "(SELECT rfc3339(min(s.first_segment_at)) FROM playback_sessions s WHERE s.rental_id = p.rental_id) "
    "AS first_segment_at, "
    "(SELECT rfc3339(max(s.last_segment_at)) FROM playback_sessions s WHERE s.rental_id = p.rental_id) "
    "AS last_segment_at, "
    "(SELECT coalesce(sum(s.errors), 0) FROM playback_sessions s WHERE s.rental_id = p.rental_id) AS errors, "
    "(SELECT coalesce(sum(s.store_failures), 0) FROM playback_sessions s WHERE s.rental_id = p.rental_id) "
    "AS store_failures, "
    "(SELECT s.last_error FROM playback_sessions s WHERE s.rental_id = p.rental_id AND s.last_error IS NOT NULL "
    "ORDER BY s.started_at DESC LIMIT 1) AS last_error, "
    "r.amount - coalesce((SELECT sum((e.payload ->> 'refund')::bigint) FROM rental_events e "
    "WHERE e.rental_id = r.id AND e.type = 'staff_refund'), 0) AS refundable "
    "FROM playback_problems p JOIN rentals r ON r.id = p.rental_id JOIN premieres pr ON pr.id = r.premiere_id "
    "WHERE NOT $1::boolean OR p.resolved_at IS NULL ORDER BY p.created_at DESC, p.id DESC LIMIT 200"};
constexpr pg::Query kCase{"problems_case",
                          "SELECT p.rental_id, r.order_id::text AS order_id, p.resolved_at IS NOT NULL AS resolved "
                          "FROM playback_problems p JOIN rentals r ON r.id = p.rental_id WHERE p.id = $1"};
constexpr pg::Query kResolve{"problems_resolve",
                             "UPDATE playback_problems SET resolved_at = now(), resolved_by = $2, resolution = $3 "
                             "WHERE id = $1 AND resolved_at IS NULL"};

Problem resolved_already() { return conflict("Это обращение уже закрыто").with_type("problem-resolved"); }
}  // namespace

ProblemReport read_problem_report(std::string_view body) {
    json::Reader r(body);
    auto text = r.str("text", true, 1000, 1);
    auto session = r.str("session", false, 22, 1);
    if (session && !session_shaped(*session)) r.fail("session", "Идентификатор просмотра из его начала");
    r.finish();
    return {*text, session};
}

int PlaybackFailures::refund_unplayable() {
    auto due = pool_.exec(kUnplayable, pg::Params(time::format_rfc3339(clock_.now(), true)));
    int refunded = 0;
    for (int i = 0; i < due.rows(); ++i) {
        auto id = due.int64(i, "id");
        try {
            refunds_.refund({"store", "store"}, due.text(i, "order_id"), "auto:" + std::to_string(id),
                            {.reason = kUnplayableReason, .rental_id = id, .rest = true});
            ++refunded;
            log::info("rental refunded: the store failed to play it", {{"rental", id}});
        } catch (const Problem& p) {
            // Nothing left (staff refunded it meanwhile) or an order that is not paid: nothing to do, ever.
            if (p.type() != "nothing-to-refund" && p.type() != "order-not-paid") {
                log::warn("automatic refund failed; retried on the next pass",
                          {{"rental", id}, {"status", p.status()}, {"detail", p.detail()}});
                continue;
            }
        }
        pool_.exec(kMarkRefunded, pg::Params(id));
    }
    return refunded;
}

object PlaybackFailures::report(const std::string& user, int64_t rental, const ProblemReport& report) {
    auto found = rentals_.get(user, rental);
    if (found.status == Status::upcoming)
        throw conflict("Показ ещё не начался: сообщить о проблеме можно после начала");
    if (found.status == Status::cancelled) throw conflict("Аренда отменена, деньги за неё уже вернулись");
    try {
        auto id = pool_.exec(kReport, pg::Params(rental, user, report.session, report.text));
        if (id.empty()) throw unprocessable("Просмотр не из этой аренды", {{"session", "Просмотр этой аренды"}});
        log::info("playback problem reported", {{"rental", rental}, {"problem", id.int64(0, "id")}});
        return {{"id", id.int64(0, "id")},
                {"detail", "Спасибо, мы получили ваше сообщение и разберёмся. Ответ придёт на почту."}};
    } catch (const pg::UniqueViolation&) {
        throw conflict("Вы уже сообщили о проблеме с этой арендой: мы разбираемся")
            .with_type("problem-already-reported");
    }
}

boost::json::array PlaybackFailures::list(bool open_only) {
    auto r = pool_.exec(kList, pg::Params(open_only));
    boost::json::array out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(object{{"id", r.int64(i, "id")},
                             {"rental_id", r.int64(i, "rental_id")},
                             {"order_id", r.text(i, "order_id")},
                             {"user_id", r.text(i, "user_id")},
                             {"title", r.text(i, "title")},
                             {"text", r.text(i, "text")},
                             {"created_at", r.text(i, "created_at")},
                             {"resolved_at", text_or_null(r, i, "resolved_at")},
                             {"resolved_by", text_or_null(r, i, "resolved_by")},
                             {"resolution", text_or_null(r, i, "resolution")},
                             {"playback", object{{"streams", r.int64(i, "streams")},
                                                 {"first_segment_at", text_or_null(r, i, "first_segment_at")},
                                                 {"last_segment_at", text_or_null(r, i, "last_segment_at")},
                                                 {"errors", r.int64(i, "errors")},
                                                 {"store_failures", r.int64(i, "store_failures")},
                                                 {"last_error", text_or_null(r, i, "last_error")}}},
                             {"refundable", std::max<int64_t>(0, r.int64(i, "refundable"))}});
    return out;
}

object PlaybackFailures::refund(const ordering::StaffMember& staff, int64_t id) {
    auto found = pool_.exec(kCase, pg::Params(id));
    if (found.empty()) throw not_found("Обращение не найдено");
    if (found.boolean(0, "resolved")) throw resolved_already();
    // The key makes a second click (or a second staff member at once) the same refund, answered again.
    auto refund = refunds_.refund(staff, found.text(0, "order_id"), "case:" + std::to_string(id),
                                  {.reason = kReportReason, .rental_id = found.int64(0, "rental_id"), .rest = true});
    pool_.exec(kResolve, pg::Params(id, staff.user_id, std::string("refunded")));
    return refund;
}

void PlaybackFailures::close(const ordering::StaffMember& staff, int64_t id) {
    if (pool_.exec(kResolve, pg::Params(id, staff.user_id, std::string("closed"))).affected() != 0) return;
    if (pool_.exec(kCase, pg::Params(id)).empty()) throw not_found("Обращение не найдено");
    throw resolved_already();
}

void install_failure_routes(http::Router& router, PlaybackFailures& failures) {
    router.post("/api/v1/rentals/:id/problems", [&failures](http::Request& req) {
        auto user = service::require_user(req).user_id;
        auto rental = parse_id(req.param("id"), "id");
        return http::Response::json(201, failures.report(user, rental, read_problem_report(req.body)));
    });
    router.get("/api/v1/admin/playback-problems", [&failures](http::Request& req) {
        service::require_staff(req);
        auto status = req.query_param("status").value_or("open");
        if (status != "open" && status != "all") throw bad_request("Неизвестный отбор", {{"status", "open или all"}});
        auto res = http::Response::json(object{{"items", failures.list(status == "open")}});
        res.headers.set("Cache-Control", "private, no-store");
        return res;
    });
    router.post("/api/v1/admin/playback-problems/:id/refund", [&failures](http::Request& req) {
        auto staff = service::require_staff(req);
        return http::Response::json(failures.refund({staff.user_id, staff.role}, parse_id(req.param("id"), "id")));
    });
    router.post("/api/v1/admin/playback-problems/:id/close", [&failures](http::Request& req) {
        auto staff = service::require_staff(req);
        failures.close({staff.user_id, staff.role}, parse_id(req.param("id"), "id"));
        return http::Response::no_content();
    });
}

}  // namespace chance::premieres::rentals
