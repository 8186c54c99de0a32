#include "premieres/search/statements.hpp"

#include "premieres/catalog/premiere_columns.hpp"

namespace chance::premieres {

namespace statements {
// A text's query as premieres_tsquery makes it (its words stemmed and quoted, the last a prefix).
const pg::Query query_of{"search_query_of", "SELECT premieres_tsquery($1)::text AS query"};
// query_of's text of $1 (ord 0), and what the search configuration makes of each word of $2 (ord 1…): how many
// lexemes (0: a stop word) and the lexeme. to_tsvector, not to_tsquery, so that a stop word raises no notice;
// both read a word through the same parser and dictionaries.
const pg::Query learn_words{
    "search_learn_words",
    "SELECT 0::bigint AS ord, premieres_tsquery($1)::text AS word, 0::bigint AS n, '' AS lexeme "
    "UNION ALL "
    "SELECT t.ord, t.w, (SELECT count(*) FROM unnest(v.d)), coalesce((SELECT min(u.lexeme) FROM unnest(v.d) AS u), '') "
    "FROM unnest($2::text[]) WITH ORDINALITY AS t(w, ord), LATERAL (SELECT to_tsvector('russian', t.w) AS d) AS v "
    "ORDER BY 1"};
// The terms of a query (query_of's text: quoted lexemes joined by &, the last a prefix when it ends in :*), one
// row each in order, with the range of lexemes it covers: [lo, hi).
#define CHANCE_TERMS(query)                                                                         \
    "SELECT t.ord, l.lo, l.lo || CASE WHEN t.m[2] IS NULL THEN chr(1) ELSE chr(1114111) END AS hi " \
    "FROM regexp_matches(" query                                                                    \
    ", '''((?:[^'']|'''')*)''(:\\*)?', 'g') WITH ORDINALITY AS t(m, ord), "                         \
    "LATERAL (SELECT replace(t.m[1], '''''', '''') COLLATE \"C\") AS l(lo)"
// A posting's score for a term whose typed text (the lower end of its range) is `lo`: halved for an expansion.
#define CHANCE_TERM_SCORE(posting, lo) \
    "CASE WHEN " posting ".lexeme = " lo " THEN " posting ".score ELSE " posting ".score * real '0.5' END"
// A page of a query (query_of's text: terms joined by &, each a lexeme or, ending in :*, a prefix) and its total,
// from search_postings (ADR 0010). A premiere matches when it has every term; its rank is the sum over the terms
// of the term's score there: the best posting score of the lexemes it covers in the premiere, a lexeme longer
// than the typed prefix (an expansion) counting half (ADR 0016: the word itself before words that merely start
// with it). By the query's shape:
// - one term covering one lexeme: the page straight from the rank index (halving all of it would change no
//   order), the total an index-only count;
// - two terms: a merge join of their postings, both read in premiere order, when each covers one lexeme; else a
//   hash join of the first (a whole word: one lexeme) with every lexeme the second covers, the best per premiere;
// - anything else (one prefix covering several lexemes, three terms or more): every posting of every term, the
//   best per term and premiere, summed per premiere.
// Each term's range is probed for its first two lexemes; the branches that do not apply stop at a one-time
// filter. The cards are built for the page only.
const pg::Query search{
    "search_premieres",
    "WITH terms AS MATERIALIZED (" CHANCE_TERMS("$1") "), "
    "covered AS MATERIALIZED ("
    "  SELECT t.ord, t.lo, t.hi, f.first, (SELECT s.lexeme FROM search_postings s"
    "    WHERE s.lexeme > f.first AND s.lexeme < t.hi ORDER BY s.lexeme LIMIT 1) IS NOT NULL AS several"
    "  FROM terms t LEFT JOIN LATERAL (SELECT s.lexeme AS first FROM search_postings s"
    "    WHERE s.lexeme >= t.lo AND s.lexeme < t.hi ORDER BY s.lexeme LIMIT 1) AS f ON true), "
    "shape AS MATERIALIZED ("
    "  SELECT count(*) AS n, count(*) > 0 AND bool_and(first IS NOT NULL) AS matches,"
    "         coalesce(bool_or(several), false) AS several,"
    "         min(first) FILTER (WHERE ord = 1) AS l1, min(first) FILTER (WHERE ord = 2) AS l2 FROM covered), "
    "pairs AS MATERIALIZED ("
    "  SELECT a.premiere_id AS id, (" CHANCE_TERM_SCORE("a", "(SELECT lo FROM covered WHERE ord = 1)") ")"
    "    + (" CHANCE_TERM_SCORE("b", "(SELECT lo FROM covered WHERE ord = 2)") ") AS rank"
    "  FROM search_postings a JOIN search_postings b"
    "    ON b.lexeme = (SELECT l2 FROM shape) AND b.premiere_id = a.premiere_id"
    "  WHERE (SELECT matches AND n = 2 AND NOT several FROM shape) AND a.lexeme = (SELECT l1 FROM shape)"
    "  UNION ALL"
    "  SELECT a.premiere_id, (" CHANCE_TERM_SCORE("a", "(SELECT lo FROM covered WHERE ord = 1)") ")"
    "    + max(" CHANCE_TERM_SCORE("b", "(SELECT lo FROM covered WHERE ord = 2)") ")"
    "  FROM search_postings a JOIN search_postings b ON b.premiere_id = a.premiere_id"
    "  WHERE (SELECT matches AND n = 2 AND several FROM shape) AND a.lexeme = (SELECT l1 FROM shape)"
    "    AND b.lexeme >= (SELECT lo FROM covered WHERE ord = 2) AND b.lexeme < (SELECT hi FROM covered WHERE ord = 2)"
    "  GROUP BY a.premiere_id, a.lexeme, a.score), "
    "per_term AS ("
    "  SELECT c.ord, h.premiere_id, max(" CHANCE_TERM_SCORE("h", "c.lo") ") AS score"
    "  FROM covered c CROSS JOIN LATERAL (SELECT s.premiere_id, s.lexeme, s.score FROM search_postings s"
    "    WHERE s.lexeme >= c.lo AND s.lexeme < c.hi) AS h"
    "  WHERE (SELECT matches AND (n > 2 OR n = 1 AND several) FROM shape) GROUP BY c.ord, h.premiere_id), "
    "summed AS MATERIALIZED ("
    "  SELECT premiere_id AS id, sum(score) AS rank FROM per_term GROUP BY premiere_id"
    "  HAVING count(*) = (SELECT n FROM shape)), "
    "page AS ("
    "  SELECT t.id, t.rank FROM shape CROSS JOIN LATERAL ("
    "    SELECT s.premiere_id AS id, s.score AS rank FROM search_postings s WHERE s.lexeme = shape.l1"
    "    ORDER BY s.score DESC, s.premiere_id LIMIT $2 OFFSET $3) AS t"
    "  WHERE shape.matches AND shape.n = 1 AND NOT shape.several"
    "  UNION ALL (SELECT id, rank FROM pairs ORDER BY rank DESC, id LIMIT $2 OFFSET $3)"
    "  UNION ALL (SELECT id, rank FROM summed ORDER BY rank DESC, id LIMIT $2 OFFSET $3)) "
    "SELECT " PREMIERES_CARD_COLUMNS ", "
    "(SELECT count(*) FROM shape, search_postings s"
    "  WHERE shape.matches AND shape.n = 1 AND NOT shape.several AND s.lexeme = shape.l1)"
    " + (SELECT count(*) FROM pairs) + (SELECT count(*) FROM summed) AS total "
    "FROM page JOIN premieres p ON p.id = page.id ORDER BY page.rank DESC, p.id"};
// A page of the premieres whose lowercase title matches $1 (a text's words one after another, as a regular
// expression), those matching $2 (the same at the title's start) first, then featured, then by title in
// code-point order; the total of them.
const pg::Query title_words{"search_title_words",
                            "SELECT " PREMIERES_CARD_COLUMNS
                            ", count(*) OVER () AS total FROM premieres p WHERE NOT p.hidden AND lower(p.title) ~ $1 "
                            "ORDER BY lower(p.title) ~ $2 DESC, p.featured DESC, lower(p.title) COLLATE \"C\", p.id "
                            "LIMIT $3 OFFSET $4"};
const pg::Query featured{"search_featured", "SELECT " PREMIERES_CARD_COLUMNS
                                            ", count(*) OVER () AS total FROM premieres p "
                                            "WHERE NOT p.hidden ORDER BY p.featured DESC, p.id LIMIT $1 OFFSET $2"};
const pg::Query did_you_mean{
    "search_did_you_mean",
    "SELECT string_agg(coalesce(best, w), ' ' ORDER BY ord) AS suggestion, "
    "coalesce(bool_or(best IS NOT NULL AND best <> w), false) AS changed "
    "FROM (SELECT w, ord, (SELECT word FROM search_words WHERE word % w ORDER BY word <-> w LIMIT 1) AS best "
    "      FROM unnest(regexp_split_to_array(lower(left($1, 200)), '[^[:alnum:]]+')) WITH ORDINALITY AS t(w, ord) "
    "      WHERE w <> '') s"};
// Titles that start with the prefix first (featured first, then in code-point order of lower(title), so each
// half reads its 8 straight from a title-prefix index), then premieres that have a word starting with it —
// only when titles fill fewer than 8 places. For a one-word prefix those come from search_postings: the first
// 100 lexemes it covers, the 15 best postings of each (at most 7 titles are left out, so 15 keep every
// premiere of the best 8), best score first (a word in the title before one in the cast…). Several words
// rank every match (featured first, then by title). The title condition is a range, not LIKE, so that a
// generic plan of the prepared statement uses the index too.
#define CHANCE_TITLE_PREFIX "lower(title) ~>=~ lower($1) AND lower(title) ~<~ (lower($1) || chr(1114111))"
const pg::Query suggest{
    "search_suggest",
    "WITH RECURSIVE titles AS MATERIALIZED ("
    "  SELECT id, title, featured FROM ("
    "    (SELECT id, title, featured FROM premieres WHERE featured AND NOT hidden AND " CHANCE_TITLE_PREFIX
    "     ORDER BY lower(title) USING ~<~ LIMIT 8)"
    "    UNION ALL"
    "    (SELECT id, title, featured FROM premieres WHERE NOT featured AND NOT hidden AND " CHANCE_TITLE_PREFIX
    "     ORDER BY lower(title) USING ~<~ LIMIT 8)) AS t"
    "  ORDER BY featured DESC, lower(title) USING ~<~ LIMIT 8), "
    "more AS MATERIALIZED (SELECT (SELECT count(*) FROM titles) < 8 AS more), "
    "terms AS MATERIALIZED ("
    "  SELECT terms.* FROM more, LATERAL (" CHANCE_TERMS("premieres_tsquery($1)::text") ") AS terms"
    "  WHERE more.more), "
    "term AS MATERIALIZED (SELECT lo, hi FROM terms WHERE (SELECT count(*) FROM terms) = 1), "
    "lexemes (lexeme) AS ("
    "  SELECT f.lexeme FROM term CROSS JOIN LATERAL (SELECT s.lexeme FROM search_postings s"
    "    WHERE s.lexeme >= term.lo AND s.lexeme < term.hi ORDER BY s.lexeme LIMIT 1) AS f"
    "  UNION ALL"
    "  SELECT (SELECT s.lexeme FROM search_postings s WHERE s.lexeme > lexemes.lexeme"
    "          AND s.lexeme < (SELECT hi FROM term) ORDER BY s.lexeme LIMIT 1)"
    "  FROM lexemes WHERE lexemes.lexeme IS NOT NULL), "
    "words AS ("
    "  SELECT w.premiere_id AS id, max(w.score) AS score"
    "  FROM (SELECT lexeme FROM lexemes WHERE lexeme IS NOT NULL LIMIT 100) AS l"
    "  CROSS JOIN LATERAL (SELECT s.premiere_id, s.score FROM search_postings s WHERE s.lexeme = l.lexeme"
    "                      ORDER BY s.score DESC, s.premiere_id LIMIT 15) AS w"
    "  GROUP BY w.premiere_id) "
    "SELECT id, title FROM ("
    "  SELECT id, title, 1 AS part, row_number() OVER (ORDER BY featured DESC, lower(title) USING ~<~) AS n FROM titles"
    "  UNION ALL"
    "  SELECT id, title, 2, row_number() OVER (ORDER BY score DESC, id) FROM ("
    "    SELECT w.id, p.title, w.score FROM words w JOIN premieres p ON p.id = w.id"
    "    WHERE NOT starts_with(lower(p.title), lower($1)) ORDER BY w.score DESC, w.id LIMIT 8) AS by_postings"
    "  UNION ALL"
    "  SELECT id, title, 3, row_number() OVER (ORDER BY featured DESC, title) FROM ("
    "    SELECT p.id, p.title, p.featured FROM premieres p"
    "    WHERE (SELECT more FROM more) AND NOT EXISTS (SELECT 1 FROM term) AND NOT p.hidden"
    "      AND p.search_document @@ premieres_tsquery($1) AND NOT starts_with(lower(p.title), lower($1))"
    "    ORDER BY p.featured DESC, p.title LIMIT 8) AS by_document) AS s "
    "ORDER BY part, n LIMIT 8"};
#undef CHANCE_TITLE_PREFIX
#undef CHANCE_TERM_SCORE
#undef CHANCE_TERMS
}  // namespace statements

std::string_view search_statement() { return statements::search.sql; }
std::string_view suggest_statement() { return statements::suggest.sql; }

}  // namespace chance::premieres
