#pragma once
// The sales report for admins (docs/adr/0022): per day, premiere or theatre, what the store's money movements were in
// a period — rentals sold, revenue (payments and change surcharges), refunds (cancellations, changes, sold-out shows,
// staff refunds), discounts given — read from the orders and their history, the same records «Мои заказы» shows. Its
// revenue is what billing's ledger debited and its refunds what it credited back for orders, to the kopeck.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"

namespace chance::premieres::ordering {

struct ReportRequest {
    std::string from, to;  // YYYY-MM-DD, both inclusive, in the report's time zone
    std::string by;        // day | premiere | theatre
};
// The query string's from, to, by: 400 naming the field (a date that does not exist, to before from, more than 366
// days, an unknown grouping).
ReportRequest read_report_request(const std::optional<std::string>& from, const std::optional<std::string>& to,
                                  const std::optional<std::string>& by);

struct ReportRow {
    std::string key, label;
    int64_t rentals = 0, revenue = 0, refunds = 0, discounts = 0;
};

class SalesReport {
  public:
    SalesReport(pg::Pool& pool, std::string time_zone) : pool_(pool), time_zone_(std::move(time_zone)) {}
    std::vector<ReportRow> rows(const ReportRequest& r);
    const std::string& time_zone() const { return time_zone_; }

  private:
    pg::Pool& pool_;
    std::string time_zone_;
};

// {from, to, by, time_zone, rows [{key, label, rentals, revenue, refunds, discounts, net}], totals {…}}.
boost::json::object report_json(const ReportRequest& r, const std::string& time_zone,
                                const std::vector<ReportRow>& rows);
// Semicolon-separated for Excel (with a BOM), amounts in rubles with a decimal comma, a totals row «Итого». Pure.
std::string report_csv(const ReportRequest& r, const std::vector<ReportRow>& rows);

}  // namespace chance::premieres::ordering
