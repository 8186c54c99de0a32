#include "premieres/catalog/premiere_columns.hpp"

#include <charconv>
#include <stdexcept>

namespace chance::premieres {

int64_t number_at(const pg::Result& r, int row, int col) {
    auto v = r.value(row, col);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) throw std::runtime_error("not an integer: " + std::string(v));
    return n;
}

float score_at(const pg::Result& r, int row, int col) {
    // real's text is its shortest exact form (extra_float_digits 1): reading it gives back the same float.
    auto v = r.value(row, col);
    float f = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), f);
    if (ec != std::errc() || end != v.data() + v.size()) throw std::runtime_error("not a real: " + std::string(v));
    return f;
}

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

}  // namespace chance::premieres
