#pragma once
// The one place that lists a premiere's columns (premiere_row.hpp's types) and reads a result row into them, for
// the stores that select premieres: the catalog's (the premiere page, ordering's terms of a line) and the admin's
// (its drafts and its list), and search's statements and index loads. Not included by premiere_row.hpp: modules that
// only use the row types get neither these macros nor libpq's result.
#include <cstdint>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/premiere_row.hpp"

// The SQL of those columns, for premiere `p` (macros: the statements are compile-time constants).
// A premiere's periods and cast as JSON text, aggregated for one premiere.
#define PREMIERES_PERIODS_JSON                                                                         \
    "(SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text) " \
    " ORDER BY pp.hours), '[]') FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text"
#define PREMIERES_CAST_JSON                                                                                      \
    "(SELECT coalesce(json_agg(json_build_object('actor', c.actor, 'role', c.role) ORDER BY c.position), '[]') " \
    " FROM premiere_cast c WHERE c.premiere_id = p.id)::text"
// A card's own columns; `actors` and `periods` follow, aggregated per premiere (PREMIERES_CARD_COLUMNS) or per
// batch of premieres (PREMIERES_CARDS_BATCH).
#define PREMIERES_CARD_FIELDS                                                                                    \
    "p.id, p.title, p.description_short, p.price_theatre, p.price_online, p.discount_percent, "                  \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, " \
    "rfc3339(p.reservable_until) AS res_until, "
// A card (CardRow): the search statements.
#define PREMIERES_CARD_COLUMNS                                                            \
    PREMIERES_CARD_FIELDS                                                                 \
    "(SELECT coalesce(json_agg(c.actor ORDER BY c.position), '[]') FROM premiere_cast c " \
    " WHERE c.premiere_id = p.id)::text AS actors, " PREMIERES_PERIODS_JSON " AS periods "
// A whole premiere (PremiereRow): the card's columns and the rest.
#define PREMIERES_ROW_COLUMNS                                          \
    PREMIERES_CARD_COLUMNS                                             \
    ", p.hidden, p.description_full, p.theatre, p.director, p.genre, " \
    "p.age_rating, p.duration_minutes, rfc3339(p.live_at) AS live_at, p.capacity, " PREMIERES_CAST_JSON " AS cast "
// Cards of a batch of premieres (the search index's loads), from `premieres p`: the cast and the periods of the
// premieres `aggregated` selects (a condition on premiere_id) are aggregated once for the batch rather than per
// premiere. The same columns as PREMIERES_CARD_COLUMNS; a WHERE clause may follow.
#define PREMIERES_CARDS_BATCH(aggregated)                                                                      \
    PREMIERES_CARD_FIELDS                                                                                      \
    "coalesce(c.actors, '[]') AS actors, "                                                                     \
    "coalesce(pp.periods, '[]') AS periods FROM premieres p "                                                  \
    "LEFT JOIN (SELECT premiere_id, json_agg(actor ORDER BY position)::text AS actors FROM premiere_cast "     \
    "           WHERE " aggregated                                                                             \
    " GROUP BY premiere_id) AS c ON c.premiere_id = p.id "                                                     \
    "LEFT JOIN (SELECT premiere_id, json_agg(json_build_object('hours', hours, 'factor', price_factor::text) " \
    "                  ORDER BY hours)::text AS periods FROM premiere_periods "                                \
    "           WHERE " aggregated " GROUP BY premiere_id) AS pp ON pp.premiere_id = p.id "
// A premiere as the admin edits it (AdminPremiere: the draft, its id, version and last change), hidden or not.
#define PREMIERES_DRAFT_COLUMNS                                                                                   \
    "p.id, p.slug, p.title, p.theatre, p.director, p.genre, p.age_rating, p.duration_minutes, "                   \
    "p.description_short, p.description_full, p.price_theatre, p.price_online, p.discount_percent, "              \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, "  \
    "rfc3339(p.reservable_until) AS res_until, rfc3339(p.live_at) AS live_at, p.capacity, p.featured, p.hidden, " \
    "p.version, rfc3339(p.updated_at) AS updated_at, " PREMIERES_PERIODS_JSON " AS periods, " PREMIERES_CAST_JSON \
    " AS cast "
// A line of the admin's list (AdminListItem).
#define PREMIERES_LIST_COLUMNS                                                                                \
    "p.id, p.slug, p.title, p.theatre, p.price_theatre, p.price_online, p.discount_percent, "                 \
    "rfc3339(p.discount_until) AS discount_until, p.featured, p.hidden, p.version, rfc3339(p.updated_at) AS " \
    "updated_at"

namespace chance::premieres {

// Where a card's columns are in a result (PREMIERES_CARD_COLUMNS, PREMIERES_ROW_COLUMNS or
// PREMIERES_CARDS_BATCH), looked up once for all its rows.
class CardReader {
  public:
    explicit CardReader(const pg::Result& r);
    CardRow row(const pg::Result& r, int i) const;

  private:
    int id_, title_, description_short_, price_theatre_, price_online_, discount_percent_, discount_until_,
        base_period_hours_, res_from_, res_until_, actors_, periods_;
};

// Row `i` of a result with PREMIERES_ROW_COLUMNS.
PremiereRow read_premiere_row(const pg::Result& r, int i);
// Row `i` of a result with PREMIERES_DRAFT_COLUMNS.
AdminPremiere read_admin_premiere(const pg::Result& r, int i);
// Row `i` of a result with PREMIERES_LIST_COLUMNS.
AdminListItem read_admin_list_item(const pg::Result& r, int i);

// A bigint or real column's value, read without a copy; throws on anything else.
int64_t number_at(const pg::Result& r, int row, int col);
float score_at(const pg::Result& r, int row, int col);

}  // namespace chance::premieres
