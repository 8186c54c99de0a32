#pragma once
// The search's SQL (ADR 0002, 0010): a text's query, a page of it, the featured premieres (the page of no
// query), «did you mean» and suggestions.
#include <string_view>

#include "chance/pg/pg.hpp"

namespace chance::premieres::statements {

// A text's query as premieres_tsquery makes it (its words stemmed and quoted, the last a prefix): column `query`.
extern const pg::Query query_of;
// query_of's text of $1 (the row of `ord` 0, in `word`), and for each word of the text[] $2 (`ord` 1…): the `word`,
// how many lexemes the search configuration makes of it (`n`, 0 for a stop word) and the `lexeme` (of one).
extern const pg::Query learn_words;
// A page of a query ($1 as query_of gives it, $2 limit, $3 offset): card columns and `total`, best first.
extern const pg::Query search;
// A page of the premieres whose title has a text's words one after another ($1 the pattern anywhere, $2 at the
// start, $3 limit, $4 offset): card columns and `total`; for a text of stop words only, which has no query.
extern const pg::Query title_words;
// The page of no query ($1 limit, $2 offset): every visible premiere, featured first, card columns and `total`.
extern const pg::Query featured;
// The text ($1) with each word replaced by the nearest known one: `suggestion` and whether it `changed`.
extern const pg::Query did_you_mean;
// Up to 8 premieres (`id`, `title`) for what the customer is typing ($1).
extern const pg::Query suggest;

}  // namespace chance::premieres::statements

namespace chance::premieres {

// The SQL of a search page and of suggest, for bench/search, which runs the same statements straight through
// pgbench.
std::string_view search_statement();
std::string_view suggest_statement();

}  // namespace chance::premieres
