#pragma once
// The admin's SQL: premieres as drafts (hidden ones included), their changes and their history.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/premiere_row.hpp"

namespace chance::premieres {

struct AdminList {
    std::vector<AdminListItem> items;
    int64_t total = 0;  // every premiere matching, across pages
};

// A premiere_events row.
struct PremiereEvent {
    int64_t id = 0;
    std::string type;
    std::string payload;  // JSON
    std::string occurred_at;
};

class AdminStore {
  public:
    explicit AdminStore(pg::Pool& pool) : pool_(pool) {}

    // Newest first; q: a substring of the title ("" for every premiere).
    AdminList list(const std::string& q, int limit, int offset);
    std::optional<AdminPremiere> get(int64_t id);
    // The latest 200 events of the premiere, newest first.
    std::vector<PremiereEvent> history(int64_t id);

    // Within a transaction.
    static std::optional<AdminPremiere> get(pg::Transaction& tx, int64_t id);
    // Locks the premiere's row until the transaction ends.
    static std::optional<AdminPremiere> lock(pg::Transaction& tx, int64_t id);
    // The ids of the premieres with these slugs (those the catalog has), their rows locked.
    static std::map<std::string, int64_t> lock_slugs(pg::Transaction& tx, const std::vector<std::string>& slugs);
    // Which of these slugs the catalog has.
    static std::vector<std::string> existing_slugs(pg::Pool& pool, const std::vector<std::string>& slugs);
    // Who makes this transaction's changes, for the history rows the triggers write.
    static void set_actor(pg::Transaction& tx, const std::string& admin);
    // Throws pg::UniqueViolation when the slug is taken.
    static int64_t insert(pg::Transaction& tx, const PremiereDraft& d);
    // Every column of the draft, the version + 1.
    static void update(pg::Transaction& tx, int64_t id, const PremiereDraft& d);
    // The draft's periods (cast) in place of the premiere's; `fresh`: it has none yet (just inserted).
    static void write_periods(pg::Transaction& tx, int64_t id, const PremiereDraft& d, bool fresh = false);
    static void write_cast(pg::Transaction& tx, int64_t id, const PremiereDraft& d, bool fresh = false);
    static void record(pg::Transaction& tx, int64_t id, const std::string& type, const std::string& payload);

  private:
    pg::Pool& pool_;
};

}  // namespace chance::premieres
