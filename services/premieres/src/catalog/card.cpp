#include "premieres/catalog/card.hpp"

#include "chance/core/json.hpp"

#include <boost/json.hpp>

namespace chance::premieres {

Card card_of(const CardRow& c, time::TimePoint now) {
    Card card;
    card.row = &c;
    card.factors = period_factors(c.periods);
    auto base = card.factors.find(c.base_period_hours);
    int base_factor = base != card.factors.end() ? base->second : 1000;
    auto until = c.discount_until ? time::parse_rfc3339(*c.discount_until) : std::nullopt;
    card.price = quote(Money::kopecks(c.price_online), base_factor, c.discount_percent, until, now);
    return card;
}

boost::json::object to_json(const Card& card) {
    const auto& c = *card.row;
    const auto& q = card.price;
    boost::json::value discount = nullptr;
    if (q.discount_percent > 0)
        discount = boost::json::object{{"percent", q.discount_percent}, {"until", json::or_null(c.discount_until)}};
    boost::json::array hours;
    for (auto [h, _] : card.factors) hours.push_back(h);
    return boost::json::object{
        {"id", c.id},
        {"title", c.title},
        {"actors", boost::json::parse(c.actors)},
        {"description", c.description_short},
        {"price_theatre", c.price_theatre},
        {"price_online", q.base.as_kopecks()},
        {"discount", discount},
        {"price_online_final", q.total.as_kopecks()},
        {"reservation", boost::json::object{{"default_period", c.base_period_hours},
                                            {"periods", hours},
                                            {"from", c.reservable_from},
                                            {"until", c.reservable_until}}},
        {"poster_url", "/api/v1/premiere/" + std::to_string(c.id) + "/poster.svg"},
    };
}

}  // namespace chance::premieres
