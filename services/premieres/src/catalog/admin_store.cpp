#include "premieres/catalog/admin_store.hpp"

#include "premieres/catalog/premiere_columns.hpp"

namespace chance::premieres {

namespace {
constexpr pg::Query kAdminList{
    "admin_premieres_list",
    "SELECT " PREMIERES_LIST_COLUMNS
    ", count(*) OVER () AS total FROM premieres p "
    "WHERE $1 = '' OR strpos(lower(p.title), lower($1)) > 0 ORDER BY p.id DESC LIMIT $2 OFFSET $3"};
constexpr pg::Query kAdminGet{"admin_premiere_get",
                              "SELECT " PREMIERES_DRAFT_COLUMNS "FROM premieres p WHERE p.id = $1"};
constexpr pg::Query kAdminLock{"admin_premiere_lock",
                               "SELECT " PREMIERES_DRAFT_COLUMNS "FROM premieres p WHERE p.id = $1 FOR UPDATE"};
// Who made the change, for the history rows the triggers write in this transaction.
constexpr pg::Query kSetActor{"admin_set_actor", "SELECT set_config('chance.actor', $1, true)"};
constexpr pg::Query kAdminInsert{
    "admin_premiere_insert",
    "INSERT INTO premieres (slug, title, theatre, director, genre, age_rating, duration_minutes, description_short, "
    "description_full, price_theatre, price_online, discount_percent, discount_until, base_period_hours, "
    "reservable_from, reservable_until, live_at, capacity, featured, hidden, cast_names) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) "
    "RETURNING id"};
constexpr pg::Query kAdminUpdate{
    "admin_premiere_update",
    "UPDATE premieres SET slug = $2, title = $3, theatre = $4, director = $5, genre = $6, age_rating = $7, "
    "duration_minutes = $8, description_short = $9, description_full = $10, price_theatre = $11, price_online = $12, "
    "discount_percent = $13, discount_until = $14, base_period_hours = $15, reservable_from = $16, "
    "reservable_until = $17, live_at = $18, capacity = $19, featured = $20, hidden = $21, version = version + 1, "
    "updated_at = now() WHERE id = $1"};
constexpr pg::Query kLockSlugs{"admin_premiere_lock_slugs",
                               "SELECT slug, id FROM premieres WHERE slug = ANY($1::text[]) ORDER BY id FOR UPDATE"};
constexpr pg::Query kExistingSlugs{"admin_existing_slugs", "SELECT slug FROM premieres WHERE slug = ANY($1::text[])"};
constexpr pg::Query kDeletePeriods{"admin_periods_delete", "DELETE FROM premiere_periods WHERE premiere_id = $1"};
// Every period of the premiere in one statement: $2 hours and $3 factors in thousandths, as text arrays.
constexpr pg::Query kInsertPeriods{"admin_periods_insert",
                                   "INSERT INTO premiere_periods (premiere_id, hours, price_factor) "
                                   "SELECT $1, h, f::numeric / 1000 FROM unnest($2::int[], $3::int[]) AS t(h, f)"};
constexpr pg::Query kDeleteCast{"admin_cast_delete", "DELETE FROM premiere_cast WHERE premiere_id = $1"};
// The whole cast in one statement, in order: $2 actors and $3 roles as text arrays.
constexpr pg::Query kInsertCast{"admin_cast_insert",
                                "INSERT INTO premiere_cast (premiere_id, position, actor, role) "
                                "SELECT $1, n, a, r FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(a, r, n)"};
constexpr pg::Query kEvent{"admin_premiere_event",
                           "INSERT INTO premiere_events (premiere_id, type, payload) VALUES ($1, $2, $3::jsonb)"};
constexpr pg::Query kHistory{"admin_premiere_history",
                             "SELECT id, type, payload::text AS payload, rfc3339(occurred_at) AS occurred_at "
                             "FROM premiere_events WHERE premiere_id = $1 ORDER BY id DESC LIMIT 200"};

pg::Params draft_params(const PremiereDraft& d) {
    return pg::Params(d.slug, d.title, d.theatre, d.director, d.genre, d.age_rating, d.duration_minutes,
                      d.description_short, d.description_full, d.price_theatre, d.price_online, d.discount_percent,
                      d.discount_until, d.base_period_hours, d.reservable_from, d.reservable_until, d.live_at,
                      d.capacity, d.featured, d.hidden);
}

std::optional<AdminPremiere> premiere_of(const pg::Result& r) {
    if (r.empty()) return std::nullopt;
    return read_admin_premiere(r, 0);
}
}  // namespace

AdminList AdminStore::list(const std::string& q, int limit, int offset) {
    auto rows = pool_.exec(kAdminList, pg::Params(q, limit, offset));
    AdminList out;
    out.items.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) out.items.push_back(read_admin_list_item(rows, i));
    out.total = rows.empty() ? 0 : rows.int64(0, "total");
    return out;
}

