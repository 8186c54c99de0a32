#pragma once
// The catalog's admin API (role admin): list (hidden included), read, create, update (partial, with the
// version it was read at), hide; every change lands in the append-only premiere_events history.
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/premiere_row.hpp"

namespace chance::premieres {

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

    // Within an import's transaction (whose actor is set): the premiere with each draft's slug becomes the draft (its
    // rows locked first, in one statement), or is created. Throws pg::UniqueViolation only for a slug created
    // meanwhile by another transaction. The slugs must differ.
    struct Upserts {
        int64_t created = 0, updated = 0, unchanged = 0;
    };
    static Upserts upsert(pg::Transaction& tx, std::span<const PremiereDraft> drafts, const std::string& admin);
    // Runs after_change (an import's batches end with it).
    void announce_change() const { changed(); }

  private:
    // The premiere's columns, periods and cast as the draft has them, with history rows for periods and cast; false
    // (nothing written) when the draft is what the premiere already is.
    static bool write_changes(pg::Transaction& tx, const AdminPremiere& current, const PremiereDraft& d,
                              const std::string& admin);
    void changed() const {
        if (after_change_) after_change_();
    }
    pg::Pool& pool_;  // through AdminStore (premieres/catalog/admin_store.hpp)
    std::function<void()> after_change_;
};

}  // namespace chance::premieres
