#pragma once
// Live shows with online seats (docs/adr/0027). A premiere may have several live shows, each a time and a number
// of online seats. The storefront shows the upcoming ones with the seats left (counted live, never cached); a seat
// is bought as a rental of the show (POST /rent/ or an order line with show_id: ordering's check_line and the
// show's row lock at payment keep it from being oversold). An admin or the theatre's own staff (theatres.hpp) add
// shows and cancel one: its buyers are then refunded in full and told, by the scheduler's pass (each rental claimed
// once, the refund keyed by the rental).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chance/core/time.hpp"
#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "premieres/clients/billing_client.hpp"
#include "premieres/ordering/theatres.hpp"

namespace chance::premieres::ordering {

// POST /admin/premieres/:id/shows's body {starts_at, capacity}: 400 naming the field. Pure.
struct NewShow {
    std::string starts_at;  // RFC 3339, as given
    int64_t capacity = 0;
};
NewShow read_new_show(std::string_view body);
// GET /shows?premieres=1,2,3: up to 50 positive ids, each once; 400 naming `premieres`. Pure.
std::vector<int64_t> read_premiere_ids(std::optional<std::string_view> text);

class LiveShows {
  public:
    LiveShows(pg::Pool& pool, const billing::Client& billing, const time::Clock& clock)
        : pool_(pool), billing_(billing), clock_(clock) {}

    // The premiere's upcoming shows on sale or sold out, soonest first: [{id, starts_at, capacity, seats_left,
    // status}]. 404 for a premiere that is not in the storefront.
    boost::json::array upcoming(int64_t premiere);
    // Each premiere's next upcoming show (for the cards): [{premiere_id, next | null}], in the order asked.
    boost::json::array next_of(const std::vector<int64_t>& premieres);
    // The theatre a caller manages shows for (TheatreScope::of: nullopt for an admin; 403, 404 not-theatre-staff).
    Theatre theatre_of(const service::Caller& who) { return theatres_.of(who); }
    // Every show of the premiere with its seats taken (staff's); 404 no such premiere or not of `theatre`.
    boost::json::array list(const Theatre& theatre, int64_t premiere);
    // A new show: 201's body. 404 no such premiere or not of `theatre`, 409 a show at that time already, 422 naming
    // `starts_at` in the past.
    boost::json::object add(const Theatre& theatre, int64_t premiere, const NewShow& show, const std::string& staff_id);
    // Cancels the show and refunds its buyers now: {show, refunded, pending} (counted after the pass, whichever pass
    // refunded each buyer; `pending`: billing has not refunded them yet). 404 no such show or not of `theatre`, 409
    // cancelled already. `staff_id` (who added or cancelled it) is kept on the show.
    boost::json::object cancel(const Theatre& theatre, int64_t show, const std::string& staff_id);
    // The scheduler's pass (and cancel's): every rental of a cancelled show (only `show`'s when given) not yet
    // cancelled is cancelled, refunded in full (what staff have not refunded already; key show-cancelled:<rental>)
    // and its buyer emailed, one rental per transaction. A billing failure leaves the rental for the next pass.
    void refund_cancelled(std::optional<int64_t> show = std::nullopt);

  private:
    pg::Pool& pool_;
    const billing::Client& billing_;
    const time::Clock& clock_;
    TheatreScope theatres_{pool_};
};

// GET /api/v1/premiere/:id/shows, GET /api/v1/shows (public, no-store); GET and POST
// /api/v1/admin/premieres/:id/shows, POST /api/v1/admin/shows/:id/cancel (admin); the same for a theatre's own
// premieres at GET and POST /api/v1/theatre/premieres/:id/shows, POST /api/v1/theatre/shows/:id/cancel (theatre
// staff, or an admin).
void install_show_routes(http::Router& router, LiveShows& shows);

}  // namespace chance::premieres::ordering
