#pragma once
// The catalog's admin API (role admin): list (hidden included), read, create, update (partial, with the
// version it was read at), hide; every change lands in the append-only premiere_events history.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"

namespace chance::premieres {

struct PeriodRule {
    int hours = 0;
    int factor_milli = 0;  // price factor in thousandths (1.5 → 1500)
};

struct CastMember {
    std::string actor;
    std::string role;
};

// A whole premiere as the admin edits it. Times are RFC 3339 UTC strings (validated).
struct PremiereDraft {
    std::string slug, title, theatre, director, genre, age_rating, description_short, description_full;
    int duration_minutes = 0;
    int64_t price_theatre = 0, price_online = 0;  // kopecks
    int discount_percent = 0;
    std::optional<std::string> discount_until;
    int base_period_hours = 24;
    std::vector<PeriodRule> periods;
    std::string reservable_from, reservable_until;
    std::optional<std::string> live_at;
    std::optional<int64_t> capacity;
    bool featured = false, hidden = false;
    std::vector<CastMember> cast;
};

// Reads and validates a whole premiere; 422 listing every field at fault (prices ≥ 0 kopecks, discount
// 0–100 %, periods positive and unique, the base period among them, the window's end after its start...).
// Pure: unit-tested and fuzzed.
PremiereDraft read_premiere(const boost::json::object& body);

// The draft as JSON in the shape read_premiere accepts (so a read, edit, write round trip is exact).
boost::json::object to_json(const PremiereDraft& d);

class CatalogAdmin {
  public:
    // `after_change` runs after each committed change (the catalog reads its new version at once).
    explicit CatalogAdmin(pg::Pool& pool, std::function<void()> after_change = {})
        : pool_(pool), after_change_(std::move(after_change)) {}

    // {items, total, page, limit}; hidden premieres included; q filters by title (substring).
    boost::json::object list(const std::string& q, int page, int limit);
    boost::json::object get(int64_t id);
    boost::json::object create(const std::string& body, const std::string& admin);
    // body: any subset of the fields plus the `version` it was read at; a stale version → 409.
    boost::json::object update(int64_t id, const std::string& body, const std::string& admin);
    boost::json::object history(int64_t id);

  private:
    void changed() const {
        if (after_change_) after_change_();
    }
    pg::Pool& pool_;  // through AdminStore (premieres/catalog/admin_store.hpp)
    std::function<void()> after_change_;
};

}  // namespace chance::premieres
