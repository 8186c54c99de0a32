#include "premieres/catalog/admin.hpp"

#include "premieres/catalog/admin_store.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <set>
#include <string_view>

#include "chance/auth/auth.hpp"
#include "chance/core/json.hpp"
#include "chance/core/time.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

using boost::json::array;
using boost::json::object;

namespace {
constexpr int64_t kMaxPrice = 100'000'000'00;  // a million roubles, in kopecks
constexpr std::array<std::string_view, 5> kAgeRatings{"0+", "6+", "12+", "16+", "18+"};

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
        if (std::ranges::find(kAgeRatings, *age) == kAgeRatings.end())
            r.fail("age_rating", "Одно из: 0+, 6+, 12+, 16+, 18+");
        d.age_rating = *age;
    }
    if (auto v = r.int64("duration_minutes", true, 1, int64_t{24} * 60)) d.duration_minutes = static_cast<int>(*v);
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
                    milli = static_cast<int>(std::lround(factor->as_double() * 1000));
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
            {"discount_until", json::or_null(d.discount_until)},
            {"base_period_hours", d.base_period_hours},
            {"periods", std::move(periods)},
            {"reservable_from", d.reservable_from},
            {"reservable_until", d.reservable_until},
            {"live_at", json::or_null(d.live_at)},
            {"capacity", json::or_null(d.capacity)},
            {"featured", d.featured},
            {"hidden", d.hidden},
            {"cast", std::move(cast)}};
}

namespace {
// The admin's answers: a premiere (its draft, id, version, last change), a page of the list, a history.
object to_json(const AdminPremiere& p) {
    auto o = to_json(p.draft);
    o["id"] = p.id;
    o["version"] = p.version;
    o["updated_at"] = p.updated_at;
    return o;
}

object to_json(const AdminList& list, int page, int limit) {
    array items;
    for (const auto& i : list.items)
        items.push_back(object{{"id", i.id},
                               {"slug", i.slug},
                               {"title", i.title},
                               {"theatre", i.theatre},
                               {"price_theatre", i.price_theatre},
                               {"price_online", i.price_online},
                               {"discount_percent", i.discount_percent},
                               {"discount_until", json::or_null(i.discount_until)},
                               {"featured", i.featured},
                               {"hidden", i.hidden},
                               {"version", i.version},
                               {"updated_at", i.updated_at}});
    return {{"items", std::move(items)}, {"total", list.total}, {"page", page}, {"limit", limit}};
}

object to_json(const std::vector<PremiereEvent>& history) {
    array items;
    for (const auto& e : history)
        items.push_back(object{{"id", e.id},
                               {"type", e.type},
                               {"payload", boost::json::parse(e.payload)},
                               {"occurred_at", e.occurred_at}});
    return {{"items", std::move(items)}};
}
}  // namespace

object CatalogAdmin::list(const std::string& q, int page, int limit) {
    return to_json(AdminStore(pool_).list(q, limit, (page - 1) * limit), page, limit);
}

object CatalogAdmin::get(int64_t id) {
    auto p = AdminStore(pool_).get(id);
    if (!p) throw not_found("Премьера не найдена");
    return to_json(*p);
}

object CatalogAdmin::create(const std::string& body, const std::string& admin) {
    auto d = read_premiere(json::parse_object(body));
    try {
        auto created = pool_.transact([&](pg::Transaction& tx) {
            AdminStore::set_actor(tx, admin);
            auto id = AdminStore::insert(tx, d);
            AdminStore::write_periods(tx, id, d);
            AdminStore::write_cast(tx, id, d);
            return to_json(*AdminStore::get(tx, id));
        });
        changed();
        return created;
    } catch (const pg::UniqueViolation&) {
        throw slug_taken();
    }
}

bool CatalogAdmin::write_changes(pg::Transaction& tx, const AdminPremiere& current, const PremiereDraft& d,
                                 const std::string& admin) {
    auto before = to_json(current.draft);
    auto after = to_json(d);
    if (after == before) return false;  // nothing changes: no new version, no history row
    AdminStore::update(tx, current.id, d);
    if (after.at("periods") != before.at("periods")) {
        AdminStore::write_periods(tx, current.id, d);
        AdminStore::record(tx, current.id, "periods_changed",
                           boost::json::serialize(
                               object{{"old", before.at("periods")}, {"new", after.at("periods")}, {"actor", admin}}));
    }
    if (after.at("cast") != before.at("cast")) {
        AdminStore::write_cast(tx, current.id, d);
        AdminStore::record(
            tx, current.id, "cast_changed",
            boost::json::serialize(object{{"old", before.at("cast")}, {"new", after.at("cast")}, {"actor", admin}}));
    }
    return true;
}

CatalogAdmin::Upserts CatalogAdmin::upsert(pg::Transaction& tx, std::span<const PremiereDraft> drafts,
                                           const std::string& admin) {
    std::vector<std::string> slugs;
    slugs.reserve(drafts.size());
    for (const auto& d : drafts) slugs.push_back(d.slug);
    auto existing = AdminStore::lock_slugs(tx, slugs);
    Upserts n;
    for (const auto& d : drafts) {
        if (auto it = existing.find(d.slug); it != existing.end()) {
            auto current = AdminStore::get(tx, it->second);
            ++(write_changes(tx, *current, d, admin) ? n.updated : n.unchanged);
            continue;
        }
        auto id = AdminStore::insert(tx, d);
        AdminStore::write_periods(tx, id, d, /*fresh=*/true);
        AdminStore::write_cast(tx, id, d, /*fresh=*/true);
        ++n.created;
    }
    return n;
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
            auto current = AdminStore::lock(tx, id);
            if (!current) throw not_found("Премьера не найдена");
            if (current->version != *version)
                throw conflict("Премьеру уже изменили: обновите страницу и повторите правку")
                    .with("version", current->version);
            auto before = to_json(current->draft);
            auto merged = before;
            for (auto& [k, v] : patch) {
                if (!merged.contains(k))
                    throw unprocessable("Неизвестное поле " + std::string(k), {{std::string(k), "Такого поля нет"}});
                merged[k] = v;
            }
            auto d = read_premiere(merged);
            AdminStore::set_actor(tx, admin);
            if (!write_changes(tx, *current, d, admin)) return to_json(*current);
            return to_json(*AdminStore::get(tx, id));
        });
        changed();
        return updated;
    } catch (const pg::UniqueViolation&) {
        throw slug_taken();
    }
}

object CatalogAdmin::history(int64_t id) {
    if (!AdminStore(pool_).get(id)) throw not_found("Премьера не найдена");
    return to_json(AdminStore(pool_).history(id));
}

}  // namespace chance::premieres