std::optional<AdminPremiere> AdminStore::get(int64_t id) { return premiere_of(pool_.exec(kAdminGet, pg::Params(id))); }

std::vector<PremiereEvent> AdminStore::history(int64_t id) {
    auto rows = pool_.exec(kHistory, pg::Params(id));
    std::vector<PremiereEvent> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i)
        out.push_back(
            {rows.int64(i, "id"), rows.text(i, "type"), rows.text(i, "payload"), rows.text(i, "occurred_at")});
    return out;
}

std::optional<AdminPremiere> AdminStore::get(pg::Transaction& tx, int64_t id) {
    return premiere_of(tx.exec(kAdminGet, pg::Params(id)));
}

std::optional<AdminPremiere> AdminStore::lock(pg::Transaction& tx, int64_t id) {
    return premiere_of(tx.exec(kAdminLock, pg::Params(id)));
}

std::map<std::string, int64_t> AdminStore::lock_slugs(pg::Transaction& tx, const std::vector<std::string>& slugs) {
    auto rows = tx.exec(kLockSlugs, pg::Params(pg::text_array(slugs)));
    std::map<std::string, int64_t> out;
    for (int i = 0; i < rows.rows(); ++i) out.emplace(rows.text(i, "slug"), rows.int64(i, "id"));
    return out;
}

std::vector<std::string> AdminStore::existing_slugs(pg::Pool& pool, const std::vector<std::string>& slugs) {
    auto rows = pool.exec(kExistingSlugs, pg::Params(pg::text_array(slugs)));
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(rows.rows()));
    for (int i = 0; i < rows.rows(); ++i) out.push_back(rows.text(i, "slug"));
    return out;
}

void AdminStore::set_actor(pg::Transaction& tx, const std::string& admin) { tx.exec(kSetActor, pg::Params(admin)); }

int64_t AdminStore::insert(pg::Transaction& tx, const PremiereDraft& d) {
    // With the cast's names as the cast trigger would compute them (migration 0020): the search document is made once.
    std::string names;
    for (const auto& c : d.cast) names += (names.empty() ? "" : ", ") + c.actor;
    auto params = draft_params(d);
    params.add(names);
    return tx.exec(kAdminInsert, params).int64(0, "id");
}

void AdminStore::update(pg::Transaction& tx, int64_t id, const PremiereDraft& d) {
    auto params = draft_params(d);
    pg::Params update(id);
    for (const auto& v : params.values()) update.add(v);
    tx.exec(kAdminUpdate, update);
}

void AdminStore::write_periods(pg::Transaction& tx, int64_t id, const PremiereDraft& d, bool fresh) {
    if (!fresh) tx.exec(kDeletePeriods, pg::Params(id));
    std::vector<std::string> hours, factors;
    for (const auto& p : d.periods) {
        hours.push_back(std::to_string(p.hours));
        factors.push_back(std::to_string(p.factor_milli));
    }
    tx.exec(kInsertPeriods, pg::Params(id, pg::text_array(hours), pg::text_array(factors)));
}

void AdminStore::write_cast(pg::Transaction& tx, int64_t id, const PremiereDraft& d, bool fresh) {
    if (!fresh) tx.exec(kDeleteCast, pg::Params(id));
    if (d.cast.empty()) return;
    std::vector<std::string> actors, roles;
    for (const auto& c : d.cast) {
        actors.push_back(c.actor);
        roles.push_back(c.role);
    }
    tx.exec(kInsertCast, pg::Params(id, pg::text_array(actors), pg::text_array(roles)));
}

void AdminStore::record(pg::Transaction& tx, int64_t id, const std::string& type, const std::string& payload) {
    tx.exec(kEvent, pg::Params(id, type, payload));
}

}  // namespace chance::premieres
