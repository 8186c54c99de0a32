#include "premieres/catalog/admin.hpp"

#include <boost/json.hpp>
#include <set>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/time.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

using boost::json::array;
using boost::json::object;

namespace {
constexpr int64_t kMaxPrice = 100'000'000'00;  // a million roubles, in kopecks
const std::set<std::string> kAgeRatings{"0+", "6+", "12+", "16+", "18+"};

// A premiere as the admin edits it (draft_from_row), with its id, version and last change.
#define ADMIN_COLUMNS                                                                                             \
    "p.id, p.slug, p.title, p.theatre, p.director, p.genre, p.age_rating, p.duration_minutes, "                   \
    "p.description_short, p.description_full, p.price_theatre, p.price_online, p.discount_percent, "              \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, "  \
    "rfc3339(p.reservable_until) AS res_until, rfc3339(p.live_at) AS live_at, p.capacity, p.featured, p.hidden, " \
    "p.version, rfc3339(p.updated_at) AS updated_at, " PREMIERES_PERIODS_JSON " AS periods, " PREMIERES_CAST_JSON \
    " AS cast "

constexpr pg::Query kAdminList{
    "admin_premieres_list",
    "SELECT p.id, p.slug, p.title, p.theatre, p.price_theatre, p.price_online, p.discount_percent, "
    "rfc3339(p.discount_until) AS discount_until, p.featured, p.hidden, p.version, rfc3339(p.updated_at) AS "
    "updated_at, "
    "count(*) OVER () AS total FROM premieres p "
    "WHERE $1 = '' OR strpos(lower(p.title), lower($1)) > 0 ORDER BY p.id DESC LIMIT $2 OFFSET $3"};
constexpr pg::Query kAdminGet{"admin_premiere_get", "SELECT " ADMIN_COLUMNS "FROM premieres p WHERE p.id = $1"};
constexpr pg::Query kAdminLock{"admin_premiere_lock",
                               "SELECT " ADMIN_COLUMNS "FROM premieres p WHERE p.id = $1 FOR UPDATE"};
#undef ADMIN_COLUMNS
// Who made the change, for the history rows the triggers write in this transaction.
constexpr pg::Query kSetActor{"admin_set_actor", "SELECT set_config('chance.actor', $1, true)"};
constexpr pg::Query kAdminInsert{
    "admin_premiere_insert",
    "INSERT INTO premieres (slug, title, theatre, director, genre, age_rating, duration_minutes, description_short, "
    "description_full, price_theatre, price_online, discount_percent, discount_until, base_period_hours, "
    "reservable_from, reservable_until, live_at, capacity, featured, hidden) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id"};
constexpr pg::Query kAdminUpdate{
    "admin_premiere_update",
    "UPDATE premieres SET slug = $2, title = $3, theatre = $4, director = $5, genre = $6, age_rating = $7, "
    "duration_minutes = $8, description_short = $9, description_full = $10, price_theatre = $11, price_online = $12, "
    "discount_percent = $13, discount_until = $14, base_period_hours = $15, reservable_from = $16, "
    "reservable_until = $17, live_at = $18, capacity = $19, featured = $20, hidden = $21, version = version + 1, "
    "updated_at = now() WHERE id = $1"};
constexpr pg::Query kDeletePeriods{"admin_periods_delete", "DELETE FROM premiere_periods WHERE premiere_id = $1"};
constexpr pg::Query kInsertPeriod{"admin_period_insert",
                                  "INSERT INTO premiere_periods (premiere_id, hours, price_factor) "
                                  "VALUES ($1, $2, $3::numeric / 1000)"};
constexpr pg::Query kDeleteCast{"admin_cast_delete", "DELETE FROM premiere_cast WHERE premiere_id = $1"};
constexpr pg::Query kInsertCast{
    "admin_cast_insert", "INSERT INTO premiere_cast (premiere_id, position, actor, role) VALUES ($1, $2, $3, $4)"};
constexpr pg::Query kEvent{"admin_premiere_event",
                           "INSERT INTO premiere_events (premiere_id, type, payload) VALUES ($1, $2, $3::jsonb)"};
constexpr pg::Query kHistory{"admin_premiere_history",
                             "SELECT id, type, payload::text AS payload, rfc3339(occurred_at) AS occurred_at "
                             "FROM premiere_events WHERE premiere_id = $1 ORDER BY id DESC LIMIT 200"};

std::string factor_text(int milli) {
    auto frac = std::to_string(milli % 1000);
    return std::to_string(milli / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

// An RFC 3339 time field, normalised to "…Z" whole seconds.
std::optional<std::string> read_time(json::Reader& r, const char* key, bool required) {
    auto s = r.str(key, required, 40);
    if (!s) return std::nullopt;
    auto t = time::parse_rfc3339(*s);
    if (!t) {
        r.fail(key, "Ожидается время в формате RFC 3339, например 2026-12-01T19:00:00Z");
        return std::nullopt;
    }
    return time::format_rfc3339(*t);
}

bool is_slug(const std::string& s) {
    if (s.empty() || s.size() > 100) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

PremiereDraft draft_from_row(const pg::Result& r) {
    PremiereDraft d;
    d.slug = r.text(0, "slug");
    d.title = r.text(0, "title");
    d.theatre = r.text(0, "theatre");
    d.director = r.text(0, "director");
    d.genre = r.text(0, "genre");
    d.age_rating = r.text(0, "age_rating");
    d.duration_minutes = static_cast<int>(r.int64(0, "duration_minutes"));
    d.description_short = r.text(0, "description_short");
    d.description_full = r.text(0, "description_full");
    d.price_theatre = r.int64(0, "price_theatre");
    d.price_online = r.int64(0, "price_online");
    d.discount_percent = static_cast<int>(r.int64(0, "discount_percent"));
    d.discount_until = r.opt_text(0, "discount_until");
    d.base_period_hours = static_cast<int>(r.int64(0, "base_period_hours"));
    for (auto [hours, milli] : period_factors(r.text(0, "periods"))) d.periods.push_back({hours, milli});
    d.reservable_from = r.text(0, "res_from");
    d.reservable_until = r.text(0, "res_until");
    d.live_at = r.opt_text(0, "live_at");
    d.capacity = r.opt_int64(0, "capacity");
    d.featured = r.boolean(0, "featured");
    d.hidden = r.boolean(0, "hidden");
    auto cast = boost::json::parse(r.text(0, "cast"));
    for (auto& c : cast.as_array())
        d.cast.push_back({std::string(c.at("actor").as_string()), std::string(c.at("role").as_string())});
    return d;
}

object row_json(const pg::Result& r) {
    auto o = to_json(draft_from_row(r));
    o["id"] = r.int64(0, "id");
    o["version"] = r.int64(0, "version");
    o["updated_at"] = r.text(0, "updated_at");
    return o;
}

pg::Params draft_params(const PremiereDraft& d) {
    return pg::Params(d.slug, d.title, d.theatre, d.director, d.genre, d.age_rating, d.duration_minutes,
                      d.description_short, d.description_full, d.price_theatre, d.price_online, d.discount_percent,
                      d.discount_until, d.base_period_hours, d.reservable_from, d.reservable_until, d.live_at,
                      d.capacity, d.featured, d.hidden);
}

void write_periods(pg::Transaction& tx, int64_t id, const PremiereDraft& d) {
    tx.exec(kDeletePeriods, pg::Params(id));
    for (const auto& p : d.periods) tx.exec(kInsertPeriod, pg::Params(id, p.hours, p.factor_milli));
}

void write_cast(pg::Transaction& tx, int64_t id, const PremiereDraft& d) {
    tx.exec(kDeleteCast, pg::Params(id));
    for (size_t i = 0; i < d.cast.size(); ++i)
        tx.exec(kInsertCast, pg::Params(id, static_cast<int>(i + 1), d.cast[i].actor, d.cast[i].role));
}

Problem slug_taken() {
    return unprocessable("Такой адрес премьеры уже занят",
                         {{"slug", "Выберите другой адрес (латиница, цифры, дефис)"}});
}
}  // namespace

PremiereDraft read_premiere(const boost::json::object& body) {
    json::Reader r(body);
    PremiereDraft d;
    auto text = [&](const char* key, std::string& out, size_t max, size_t min) {
        if (auto v = r.str(key, min > 0, max, min)) out = *v;
    };
    if (auto slug = r.str("slug", true, 100)) {
        if (!is_slug(*slug)) r.fail("slug", "Только строчная латиница, цифры и дефис, до 100 символов");
        d.slug = *slug;
    }
    text("title", d.title, 200, 1);
    text("theatre", d.theatre, 200, 1);
    text("director", d.director, 200, 1);
    text("genre", d.genre, 100, 0);
    text("description_short", d.description_short, 500, 1);
    text("description_full", d.description_full, 10000, 1);
    if (auto age = r.str("age_rating", true, 3)) {
        if (!kAgeRatings.contains(*age)) r.fail("age_rating", "Одно из: 0+, 6+, 12+, 16+, 18+");
        d.age_rating = *age;
    }
    if (auto v = r.int64("duration_minutes", true, 1, 24 * 60)) d.duration_minutes = static_cast<int>(*v);
    if (auto v = r.int64("price_theatre", true, 0, kMaxPrice)) d.price_theatre = *v;
    if (auto v = r.int64("price_online", true, 0, kMaxPrice)) d.price_online = *v;
    if (auto v = r.int64("discount_percent", false, 0, 100)) d.discount_percent = static_cast<int>(*v);
    d.discount_until = read_time(r, "discount_until", false);
    if (auto v = r.int64("base_period_hours", true, 1, 720)) d.base_period_hours = static_cast<int>(*v);
    if (auto f = r.boolean("featured", false)) d.featured = *f;
    if (auto h = r.boolean("hidden", false)) d.hidden = *h;
    if (auto v = r.int64("capacity", false, 1, 10'000'000)) d.capacity = *v;
    if (auto from = read_time(r, "reservable_from", true)) d.reservable_from = *from;
    if (auto until = read_time(r, "reservable_until", true)) d.reservable_until = *until;
    d.live_at = read_time(r, "live_at", false);
    if (!d.reservable_from.empty() && !d.reservable_until.empty() && d.reservable_until <= d.reservable_from)
        r.fail("reservable_until", "Окно бронирования должно заканчиваться позже, чем начинается");

    const auto* periods = r.value("periods");
    if (!periods || !periods->is_array() || periods->as_array().empty() || periods->as_array().size() > 12) {
        r.fail("periods", "Список от 1 до 12 сроков: [{\"hours\": 24, \"factor\": \"1.000\"}, …]");
    } else {
        std::set<int> seen;
        for (size_t i = 0; i < periods->as_array().size(); ++i) {
            auto field = "periods[" + std::to_string(i) + "]";
            const auto& p = periods->as_array()[i];
            const auto* hours = p.is_object() ? p.as_object().if_contains("hours") : nullptr;
            const auto* factor = p.is_object() ? p.as_object().if_contains("factor") : nullptr;
            if (!hours || !hours->is_int64() || hours->as_int64() < 1 || hours->as_int64() > 720) {
                r.fail(field + ".hours", "Целое число часов от 1 до 720");
                continue;
            }
            int h = static_cast<int>(hours->as_int64());
            if (!seen.insert(h).second) r.fail(field + ".hours", "Этот срок уже есть в списке");
            int milli = 0;
            try {
                if (factor && factor->is_string() && factor->as_string().size() <= 8)
                    milli = parse_factor_milli(std::string(factor->as_string()));
                else if (factor && factor->is_int64() && factor->as_int64() >= 0 && factor->as_int64() <= 100)
                    milli = static_cast<int>(factor->as_int64()) * 1000;
                else if (factor && factor->is_double() && factor->as_double() > 0 && factor->as_double() <= 100)
                    milli = static_cast<int>(factor->as_double() * 1000 + 0.5);
            } catch (const std::exception&) {
                milli = 0;
            }
            if (milli <= 0 || milli > 100'000) {
                r.fail(field + ".factor", "Множитель цены больше 0 и не больше 100, до трёх знаков после точки");
                continue;
            }
            d.periods.push_back({h, milli});
        }
        if (r.ok() && !seen.contains(d.base_period_hours))
            r.fail("base_period_hours", "Базовый срок должен быть среди сроков аренды");
        std::sort(d.periods.begin(), d.periods.end(), [](auto& a, auto& b) { return a.hours < b.hours; });
    }

    if (const auto* cast = r.value("cast")) {
        if (!cast->is_array() || cast->as_array().size() > 50) {
            r.fail("cast", "Список до 50 актёров: [{\"actor\": \"…\", \"role\": \"…\"}]");
        } else {
            for (size_t i = 0; i < cast->as_array().size(); ++i) {
                auto field = "cast[" + std::to_string(i) + "]";
                const auto& c = cast->as_array()[i];
                if (!c.is_object()) {
                    r.fail(field, "Ожидается {\"actor\": \"…\", \"role\": \"…\"}");
                    continue;
                }
                json::Reader cr(c.as_object());
                auto actor = cr.str("actor", true, 200, 1);
                auto role = cr.str("role", false, 200);
                for (const auto& e : cr.errors()) r.fail(field + "." + e.field, e.message);
                if (actor) d.cast.push_back({*actor, role.value_or("")});
            }
        }
    }
    if (!r.ok()) {
        auto errors = r.errors();
        auto detail = "Проверьте поле " + errors.front().field + (errors.size() > 1 ? " и другие" : "");
        throw unprocessable(std::move(detail), std::move(errors));
    }
    return d;
}

object to_json(const PremiereDraft& d) {
    array periods, cast;
    for (const auto& p : d.periods)
        periods.push_back(object{{"hours", p.hours}, {"factor", factor_text(p.factor_milli)}});
    for (const auto& c : d.cast) cast.push_back(object{{"actor", c.actor}, {"role", c.role}});
    auto opt = [](const std::optional<std::string>& s) {
        return s ? boost::json::value(*s) : boost::json::value(nullptr);
    };
    return {{"slug", d.slug},
            {"title", d.title},
            {"theatre", d.theatre},
            {"director", d.director},
            {"genre", d.genre},
            {"age_rating", d.age_rating},
            {"duration_minutes", d.duration_minutes},
            {"description_short", d.description_short},
            {"description_full", d.description_full},
            {"price_theatre", d.price_theatre},
            {"price_online", d.price_online},
            {"discount_percent", d.discount_percent},
            {"discount_until", opt(d.discount_until)},
            {"base_period_hours", d.base_period_hours},
            {"periods", std::move(periods)},
            {"reservable_from", d.reservable_from},
            {"reservable_until", d.reservable_until},
            {"live_at", opt(d.live_at)},
            {"capacity", d.capacity ? boost::json::value(*d.capacity) : boost::json::value(nullptr)},
            {"featured", d.featured},
            {"hidden", d.hidden},
            {"cast", std::move(cast)}};
}

object CatalogAdmin::list(const std::string& q, int page, int limit) {
    auto rows = pool_.exec(kAdminList, pg::Params(q, limit, (page - 1) * limit));
    array items;
    for (int i = 0; i < rows.rows(); ++i) {
        auto until = rows.opt_text(i, "discount_until");
        items.push_back(object{{"id", rows.int64(i, "id")},
                               {"slug", rows.text(i, "slug")},
                               {"title", rows.text(i, "title")},
                               {"theatre", rows.text(i, "theatre")},
                               {"price_theatre", rows.int64(i, "price_theatre")},
                               {"price_online", rows.int64(i, "price_online")},
                               {"discount_percent", rows.int64(i, "discount_percent")},
                               {"discount_until", until ? boost::json::value(*until) : boost::json::value(nullptr)},
                               {"featured", rows.boolean(i, "featured")},
                               {"hidden", rows.boolean(i, "hidden")},
                               {"version", rows.int64(i, "version")},
                               {"updated_at", rows.text(i, "updated_at")}});
    }
    int64_t total = rows.empty() ? 0 : rows.int64(0, "total");
    return {{"items", std::move(items)}, {"total", total}, {"page", page}, {"limit", limit}};
}

object CatalogAdmin::get(int64_t id) {
    auto rows = pool_.exec(kAdminGet, pg::Params(id));
    if (rows.empty()) throw not_found("Премьера не найдена");
    return row_json(rows);
}

object CatalogAdmin::create(const std::string& body, const std::string& admin) {
    auto d = read_premiere(json::parse_object(body));
    try {
        auto created = pool_.transact([&](pg::Transaction& tx) {
            tx.exec(kSetActor, pg::Params(admin));
            auto id = tx.exec(kAdminInsert, draft_params(d)).int64(0, "id");
            write_periods(tx, id, d);
            write_cast(tx, id, d);
            return row_json(tx.exec(kAdminGet, pg::Params(id)));
        });
        changed();
        return created;
    } catch (const pg::UniqueViolation&) {
        throw slug_taken();
    }
}

object CatalogAdmin::update(int64_t id, const std::string& body, const std::string& admin) {
    auto patch = json::parse_object(body);
    json::Reader vr(patch);
    auto version = vr.int64("version", true, 1);
    if (!vr.ok()) throw unprocessable("Укажите версию, которую вы редактировали", vr.errors());
    patch.erase("version");
    for (const auto* key : {"id", "updated_at"}) patch.erase(key);
    try {
        auto updated = pool_.transact([&](pg::Transaction& tx) {
            auto current = tx.exec(kAdminLock, pg::Params(id));
            if (current.empty()) throw not_found("Премьера не найдена");
            if (current.int64(0, "version") != *version)
                throw conflict("Премьеру уже изменили: обновите страницу и повторите правку")
                    .with("version", current.int64(0, "version"));
            auto before = to_json(draft_from_row(current));
            auto merged = before;
            for (auto& [k, v] : patch) {
                if (!merged.contains(k))
                    throw unprocessable("Неизвестное поле " + std::string(k), {{std::string(k), "Такого поля нет"}});
                merged[k] = v;
            }
            auto d = read_premiere(merged);
            auto after = to_json(d);
            if (after == before) return row_json(current);  // nothing changes: no new version, no history row
            tx.exec(kSetActor, pg::Params(admin));
            auto params = draft_params(d);
            pg::Params update(id);
            for (const auto& v : params.values()) update.add(v);
            tx.exec(kAdminUpdate, update);
            if (after.at("periods") != before.at("periods")) {
                write_periods(tx, id, d);
                tx.exec(kEvent, pg::Params(id, "periods_changed",
                                           boost::json::serialize(object{{"old", before.at("periods")},
                                                                         {"new", after.at("periods")},
                                                                         {"actor", admin}})));
            }
            if (after.at("cast") != before.at("cast")) {
                write_cast(tx, id, d);
                tx.exec(kEvent,
                        pg::Params(id, "cast_changed",
                                   boost::json::serialize(object{
                                       {"old", before.at("cast")}, {"new", after.at("cast")}, {"actor", admin}})));
            }
            return row_json(tx.exec(kAdminGet, pg::Params(id)));
        });
        changed();
        return updated;
    } catch (const pg::UniqueViolation&) {
        throw slug_taken();
    }
}

object CatalogAdmin::history(int64_t id) {
    if (pool_.exec(kAdminGet, pg::Params(id)).empty()) throw not_found("Премьера не найдена");
    auto rows = pool_.exec(kHistory, pg::Params(id));
    array items;
    for (int i = 0; i < rows.rows(); ++i)
        items.push_back(object{{"id", rows.int64(i, "id")},
                               {"type", rows.text(i, "type")},
                               {"payload", boost::json::parse(rows.text(i, "payload"))},
                               {"occurred_at", rows.text(i, "occurred_at")}});
    return {{"items", std::move(items)}};
}

}  // namespace chance::premieres
