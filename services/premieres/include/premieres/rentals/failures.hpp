#pragma once
// When the store fails to play (docs/adr/0026). The scheduler refunds, in full and once, every rental whose window
// ended with a failure of the store's (a file its screening names could not be served) and no segment ever served:
// through the staff refund's path, as the store itself (key auto:<rental>), so it is in the order's history, its
// receipt, the sales report and an email saying why. A failure that is not the store's is the customer's to report
// («Сообщить о проблеме»): one open report per rental, listed to staff with what the playback sessions recorded,
// refunded (everything the rental still holds) or closed with one action.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "chance/core/time.hpp"
#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/ordering/staff_refunds.hpp"
#include "premieres/rentals/rentals.hpp"

namespace chance::premieres::rentals {

// A problem report's body {text, session?}: 400 naming `text` (1..1000 characters) or `session`. Pure.
struct ProblemReport {
    std::string text;
    std::optional<std::string> session;
};
ProblemReport read_problem_report(std::string_view body);

class PlaybackFailures {
  public:
    PlaybackFailures(pg::Pool& pool, Rentals& rentals, ordering::StaffRefunds& refunds, const time::Clock& clock)
        : pool_(pool), rentals_(rentals), refunds_(refunds), clock_(clock) {}

    // The scheduler's pass: refunds the rentals the store failed to play (see above); returns how many. A rental
    // found with nothing left to refund (staff refunded it meanwhile) is marked done without a refund.
    int refund_unplayable();

    // The customer's report on their rental (active or ended): 201 {id}. 404 not theirs, 409 one open already or the
    // rental not started or cancelled.
    boost::json::object report(const std::string& user, int64_t rental, const ProblemReport& report);
    // The reports, newest first (`open_only`: unresolved), each with its rental, order and what its playback
    // sessions recorded (streams, first and last segment, errors, the store's failures) and what is left to refund.
    boost::json::array list(bool open_only);
    // Refunds everything the report's rental still holds (key case:<id>; a support member within their limit) and
    // resolves it; 404 unknown, 409 resolved already or nothing left. Answers the refund.
    boost::json::object refund(const ordering::StaffMember& staff, int64_t id);
    // Resolves it without a refund; 404, 409 resolved already.
    void close(const ordering::StaffMember& staff, int64_t id);

  private:
    pg::Pool& pool_;
    Rentals& rentals_;
    ordering::StaffRefunds& refunds_;
    const time::Clock& clock_;
};

// POST /api/v1/rentals/:id/problems (the customer), GET /api/v1/admin/playback-problems?status=open|all, POST
// /api/v1/admin/playback-problems/:id/refund and /close (support, admin).
void install_failure_routes(http::Router& router, PlaybackFailures& failures);

}  // namespace chance::premieres::rentals
