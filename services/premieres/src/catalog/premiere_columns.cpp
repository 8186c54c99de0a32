#include "premieres/catalog/premiere_columns.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <stdexcept>

#include "premieres/pricing.hpp"

namespace chance::premieres {

namespace {
// The column's text read whole as a T (std::from_chars), or an error naming what it is not.
template <typename T>
T parse_at(const pg::Result& r, int row, int col, const char* what) {
    auto v = r.value(row, col);
    T out{};
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || end != v.data() + v.size())
        throw std::runtime_error(std::string("not ") + what + ": " + std::string(v));
    return out;
}
}  // namespace

int64_t number_at(const pg::Result& r, int row, int col) { return parse_at<int64_t>(r, row, col, "an integer"); }

// real's text is its shortest exact form (extra_float_digits 1): reading it gives back the same float.
float score_at(const pg::Result& r, int row, int col) { return parse_at<float>(r, row, col, "a real"); }

CardReader::CardReader(const pg::Result& r)
    : id_(r.column("id")),
      title_(r.column("title")),
      description_short_(r.column("description_short")),
      price_theatre_(r.column("price_theatre")),
      price_online_(r.column("price_online")),
      discount_percent_(r.column("discount_percent")),
      discount_until_(r.column("discount_until")),
      base_period_hours_(r.column("base_period_hours")),
      res_from_(r.column("res_from")),
      res_until_(r.column("res_until")),
      actors_(r.column("actors")),
      periods_(r.column("periods")) {}

CardRow CardReader::row(const pg::Result& r, int i) const {
    CardRow c;
    c.id = number_at(r, i, id_);
    c.title = r.value(i, title_);
    c.description_short = r.value(i, description_short_);
    c.price_theatre = number_at(r, i, price_theatre_);
    c.price_online = number_at(r, i, price_online_);
    c.discount_percent = static_cast<int>(number_at(r, i, discount_percent_));
    if (!r.null_at(i, discount_until_)) c.discount_until = std::string(r.value(i, discount_until_));
    c.base_period_hours = static_cast<int>(number_at(r, i, base_period_hours_));
    c.reservable_from = r.value(i, res_from_);
    c.reservable_until = r.value(i, res_until_);
    c.actors = r.value(i, actors_);
    c.periods = r.value(i, periods_);
    return c;
}

PremiereRow read_premiere_row(const pg::Result& r, int i) {
    PremiereRow p;
    p.card = CardReader(r).row(r, i);
    p.hidden = r.boolean(i, "hidden");
    p.description_full = r.text(i, "description_full");
    p.theatre = r.text(i, "theatre");
    p.director = r.text(i, "director");
    p.genre = r.text(i, "genre");
    p.age_rating = r.text(i, "age_rating");
    p.duration_minutes = r.int64(i, "duration_minutes");
    p.live_at = r.opt_text(i, "live_at");
    p.capacity = r.opt_int64(i, "capacity");
    p.cast = r.text(i, "cast");
    return p;
}

AdminPremiere read_admin_premiere(const pg::Result& r, int i) {
    PremiereDraft d;
    d.slug = r.text(i, "slug");
    d.title = r.text(i, "title");
    d.theatre = r.text(i, "theatre");
    d.director = r.text(i, "director");
    d.genre = r.text(i, "genre");
    d.age_rating = r.text(i, "age_rating");
    d.duration_minutes = static_cast<int>(r.int64(i, "duration_minutes"));
    d.description_short = r.text(i, "description_short");
    d.description_full = r.text(i, "description_full");
    d.price_theatre = r.int64(i, "price_theatre");
    d.price_online = r.int64(i, "price_online");
    d.discount_percent = static_cast<int>(r.int64(i, "discount_percent"));
    d.discount_until = r.opt_text(i, "discount_until");
    d.base_period_hours = static_cast<int>(r.int64(i, "base_period_hours"));
    for (auto [hours, milli] : period_factors(r.text(i, "periods"))) d.periods.push_back({hours, milli});
    d.reservable_from = r.text(i, "res_from");
    d.reservable_until = r.text(i, "res_until");
    d.live_at = r.opt_text(i, "live_at");
    d.capacity = r.opt_int64(i, "capacity");
    d.featured = r.boolean(i, "featured");
    d.hidden = r.boolean(i, "hidden");
    auto cast = boost::json::parse(r.text(i, "cast"));
    for (auto& c : cast.as_array())
        d.cast.push_back({std::string(c.at("actor").as_string()), std::string(c.at("role").as_string())});
    return AdminPremiere{r.int64(i, "id"), r.int64(i, "version"), r.text(i, "updated_at"), std::move(d)};
}

AdminListItem read_admin_list_item(const pg::Result& r, int i) {
    return {r.int64(i, "id"),
            r.text(i, "slug"),
            r.text(i, "title"),
            r.text(i, "theatre"),
            r.int64(i, "price_theatre"),
            r.int64(i, "price_online"),
            r.int64(i, "discount_percent"),
            r.opt_text(i, "discount_until"),
            r.boolean(i, "featured"),
            r.boolean(i, "hidden"),
            r.int64(i, "version"),
            r.text(i, "updated_at")};
}

}  // namespace chance::premieres
