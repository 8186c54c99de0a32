#pragma once
// The online price counts toward a theatre ticket (docs/adr/0028). A premiere whose theatre set voucher terms gives
// every paid rental a voucher (issued in the paying statement, store.cpp): a code worth the online price paid, valid
// until the theatre's date, in the purchase email and «Мои премьеры». The theatre's box office — identity's role
// theatre_staff, assigned to a theatre here by an admin — checks a code and redeems it once, under the rental's row
// lock (a cancel then refuses, a cancel first voids it); it also sets its premieres' voucher terms. Staff see only
// their theatre's vouchers (another theatre's code is a 404; theatres.hpp); admins see every theatre's.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"
#include "chance/service/runtime.hpp"
#include "premieres/ordering/theatres.hpp"

namespace chance::premieres::ordering {

// "7F3A91C20B4DE5A8" → "7F3A-91C2-0B4D-E5A8". Pure.
std::string voucher_display(const std::string& code);
// What a person typed (dashes, spaces, any case) as a stored code, or nullopt when it cannot be one. Pure.
std::optional<std::string> voucher_code(std::string_view typed);

class Vouchers {
  public:
    explicit Vouchers(pg::Pool& pool) : pool_(pool) {}

    // {code, premiere {id, title, theatre}, amount, valid_until, status, redeemed_at}. 400 naming `code`
    // (malformed), 403 not theatre staff or admin, 404 unknown or another theatre's.
    boost::json::object lookup(const service::Caller& who, std::string_view code);
    // Redeems an active voucher once; the same key (per staff member) answers the same redemption again. 409
    // voucher-redeemed or voucher-void, 410 voucher-expired, and lookup's refusals.
    boost::json::object redeem(const service::Caller& who, std::string_view code, const std::string& key);
    // {theatre} of a theatre staff member; 404 not-theatre-staff.
    boost::json::object me(const service::Caller& who);
    // {theatre, items [{id, title, voucher_valid_until}]}: the caller's theatre's premieres (an admin names one).
    boost::json::object premieres(const service::Caller& who, std::optional<std::string_view> theatre);
    // {valid_until} for the premiere (its theatre's staff or an admin): {premiere_id, valid_until}. 400/422 naming
    // `valid_until`, 403, 404.
    boost::json::object set_terms(const service::Caller& who, int64_t premiere, std::string_view body);
    void drop_terms(const service::Caller& who, int64_t premiere);
    // Admin: {theatre} for a theatre staff account (422 naming `theatre` when no premiere is of that theatre).
    boost::json::object assign(const std::string& user_id, std::string_view body);
    void unassign(const std::string& user_id);

  private:
    pg::Pool& pool_;
    TheatreScope theatres_{pool_};
};

// GET /api/v1/vouchers/:code, POST /api/v1/vouchers/:code/redeem, GET /api/v1/theatre/me, GET
// /api/v1/theatre/premieres, PUT and DELETE /api/v1/theatre/premieres/:id/voucher; PUT and DELETE
// /api/v1/admin/theatre-staff/:user_id.
void install_voucher_routes(http::Router& router, Vouchers& vouchers);

}  // namespace chance::premieres::ordering
