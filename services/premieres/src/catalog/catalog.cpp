#include "premieres/catalog/catalog.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "chance/core/error.hpp"
#include "chance/core/log.hpp"
#include "premieres/catalog/poster.hpp"

namespace chance::premieres {

PremierePage premiere_page(std::shared_ptr<const PremiereRow> row, time::TimePoint now) {
    PremierePage page;
    page.card = card_of(row->card, now);
    page.row = std::move(row);
    return page;
}

RentQuote rent_quote_of(const CardRow& row, int period_hours, time::TimePoint now) {
    auto factors = period_factors(row.periods);
    auto factor = factors.find(period_hours);
    if (factor == factors.end()) {
        boost::json::array allowed;
        for (auto [h, _] : factors) allowed.push_back(h);
        auto list = period_list(factors);
        throw unprocessable("Такой срок аренды недоступен. Можно выбрать: " + list + " ч.",
                            {{"period", "Допустимые значения: " + list}})
            .with("allowed_periods", allowed);
    }
    auto until = row.discount_until ? time::parse_rfc3339(*row.discount_until) : std::nullopt;
    return {row.id, period_hours,
            quote(Money::kopecks(row.price_online), factor->second, row.discount_percent, until, now),
            now + std::chrono::minutes(15)};
}

boost::json::object to_json(const PremierePage& page) {
    const auto& p = *page.row;
    auto out = to_json(page.card);
    out["description_full"] = p.description_full;
    out["theatre"] = p.theatre;
    out["director"] = p.director;
    out["genre"] = p.genre;
    out["age_rating"] = p.age_rating;
    out["duration_minutes"] = p.duration_minutes;
    out["live_at"] = p.live_at ? boost::json::value(*p.live_at) : boost::json::value(nullptr);
    out["cast"] = boost::json::parse(p.cast);
    out["capacity"] = p.capacity ? boost::json::value(*p.capacity) : boost::json::value(nullptr);
    return out;
}

boost::json::object to_json(const RentQuote& q) {
    return {{"premiere_id", q.premiere_id},
            {"period", q.period_hours},
            {"base", q.price.base.as_kopecks()},
            {"discount", q.price.discount.as_kopecks()},
            {"discount_percent", q.price.discount_percent},
            {"total", q.price.total.as_kopecks()},
            {"currency", "RUB"},
            {"quote_expires_at", time::format_rfc3339(q.expires_at)}};
}

Catalog::Catalog(pg::Pool& pool, const time::Clock& clock, CatalogOptions options)
    : clock_(clock), version_(pool), search_(pool, clock, cache_, version_, options), store_(pool) {}

std::shared_ptr<const PremiereRow> Catalog::premiere_row(int64_t id, std::optional<int64_t> version) {
    // The row is kept, not the answer: the final price depends on the discount's end, i.e. on the time.
    auto v = version ? *version : version_.version();
    auto held = cache_
                    .through("premiere\x1f" + std::to_string(id), v,
                             [&] {
                                 AnswerCache::Entry e;
                                 if (auto row = store_.premiere(id))
                                     e.premiere = std::make_shared<const PremiereRow>(std::move(*row));
                                 return e;
                             })
                    .premiere;
    if (!held) throw not_found("Премьера не найдена");
    return held;
}

PremierePage Catalog::page(int64_t id, std::optional<int64_t> version) {
    return premiere_page(premiere_row(id, version), clock_.now());
}

RentQuote Catalog::quote(int64_t id, int period_hours, std::optional<int64_t> version) {
    auto row = premiere_row(id, version);
    return rent_quote_of(row->card, period_hours, clock_.now());
}

boost::json::object Catalog::premiere(int64_t id, std::optional<int64_t> version) { return to_json(page(id, version)); }

boost::json::object Catalog::rent_quote(int64_t id, int period_hours, std::optional<int64_t> version) {
    return to_json(quote(id, period_hours, version));
}

std::string Catalog::poster_svg(int64_t id) {
    auto row = store_.premiere(id);
    if (!row) throw not_found("Премьера не найдена");
    return premieres::poster_svg(id, row->card.title, row->theatre);
}

boost::json::object Catalog::search(const SearchRequest& r) {
    auto answer = search_.answer(r, version_.version());
    std::vector<Card> cards;
    cards.reserve(answer.found->cards.size());
    for (const auto& row : answer.found->cards) cards.push_back(card_of(*row, clock_.now()));
    return to_json(answer, cards);
}

boost::json::object Catalog::suggest(const std::string& prefix) { return to_json(*search_.suggest(prefix)); }

void Catalog::follow_version(const std::string& dsn, std::stop_token st) {
    version_.follow(
        dsn, st, [this] { search_.follow_index(version_.version()); }, [this] { refresh_version(); });
}

void Catalog::refresh_version() {
    if (search_.uses_index()) {
        try {
            search_.sync_index();  // reads the version together with the changes
            if (version_.following()) version_.note(search_.index().version());
            return;
        } catch (const std::exception& e) {
            log::warn("search index: following a change failed; searches use the statement until it catches up",
                      {{"error", e.what()}});
        }
    }
    if (!version_.following()) return;  // every request reads the version anyway
    try {
        version_.note(version_.read());
    } catch (const std::exception& e) {
        // The change is committed; its notification brings the version a moment later.
        log::warn("catalog version: reading it after a change failed", {{"error", e.what()}});
    }
}

}  // namespace chance::premieres
