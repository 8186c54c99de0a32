#pragma once
// A premiere's card as search results and the premiere page show it: its row and its prices now.
#include <boost/json/object.hpp>
#include <map>

#include "chance/core/time.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

struct Card {
    const CardRow* row = nullptr;  // borrowed: lives as long as the row it was made of
    Quote price;                   // the base period's price at the moment the card was made
    std::map<int, int> factors;    // the periods offered: hours → price factor in thousandths
};

// The card of `row` at `now`: the base period's price (its factor, 1.000 when the base period is not among the
// periods), the discount while it lasts.
Card card_of(const CardRow& row, time::TimePoint now);

// The spec's card: {id, title, actors, description, price_theatre, price_online, discount, price_online_final,
// reservation, poster_url}.
boost::json::object to_json(const Card& card);

}  // namespace chance::premieres
