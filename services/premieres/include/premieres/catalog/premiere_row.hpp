#pragma once
// A premiere as the catalog reads it: one struct for the fields of its card (search cards, the search index, the
// premiere page) and one for the rest of its page, the one SQL column list each comes from and the one reader of
// those columns; and a whole premiere as the admin edits it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"

namespace chance::premieres {

// The fields of a search card as the catalog reads them; the prices shown are computed from them at every
// answer (a discount ends at a moment).
struct CardRow {
    int64_t id = 0;
    std::string title;
    std::string description_short;
    int64_t price_theatre = 0;
    int64_t price_online = 0;
    int discount_percent = 0;
    std::optional<std::string> discount_until;  // RFC 3339
    int base_period_hours = 24;
    std::string reservable_from;   // RFC 3339
    std::string reservable_until;  // RFC 3339
    std::string actors;            // JSON array of names, in cast order
    std::string periods;           // JSON [{"hours": 24, "factor": "1.000"}, …]
};

// A premiere page: its card and the rest of the premiere.
struct PremiereRow {
    CardRow card;
    std::string description_full;
    std::string theatre;
    std::string director;
    std::string genre;
    std::string age_rating;
    int64_t duration_minutes = 0;
    std::optional<std::string> live_at;  // RFC 3339
    std::optional<int64_t> capacity;
    std::string cast;  // JSON [{"actor": "…", "role": "…"}, …], in cast order
};

struct PeriodRule {
    int hours = 0;
    int factor_milli = 0;  // price factor in thousandths (1.5 → 1500)
};

struct CastMember {
    std::string actor;
    std::string role;
};

// A whole premiere as the admin edits it. Times are RFC 3339 UTC strings (validated).
struct PremiereDraft {
    std::string slug, title, theatre, director, genre, age_rating, description_short, description_full;
    int duration_minutes = 0;
    int64_t price_theatre = 0, price_online = 0;  // kopecks
    int discount_percent = 0;
    std::optional<std::string> discount_until;
    int base_period_hours = 24;
    std::vector<PeriodRule> periods;
    std::string reservable_from, reservable_until;
    std::optional<std::string> live_at;
    std::optional<int64_t> capacity;
    bool featured = false, hidden = false;
    std::vector<CastMember> cast;
};

// The SQL of those columns, for premiere `p` (macros: the statements are compile-time constants).
// A premiere's periods and cast as JSON text, aggregated for one premiere.
#define PREMIERES_PERIODS_JSON                                                                         \
    "(SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text) " \
    " ORDER BY pp.hours), '[]') FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text"
#define PREMIERES_CAST_JSON                                                                                      \
    "(SELECT coalesce(json_agg(json_build_object('actor', c.actor, 'role', c.role) ORDER BY c.position), '[]') " \
    " FROM premiere_cast c WHERE c.premiere_id = p.id)::text"
// A card's own columns; `actors` and `periods` follow, aggregated per premiere (PREMIERES_CARD_COLUMNS) or per
// batch of premieres (the search index's loads).
#define PREMIERES_CARD_FIELDS                                                                                    \
    "p.id, p.title, p.description_short, p.price_theatre, p.price_online, p.discount_percent, "                  \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, " \
    "rfc3339(p.reservable_until) AS res_until, "
#define PREMIERES_CARD_COLUMNS                                                            \
    PREMIERES_CARD_FIELDS                                                                 \
    "(SELECT coalesce(json_agg(c.actor ORDER BY c.position), '[]') FROM premiere_cast c " \
    " WHERE c.premiere_id = p.id)::text AS actors, " PREMIERES_PERIODS_JSON " AS periods "
// A premiere page's columns: the card's and the rest.
#define PREMIERES_PAGE_COLUMNS                               \
    PREMIERES_CARD_COLUMNS                                   \
    ", p.description_full, p.theatre, p.director, p.genre, " \
    "p.age_rating, p.duration_minutes, rfc3339(p.live_at) AS live_at, p.capacity, " PREMIERES_CAST_JSON " AS cast "

// Where a card's columns are in a result (PREMIERES_CARD_COLUMNS, PREMIERES_PAGE_COLUMNS or the index's card
// statements), looked up once for all its rows.
class CardReader {
  public:
    explicit CardReader(const pg::Result& r);
    CardRow row(const pg::Result& r, int i) const;

  private:
    int id_, title_, description_short_, price_theatre_, price_online_, discount_percent_, discount_until_,
        base_period_hours_, res_from_, res_until_, actors_, periods_;
};

// Row `i` of a result with PREMIERES_PAGE_COLUMNS.
PremiereRow read_premiere_row(const pg::Result& r, int i);

// A bigint or real column's value, read without a copy; throws on anything else.
int64_t number_at(const pg::Result& r, int row, int col);
float score_at(const pg::Result& r, int row, int col);

}  // namespace chance::premieres
