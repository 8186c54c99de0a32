#include "premieres/catalog/catalog.hpp"

#include <boost/json.hpp>
#include <chrono>

#include "chance/core/error.hpp"
#include "chance/core/json.hpp"
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
    out["live_at"] = json::or_null(p.live_at);
    out["cast"] = boost::json::parse(p.cast);
    out["capacity"] = json::or_null(p.capacity);
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

std::shared_ptr<const PremiereRow> Premieres::premiere(int64_t id, std::optional<int64_t> version) {
    // The row is kept, not the answer: the final price depends on the discount's end, i.e. on the time.
    auto held = cache_.premiere(id, version ? *version : version_.version(), [&] { return store_.premiere(id); });
    if (!held) throw not_found("Премьера не найдена");
    return held;
}

PremierePage Premieres::page(int64_t id, std::optional<int64_t> version) {
    return premiere_page(premiere(id, version), clock_.now());
}

RentQuote Premieres::quote(int64_t id, int period_hours, std::optional<int64_t> version) {
    auto row = premiere(id, version);
    return rent_quote_of(row->card, period_hours, clock_.now());
}

std::string Premieres::poster_svg(int64_t id) {
    auto row = store_.premiere(id);
    if (!row) throw not_found("Премьера не найдена");
    return premieres::poster_svg(id, row->card.title, row->theatre);
}

}  // namespace chance::premieres
