#include "premieres/catalog.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/core/json.hpp"
#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/text.hpp"
#include "premieres/pricing.hpp"

namespace chance::premieres {

namespace {
#define CARD_COLUMNS                                                                                             \
    "p.id, p.title, p.description_short, p.price_theatre, p.price_online, p.discount_percent, "                  \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, " \
    "rfc3339(p.reservable_until) AS res_until, "                                                                 \
    "(SELECT coalesce(json_agg(c.actor ORDER BY c.position), '[]') FROM premiere_cast c "                        \
    " WHERE c.premiere_id = p.id)::text AS actors, "                                                             \
    "(SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text) "           \
    " ORDER BY pp.hours), '[]') FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text AS periods "

// A text's query as premieres_tsquery makes it (its words stemmed and quoted, the last a prefix).
constexpr pg::Query kQueryOf{"search_query_of", "SELECT premieres_tsquery($1)::text AS query"};
// The terms of a query (kQueryOf's text: quoted lexemes joined by &, the last a prefix when it ends in :*), one
// row each in order, with the range of lexemes it covers: [lo, hi).
#define CHANCE_TERMS(query)                                                                         \
    "SELECT t.ord, l.lo, l.lo || CASE WHEN t.m[2] IS NULL THEN chr(1) ELSE chr(1114111) END AS hi " \
    "FROM regexp_matches(" query                                                                    \
    ", '''((?:[^'']|'''')*)''(:\\*)?', 'g') WITH ORDINALITY AS t(m, ord), "                         \
    "LATERAL (SELECT replace(t.m[1], '''''', '''') COLLATE \"C\") AS l(lo)"
// A page of a query (kQueryOf's text: terms joined by &, each a lexeme or, ending in :*, a prefix) and its total,
// from search_postings (ADR 0010). A premiere matches when it has every term; its rank is the sum, over the
// terms, of the weights of their positions in it, which for one term is exactly ts_rank_cd. By the query's
// shape:
// - one term covering one lexeme: the page straight from the rank index, the total an index-only count;
// - two terms: a merge join of their postings, both read in premiere order, when each covers one lexeme; else a
//   hash join of the first (a whole word: one lexeme) with every lexeme the second covers, summed per premiere;
// - anything else (one prefix covering several lexemes, three terms or more): every posting of every term,
//   summed per premiere.
// Each term's range is probed for its first two lexemes; the branches that do not apply stop at a one-time
// filter. The cards are built for the page only.
constexpr pg::Query kSearch{
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
    "  SELECT a.premiere_id AS id, a.score + b.score AS rank FROM search_postings a JOIN search_postings b"
    "    ON b.lexeme = (SELECT l2 FROM shape) AND b.premiere_id = a.premiere_id"
    "  WHERE (SELECT matches AND n = 2 AND NOT several FROM shape) AND a.lexeme = (SELECT l1 FROM shape)"
    "  UNION ALL"
    "  SELECT a.premiere_id, a.score + sum(b.score) FROM search_postings a JOIN search_postings b"
    "    ON b.premiere_id = a.premiere_id"
    "  WHERE (SELECT matches AND n = 2 AND several FROM shape) AND a.lexeme = (SELECT l1 FROM shape)"
    "    AND b.lexeme >= (SELECT lo FROM covered WHERE ord = 2) AND b.lexeme < (SELECT hi FROM covered WHERE ord = 2)"
    "  GROUP BY a.premiere_id, a.score), "
    "per_term AS ("
    "  SELECT c.ord, h.premiere_id, sum(h.score) AS score FROM covered c CROSS JOIN LATERAL ("
    "    SELECT s.premiere_id, s.score FROM search_postings s WHERE s.lexeme >= c.lo AND s.lexeme < c.hi) AS h"
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
    "SELECT " CARD_COLUMNS ", "
    "(SELECT count(*) FROM shape, search_postings s"
    "  WHERE shape.matches AND shape.n = 1 AND NOT shape.several AND s.lexeme = shape.l1)"
    " + (SELECT count(*) FROM pairs) + (SELECT count(*) FROM summed) AS total "
    "FROM page JOIN premieres p ON p.id = page.id ORDER BY page.rank DESC, p.id"};
constexpr pg::Query kFeatured{"search_featured",
                              "SELECT " CARD_COLUMNS
                              ", count(*) OVER () AS total FROM premieres p "
                              "WHERE NOT p.hidden ORDER BY p.featured DESC, p.id LIMIT $1 OFFSET $2"};
constexpr pg::Query kDidYouMean{
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
constexpr pg::Query kSuggest{
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
#undef CHANCE_TERMS
constexpr pg::Query kPremiere{
    "premiere_by_id", "SELECT " CARD_COLUMNS
                      ", p.description_full, p.theatre, p.director, p.genre, "
                      "p.age_rating, p.duration_minutes, rfc3339(p.live_at) AS live_at, p.capacity, "
                      "(SELECT coalesce(json_agg(json_build_object('actor', c.actor, 'role', c.role) "
                      " ORDER BY c.position), '[]') FROM premiere_cast c WHERE c.premiere_id = p.id)::text AS cast "
                      "FROM premieres p WHERE p.id = $1 AND NOT p.hidden"};
#undef CARD_COLUMNS
constexpr pg::Query kCatalogVersion{"catalog_version", "SELECT version FROM catalog_version"};
constexpr size_t kCacheEntries = 5000;  // ~10 KB of rows each: at most ~50 MB

// The search index's reads (ADR 0011), each load or sync in one REPEATABLE READ snapshot. Cards carry the same
// fields as CARD_COLUMNS; the cast and the periods of a batch are aggregated once rather than per premiere.
constexpr pg::Query kIndexVersion{"search_index_version", "SELECT version, changes_since FROM catalog_version"};
constexpr pg::Query kIndexChanges{"search_index_changes",
                                  "SELECT DISTINCT premiere_id FROM catalog_changes WHERE version > $1 LIMIT $2"};
constexpr pg::Query kIndexMaxId{"search_index_max_id", "SELECT coalesce(max(id), 0) AS max_id FROM premieres"};
#define CHANCE_INDEX_CARDS(premiere, aggregated)                                                                 \
    "SELECT p.id, p.title, p.description_short, p.price_theatre, p.price_online, p.discount_percent, "           \
    "rfc3339(p.discount_until) AS discount_until, p.base_period_hours, rfc3339(p.reservable_from) AS res_from, " \
    "rfc3339(p.reservable_until) AS res_until, coalesce(c.actors, '[]') AS actors, "                             \
    "coalesce(pp.periods, '[]') AS periods FROM premieres p "                                                    \
    "LEFT JOIN (SELECT premiere_id, json_agg(actor ORDER BY position)::text AS actors FROM premiere_cast "       \
    "           WHERE " aggregated                                                                               \
    " GROUP BY premiere_id) AS c ON c.premiere_id = p.id "                                                       \
    "LEFT JOIN (SELECT premiere_id, json_agg(json_build_object('hours', hours, 'factor', price_factor::text) "   \
    "                  ORDER BY hours)::text AS periods FROM premiere_periods "                                  \
    "           WHERE " aggregated                                                                               \
    " GROUP BY premiere_id) AS pp ON pp.premiere_id = p.id "                                                     \
    "WHERE NOT p.hidden AND " premiere " ORDER BY p.id"
constexpr pg::Query kIndexCardsIn{
    "search_index_cards_in", CHANCE_INDEX_CARDS("p.id > $1 AND p.id <= $2", "premiere_id > $1 AND premiere_id <= $2")};
constexpr pg::Query kIndexCardsOf{"search_index_cards_of",
                                  CHANCE_INDEX_CARDS("p.id = ANY ($1::bigint[])", "premiere_id = ANY ($1::bigint[])")};
#undef CHANCE_INDEX_CARDS
// Every posting in (lexeme, premiere) order, a batch after the last one read.
constexpr pg::Query kIndexPostingsAfter{"search_index_postings_after",
                                        "SELECT lexeme, premiere_id, score FROM search_postings WHERE (lexeme, "
                                        "premiere_id) > ($1 COLLATE \"C\", $2::bigint) "
                                        "ORDER BY lexeme, premiere_id LIMIT $3"};
// The postings of some premieres, made as the postings trigger makes them (search_postings has no index by
// premiere).
constexpr pg::Query kIndexPostingsOf{
    "search_index_postings_of",
    "SELECT s.lexeme, p.id AS premiere_id, s.score FROM premieres p, search_postings_of(p.search_document) AS s "
    "WHERE p.id = ANY ($1::bigint[]) AND NOT p.hidden"};
constexpr int64_t kIndexCardBatch = 20000;  // premiere ids per card batch
constexpr int64_t kIndexPostingBatch = 200000;
constexpr int64_t kIndexMaxChanged = 2000;  // more changed premieres than this: load everything again

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

// Where a card's fields are in a result (CARD_COLUMNS or the index's card statements), looked up once.
struct CardColumns {
    int id, title, description_short, price_theatre, price_online, discount_percent, discount_until, base_period_hours,
        res_from, res_until, actors, periods;
    explicit CardColumns(const pg::Result& r)
        : id(r.column("id")),
          title(r.column("title")),
          description_short(r.column("description_short")),
          price_theatre(r.column("price_theatre")),
          price_online(r.column("price_online")),
          discount_percent(r.column("discount_percent")),
          discount_until(r.column("discount_until")),
          base_period_hours(r.column("base_period_hours")),
          res_from(r.column("res_from")),
          res_until(r.column("res_until")),
          actors(r.column("actors")),
          periods(r.column("periods")) {}
    CardRow row(const pg::Result& r, int i) const {
        CardRow c;
        c.id = number_at(r, i, id);
        c.title = r.value(i, title);
        c.description_short = r.value(i, description_short);
        c.price_theatre = number_at(r, i, price_theatre);
        c.price_online = number_at(r, i, price_online);
        c.discount_percent = static_cast<int>(number_at(r, i, discount_percent));
        if (!r.null_at(i, discount_until)) c.discount_until = std::string(r.value(i, discount_until));
        c.base_period_hours = static_cast<int>(number_at(r, i, base_period_hours));
        c.reservable_from = r.value(i, res_from);
        c.reservable_until = r.value(i, res_until);
        c.actors = r.value(i, actors);
        c.periods = r.value(i, periods);
        return c;
    }
};

std::optional<time::TimePoint> opt_time(const pg::Result& r, int row, const char* col) {
    auto s = r.opt_text(row, col);
    if (!s) return std::nullopt;
    return time::parse_rfc3339(*s);
}

boost::json::value opt_json(const std::optional<std::string>& s) {
    if (!s) return nullptr;
    return boost::json::value(*s);
}

int int_param(const http::Request& req, const char* key, int def, int min, int max) {
    auto v = req.query_param(key);
    if (!v || v->empty()) return def;
    if (v->size() > 9)
        throw bad_request("Параметр " + std::string(key) + " вне допустимого диапазона",
                          {{key, "Допустимо от " + std::to_string(min) + " до " + std::to_string(max)}});
    int n = 0;
    for (char c : *v) {
        if (c < '0' || c > '9')
            throw bad_request("Параметр " + std::string(key) + " должен быть целым числом",
                              {{key, "Ожидается целое число"}});
        n = n * 10 + (c - '0');
    }
    if (n < min || n > max)
        throw bad_request("Параметр " + std::string(key) + " вне допустимого диапазона",
                          {{key, "Допустимо от " + std::to_string(min) + " до " + std::to_string(max)}});
    return n;
}

// Holds one of the catalog's search computation slots for its lifetime.
class SearchSlot {
  public:
    explicit SearchSlot(std::counting_semaphore<256>& slots) : slots_(slots) { slots_.acquire(); }
    ~SearchSlot() { slots_.release(); }
    SearchSlot(const SearchSlot&) = delete;
    SearchSlot& operator=(const SearchSlot&) = delete;

  private:
    std::counting_semaphore<256>& slots_;
};

// A JSON body with its ETag. Revalidate every time: a catalog change must be visible at once, yet unchanged
// answers cost a 304.
http::Response etag_response(const http::Request& req, std::string body, const std::string& etag) {
    http::Response res;
    res.headers.set("Content-Type", "application/json; charset=utf-8");
    res.headers.set("ETag", etag);
    res.headers.set("Cache-Control", "no-cache");
    if (req.headers.get("If-None-Match").value_or("") == etag)
        res.status = 304;
    else
        res.body = std::move(body);
    return res;
}

std::string etag_of(const std::string& body) { return "\"" + std::to_string(std::hash<std::string>{}(body)) + "\""; }

http::Response cached_json(const http::Request& req, const boost::json::value& body) {
    auto text = boost::json::serialize(body);
    auto etag = etag_of(text);
    return etag_response(req, std::move(text), etag);
}

// The cache's and the search index's metrics, looked up in the registry (under its lock) once, not on every
// answer.
struct CatalogMetrics {
    metrics::Counter& hits;
    metrics::Counter& misses;
    metrics::Counter& joined;
    metrics::Gauge& index_version;
    metrics::Gauge& index_premieres;
    metrics::Gauge& index_postings;
    metrics::Gauge& index_dead;
    metrics::Gauge& index_load_seconds;
    metrics::Counter& index_loads;
    metrics::Counter& index_syncs;
    metrics::Counter& from_index;
    metrics::Counter& from_sql;
};

const CatalogMetrics& catalog_metrics() {
    auto& reg = metrics::Registry::global();
    static const CatalogMetrics m{
        reg.counter("search_cache_hits_total",
                    "Catalog answers (search, suggest, premiere pages) served from the cache"),
        reg.counter("search_cache_misses_total", "Catalog answers (search, suggest, premiere pages) computed"),
        reg.counter("search_cache_joined_total", "Catalog answers that waited for the same computation in flight"),
        reg.gauge("search_index_version", "Catalog version the in-memory search index holds (0: not loaded)"),
        reg.gauge("search_index_premieres", "Visible premieres in the search index"),
        reg.gauge("search_index_postings", "Live postings in the search index"),
        reg.gauge("search_index_dead_postings", "Postings of replaced or hidden premieres, until the next full load"),
        reg.gauge("search_index_load_seconds", "Duration of the search index's last full load"),
        reg.counter("search_index_loads_total", "Full loads of the search index"),
        reg.counter("search_index_syncs_total", "Changes applied to the search index"),
        reg.counter("search_pages_from_index_total", "Search pages computed by the in-memory search index"),
        reg.counter("search_pages_from_sql_total", "Search pages computed by the search statement")};
    return m;
}

void publish_index_stats(const SearchIndex& index) {
    const auto& m = catalog_metrics();
    auto st = index.stats();
    m.index_version.set(static_cast<double>(index.version()));
    m.index_premieres.set(static_cast<double>(st.premieres));
    m.index_postings.set(static_cast<double>(st.postings));
    m.index_dead.set(static_cast<double>(st.dead_postings));
}

// The query as searched: blank means none (the featured premieres).
std::string search_text(const SearchRequest& req) {
    return req.q.find_first_not_of(" \t\r\n") == std::string::npos ? std::string() : req.q;
}

std::string search_key(const SearchRequest& req) {
    return "search\x1f" + search_text(req) + "\x1f" + std::to_string(req.page) + "\x1f" + std::to_string(req.limit);
}

// Keeps `value` under `key` unless the map holds an answer of a newer catalog already; bounded: when full, it
// starts again and the working set refills it.
template <typename T>
int64_t version_of(const T& v) {
    if constexpr (requires { v->version; })
        return v ? v->version : 0;  // a kept page (shared_ptr)
    else
        return v.version;
}

template <typename Map, typename Value>
void keep_newest(Map& map, const std::string& key, Value value, int64_t version, size_t bound) {
    if (map.size() >= bound) map.clear();
    auto& slot = map[key];
    if (version_of(slot) <= version) slot = std::move(value);
}
}  // namespace

int64_t parse_id(const std::string& s, const char* field) {
    auto id = text::positive_id(s);
    if (!id) throw bad_request("Некорректный идентификатор", {{field, "Ожидается положительное целое число"}});
    return *id;
}

SearchRequest parse_search(const http::Request& req) {
    SearchRequest r;
    r.q = req.query_param("q").value_or("");
    if (!json::valid_utf8(r.q))
        throw bad_request("Запрос содержит некорректные символы", {{"q", "Некорректная кодировка UTF-8"}});
    if (json::utf8_length(r.q) > 200) throw bad_request("Слишком длинный запрос", {{"q", "Не длиннее 200 символов"}});
    r.page = int_param(req, "page", 1, 1, 1000);
    r.limit = int_param(req, "limit", 20, 1, 50);
    return r;
}

boost::json::object Catalog::card(const CardRow& c) const {
    auto now = clock_.now();
    auto factors = period_factors(c.periods);
    int base_factor = factors.contains(c.base_period_hours) ? factors[c.base_period_hours] : 1000;
    boost::json::array hours;
    for (auto [h, _] : factors) hours.push_back(h);
    auto until = c.discount_until ? time::parse_rfc3339(*c.discount_until) : std::nullopt;
    auto q = quote(Money::kopecks(c.price_online), base_factor, c.discount_percent, until, now);
    boost::json::value discount = nullptr;
    if (q.discount_percent > 0)
        discount = boost::json::object{{"percent", q.discount_percent}, {"until", opt_json(c.discount_until)}};
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

int64_t Catalog::version() {
    if (following_) return known_version_;
    return pool_.exec(kCatalogVersion).int64(0, "version");
}

void Catalog::note_version(int64_t v) {
    auto cur = known_version_.load();
    while (cur < v && !known_version_.compare_exchange_weak(cur, v)) {
    }
}

void Catalog::refresh_version() {
    if (options_.search_index) {
        try {
            sync_index();  // reads the version together with the changes
            if (following_) note_version(index_.version());
            return;
        } catch (const std::exception& e) {
            log::warn("search index: following a change failed; searches use the statement until it catches up",
                      {{"error", e.what()}});
        }
    }
    if (!following_) return;  // every request reads the version anyway
    try {
        note_version(pool_.exec(kCatalogVersion).int64(0, "version"));
    } catch (const std::exception& e) {
        // The change is committed; its notification brings the version a moment later.
        log::warn("catalog version: reading it after a change failed", {{"error", e.what()}});
    }
}

void Catalog::sync_index() {
    if (!options_.search_index) return;
    std::lock_guard lock(index_mu_);
    sync_index_locked(true);
}

void Catalog::sync_index_locked(bool full_allowed) {
    if (!index_.loaded() || index_.wants_rebuild()) {
        if (full_allowed) load_index_locked();
        return;
    }
    auto have = index_.version();
    struct Delta {
        int64_t version = 0;
        bool full = false;
        std::vector<int64_t> changed;
        std::vector<CardRow> cards;
        std::vector<SearchIndex::PostingRow> postings;
    };
    auto delta = pool_.transact(
        [&](pg::Transaction& tx) {
            Delta d;
            auto v = tx.exec(kIndexVersion);
            d.version = v.int64(0, "version");
            if (d.version <= have) return d;
            auto ids = tx.exec(kIndexChanges, pg::Params(have, kIndexMaxChanged + 1));
            if (v.int64(0, "changes_since") > have || ids.rows() > kIndexMaxChanged) {
                d.full = true;
                return d;
            }
            std::string array = "{";
            for (int i = 0; i < ids.rows(); ++i) {
                auto id = number_at(ids, i, 0);
                if (id == 0) {  // a TRUNCATE
                    d.full = true;
                    return d;
                }
                d.changed.push_back(id);
                array += (i ? "," : "") + std::to_string(id);
            }
            array += "}";
            auto cards = tx.exec(kIndexCardsOf, pg::Params(array));
            if (!cards.empty()) {
                CardColumns cols(cards);
                for (int i = 0; i < cards.rows(); ++i) d.cards.push_back(cols.row(cards, i));
            }
            auto postings = tx.exec(kIndexPostingsOf, pg::Params(array));
            for (int i = 0; i < postings.rows(); ++i)
                d.postings.push_back(
                    {std::string(postings.value(i, 0)), number_at(postings, i, 1), score_at(postings, i, 2)});
            return d;
        },
        pg::Transaction::Isolation::repeatable_read);
    if (delta.version <= have) return;
    if (delta.full) {
        if (full_allowed) load_index_locked();
        return;
    }
    index_.apply(delta.version, delta.changed, std::move(delta.cards), std::move(delta.postings));
    catalog_metrics().index_syncs.inc();
    publish_index_stats(index_);
}

void Catalog::load_index_locked() {
    auto started = std::chrono::steady_clock::now();
    auto [version, build] = pool_.transact(
        [&](pg::Transaction& tx) {
            SearchIndex::Build b;
            auto v = tx.exec(kIndexVersion).int64(0, "version");
            auto max_id = tx.exec(kIndexMaxId).int64(0, "max_id");
            for (int64_t from = 0; from < max_id; from += kIndexCardBatch) {
                auto cards = tx.exec(kIndexCardsIn, pg::Params(from, from + kIndexCardBatch));
                if (cards.empty()) continue;
                CardColumns cols(cards);
                for (int i = 0; i < cards.rows(); ++i) b.add_card(cols.row(cards, i));
            }
            std::string lexeme;
            int64_t after = 0;
            for (;;) {
                auto postings = tx.exec(kIndexPostingsAfter, pg::Params(lexeme, after, kIndexPostingBatch));
                for (int i = 0; i < postings.rows(); ++i)
                    b.add_posting(postings.value(i, 0), number_at(postings, i, 1), score_at(postings, i, 2));
                if (postings.rows() < kIndexPostingBatch) break;
                lexeme = postings.value(postings.rows() - 1, 0);
                after = number_at(postings, postings.rows() - 1, 1);
            }
            return std::pair{v, std::move(b)};
        },
        pg::Transaction::Isolation::repeatable_read);
    index_.replace(version, std::move(build));
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    catalog_metrics().index_loads.inc();
    catalog_metrics().index_load_seconds.set(seconds);
    publish_index_stats(index_);
    auto st = index_.stats();
    log::info("search index loaded", {{"version", version},
                                      {"premieres", static_cast<int64_t>(st.premieres)},
                                      {"lexemes", static_cast<int64_t>(st.lexemes)},
                                      {"postings", static_cast<int64_t>(st.postings)},
                                      {"ms", static_cast<int64_t>(seconds * 1000)}});
}

void Catalog::follow_version(const std::string& dsn, std::stop_token st) {
    auto& gauge = metrics::Registry::global().gauge(
        "catalog_version_following",
        "1 while this replica follows catalog changes by LISTEN, 0 while it reads them per request");
    // The search index follows the version; after a failed sync the next try waits a little longer.
    auto index_retry = std::chrono::steady_clock::time_point{};
    auto index_delay = std::chrono::milliseconds(500);
    auto follow_index = [&] {
        if (!options_.search_index || std::chrono::steady_clock::now() < index_retry) return;
        if (index_.loaded() && index_.version() >= known_version_.load() && !index_.wants_rebuild()) return;
        try {
            sync_index();
            index_delay = std::chrono::milliseconds(500);
        } catch (const std::exception& e) {
            log::warn("search index: following the catalog failed; searches use the statement until it catches up",
                      {{"error", e.what()}, {"retry_in_ms", static_cast<int64_t>(index_delay.count())}});
            index_retry = std::chrono::steady_clock::now() + index_delay;
            index_delay = std::min(index_delay * 2, std::chrono::milliseconds(30'000));
        }
    };
    while (!st.stop_requested()) {
        try {
            pg::Listener listener(dsn, "catalog_changed");
            // Listening first, then reading: a change after the read is notified.
            known_version_ = listener.connection().exec(kCatalogVersion).int64(0, "version");
            following_ = true;
            gauge.set(1);
            follow_index();
            while (!st.stop_requested()) {
                for (const auto& payload : listener.wait(std::chrono::milliseconds(500))) {
                    if (auto v = text::positive_id(payload))
                        note_version(*v);
                    else
                        refresh_version();
                }
                follow_index();
            }
        } catch (const std::exception& e) {
            following_ = false;
            gauge.set(0);
            log::warn("catalog version: not following changes; reading the version per request", {{"error", e.what()}});
            for (int i = 0; i < 10 && !st.stop_requested(); ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    following_ = false;
    gauge.set(0);
}

Catalog::Cached Catalog::through_cache(const std::string& key, const std::function<Cached()>& compute,
                                       std::optional<int64_t> known) {
    // Read before computing: an answer is never newer than the version it is kept under.
    auto version = known ? *known : this->version();
    std::promise<Cached> promise;
    {
        std::unique_lock lock(cache_mu_);
        auto it = cache_.find(key);
        if (it != cache_.end() && it->second.version == version) {
            catalog_metrics().hits.inc();
            return it->second;
        }
        may_block();  // waiting for a computation, or computing, is not for an I/O thread
        auto flight = flights_.find(key);
        if (flight != flights_.end() && flight->second.version == version) {
            auto answer = flight->second.answer;
            lock.unlock();
            catalog_metrics().joined.inc();
            return answer.get();  // rethrows the computation's error, if any
        }
        if (flight == flights_.end())
            flights_.emplace(key, Flight{version, promise.get_future().share()});
        else
            flight->second = Flight{version, promise.get_future().share()};
    }
    catalog_metrics().misses.inc();
    auto land = [&](auto&& publish) {
        std::lock_guard lock(cache_mu_);
        auto flight = flights_.find(key);
        if (flight != flights_.end() && flight->second.version == version) flights_.erase(flight);
        publish();
    };
    Cached entry;
    try {
        entry = compute();
    } catch (...) {
        land([&] { promise.set_exception(std::current_exception()); });
        throw;
    }
    entry.version = version;
    land([&] {
        keep_newest(cache_, key, entry, version, kCacheEntries);
        promise.set_value(entry);
    });
    return entry;
}

boost::json::object Catalog::search(const SearchRequest& req) { return search_at(req, std::nullopt); }

std::string_view search_statement() { return kSearch.sql; }
std::string_view suggest_statement() { return kSuggest.sql; }

std::shared_ptr<const Catalog::Page> Catalog::search_page(const SearchRequest& req) {
    auto key = search_key(req);
    auto version = this->version();
    auto now = clock_.now();
    {
        std::lock_guard lock(cache_mu_);
        auto it = pages_.find(key);
        if (it != pages_.end() && it->second->version == version && now < it->second->valid_until) {
            catalog_metrics().hits.inc();
            return it->second;
        }
    }
    auto answer = search_at(req, version);
    auto page = std::make_shared<Page>();
    page->version = version;
    page->valid_until = time::TimePoint::max();
    for (const auto& item : answer.at("items").as_array()) {
        const auto& discount = item.as_object().at("discount");
        if (!discount.is_object()) continue;
        const auto& until = discount.as_object().at("until");
        if (!until.is_string()) continue;
        auto end = time::parse_rfc3339(std::string(until.as_string()));
        if (end && *end > now && *end < page->valid_until) page->valid_until = *end;
    }
    page->body = boost::json::serialize(answer);
    page->etag = etag_of(page->body);
    std::lock_guard lock(cache_mu_);
    keep_newest(pages_, key, page, version, kCacheEntries);
    return page;
}

std::shared_ptr<const Catalog::SearchRows> Catalog::search_rows(const std::string& query, int limit, int offset,
                                                                int64_t version) {
    if (options_.search_index) {
        if (auto terms = parse_query_terms(query)) {
            auto found = index_.find(*terms, limit, offset, version);
            // Behind the version this answer is for: catch up now if that takes a few statements and nobody
            // else is at it; otherwise this answer comes from the statement.
            if (!found && index_.loaded()) {
                std::unique_lock lock(index_mu_, std::try_to_lock);
                if (lock.owns_lock()) {
                    try {
                        sync_index_locked(false);
                    } catch (const std::exception& e) {
                        log::warn("search index: catching up failed", {{"error", e.what()}});
                    }
                    lock.unlock();
                    found = index_.find(*terms, limit, offset, version);
                }
            }
            if (found) {
                catalog_metrics().from_index.inc();
                auto rows = std::make_shared<SearchRows>();
                rows->cards = std::move(found->cards);
                rows->total = rows->cards.empty() ? 0 : found->total;
                return rows;
            }
        }
    }
    catalog_metrics().from_sql.inc();
    SearchSlot slot(search_slots_);
    return rows_of(pool_.exec(kSearch, pg::Params(query, limit, offset)));
}

std::shared_ptr<const Catalog::SearchRows> Catalog::rows_of(const pg::Result& result) {
    auto rows = std::make_shared<SearchRows>();
    if (result.empty()) return rows;
    CardColumns cols(result);
    for (int i = 0; i < result.rows(); ++i) rows->cards.push_back(std::make_shared<const CardRow>(cols.row(result, i)));
    rows->total = number_at(result, 0, result.column("total"));
    return rows;
}

boost::json::object Catalog::search_at(const SearchRequest& req, std::optional<int64_t> known) {
    int offset = (req.page - 1) * req.limit;
    auto trimmed = search_text(req);
    auto key = search_key(req);
    auto version = known ? *known : this->version();
    auto entry = through_cache(
        key,
        [&] {
            boost::json::value did_you_mean = nullptr;
            // The matches of a text are those of its query (premieres_tsquery): «Маузера», «маузер» and a typo
            // corrected to «маузер» share one ranked page, computed once per catalog version.
            auto run = [&](const std::string& q) -> std::shared_ptr<const SearchRows> {
                if (q.empty()) {
                    SearchSlot slot(search_slots_);  // counts every visible premiere
                    return rows_of(pool_.exec(kFeatured, pg::Params(req.limit, offset)));
                }
                auto query = pool_.exec(kQueryOf, pg::Params(q)).text(0, "query");
                auto same =
                    "query\x1f" + query + "\x1f" + std::to_string(req.page) + "\x1f" + std::to_string(req.limit);
                return through_cache(
                           same,
                           [&] {
                               return Cached{0, nullptr, search_rows(query, req.limit, offset, version), nullptr};
                           },
                           version)
                    .found;
            };
            auto rows = run(trimmed);
            if (rows->cards.empty() && !trimmed.empty() && req.page == 1) {
                auto dym = pool_.exec(kDidYouMean, pg::Params(trimmed));
                if (!dym.empty() && dym.boolean(0, "changed")) {
                    auto suggestion = dym.text(0, "suggestion");
                    auto corrected = run(suggestion);
                    if (!corrected->cards.empty()) {
                        did_you_mean = suggestion;
                        rows = std::move(corrected);
                    }
                }
            }
            return Cached{0, nullptr, std::move(rows), did_you_mean};
        },
        version);
    boost::json::array items;
    for (const auto& c : entry.found->cards) items.push_back(card(*c));
    return {{"items", std::move(items)},
            {"total", entry.found->total},
            {"page", req.page},
            {"limit", req.limit},
            {"did_you_mean", entry.did_you_mean}};
}

boost::json::object Catalog::suggest(const std::string& prefix) {
    boost::json::array items;
    if (prefix.find_first_not_of(" \t") != std::string::npos) {
        auto entry = through_cache("suggest\x1f" + prefix, [&] {
            SearchSlot slot(search_slots_);
            return Cached{0, std::make_shared<const pg::Result>(pool_.exec(kSuggest, pg::Params(prefix))), nullptr,
                          nullptr};
        });
        const auto& rows = *entry.rows;
        for (int i = 0; i < rows.rows(); ++i)
            items.push_back(boost::json::object{{"id", rows.int64(i, "id")}, {"title", rows.text(i, "title")}});
    }
    return {{"items", std::move(items)}};
}

std::shared_ptr<const pg::Result> Catalog::premiere_rows(int64_t id, std::optional<int64_t> version) {
    // The rows are kept, not the answer: the final price depends on the discount's end, i.e. on the time.
    return through_cache(
               "premiere\x1f" + std::to_string(id),
               [&] {
                   return Cached{0, std::make_shared<const pg::Result>(pool_.exec(kPremiere, pg::Params(id))), nullptr,
                                 nullptr};
               },
               version)
        .rows;
}

boost::json::object Catalog::premiere(int64_t id, std::optional<int64_t> version) {
    auto held = premiere_rows(id, version);
    const auto& rows = *held;
    if (rows.empty()) throw not_found("Премьера не найдена");
    auto out = card(CardColumns(rows).row(rows, 0));
    out["description_full"] = rows.text(0, "description_full");
    out["theatre"] = rows.text(0, "theatre");
    out["director"] = rows.text(0, "director");
    out["genre"] = rows.text(0, "genre");
    out["age_rating"] = rows.text(0, "age_rating");
    out["duration_minutes"] = rows.int64(0, "duration_minutes");
    out["live_at"] = opt_json(rows.opt_text(0, "live_at"));
    out["cast"] = boost::json::parse(rows.text(0, "cast"));
    auto cap = rows.opt_int64(0, "capacity");
    out["capacity"] = cap ? boost::json::value(*cap) : boost::json::value(nullptr);
    return out;
}

boost::json::object Catalog::rent_quote(int64_t id, int period_hours, std::optional<int64_t> version) {
    auto held = premiere_rows(id, version);
    const auto& rows = *held;
    if (rows.empty()) throw not_found("Премьера не найдена");
    auto factors = period_factors(rows.text(0, "periods"));
    if (!factors.contains(period_hours)) {
        boost::json::array allowed;
        for (auto [h, _] : factors) allowed.push_back(h);
        auto list = period_list(factors);
        throw unprocessable("Такой срок аренды недоступен. Можно выбрать: " + list + " ч.",
                            {{"period", "Допустимые значения: " + list}})
            .with("allowed_periods", allowed);
    }
    auto now = clock_.now();
    auto q = quote(Money::kopecks(rows.int64(0, "price_online")), factors.at(period_hours),
                   static_cast<int>(rows.int64(0, "discount_percent")), opt_time(rows, 0, "discount_until"), now);
    return {{"premiere_id", id},
            {"period", period_hours},
            {"base", q.base.as_kopecks()},
            {"discount", q.discount.as_kopecks()},
            {"discount_percent", q.discount_percent},
            {"total", q.total.as_kopecks()},
            {"currency", "RUB"},
            {"quote_expires_at", time::format_rfc3339(now + std::chrono::minutes(15))}};
}

std::string Catalog::poster_svg(int64_t id) {
    auto rows = pool_.exec(kPremiere, pg::Params(id));
    if (rows.empty()) throw not_found("Премьера не найдена");
    auto title = rows.text(0, "title");
    auto theatre = rows.text(0, "theatre");
    static constexpr const char* kPalette[][2] = {{"#5b0f1a", "#c9a227"}, {"#1b2a4a", "#e0b04b"},
                                                  {"#2d1b3d", "#d98c5f"}, {"#10352e", "#d4af37"},
                                                  {"#3b1f0e", "#f0c987"}, {"#26262e", "#c0392b"}};
    const auto& pal = kPalette[static_cast<size_t>(id) % 6];
    // Wrap the title into lines of at most ~14 characters (UTF-8 aware: count code points).
    std::vector<std::string> lines;
    std::string line, word;
    auto flush_word = [&] {
        if (word.empty()) return;
        if (!line.empty() && json::utf8_length(line) + 1 + json::utf8_length(word) > 14) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        word.clear();
    };
    for (char c : title) {
        if (c == ' ')
            flush_word();
        else
            word += c;
    }
    flush_word();
    if (!line.empty()) lines.push_back(line);
    std::ostringstream svg;
    svg << R"(<svg xmlns="http://www.w3.org/2000/svg" width="400" height="600" viewBox="0 0 400 600">)"
        << R"(<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color=")" << pal[0]
        << R"("/><stop offset="1" stop-color="#0b0b0f"/></linearGradient></defs>)"
        << R"svg(<rect width="400" height="600" fill="url(#g)"/>)svg"
        << R"(<rect x="20" y="20" width="360" height="560" fill="none" stroke=")" << pal[1] << R"(" stroke-width="2"/>)"
        << R"(<circle cx="200" cy="170" r="70" fill="none" stroke=")" << pal[1]
        << R"(" stroke-width="3" opacity="0.7"/>)";
    int y = 320;
    for (const auto& l : lines) {
        svg << R"(<text x="200" y=")" << y << R"(" font-family="serif" font-size="38" font-weight="bold" fill=")"
            << pal[1] << R"(" text-anchor="middle">)" << text::html_escape(l) << "</text>";
        y += 46;
    }
    svg << R"(<text x="200" y="540" font-family="sans-serif" font-size="18" fill="#eeeeee" text-anchor="middle">)"
        << text::html_escape(theatre) << "</text></svg>";
    return svg.str();
}

void install_catalog(http::Router& router, Catalog& catalog) {
    router.get(
        "/api/v1/search/suggest",
        [&catalog](http::Request& req) {
            auto q = req.query_param("q").value_or("");
            if (!json::valid_utf8(q))
                throw bad_request("Некорректная кодировка", {{"q", "Некорректная кодировка UTF-8"}});
            if (json::utf8_length(q) > 100)
                throw bad_request("Слишком длинный запрос", {{"q", "Не длиннее 100 символов"}});
            return cached_json(req, catalog.suggest(q));
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
    router.get(
        "/api/v1/search/",
        [&catalog](http::Request& req) {
            auto page = catalog.search_page(parse_search(req));
            return etag_response(req, page->body, page->etag);
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
    router.get(
        "/api/v1/premiere/:id",
        [&catalog](http::Request& req) { return cached_json(req, catalog.premiere(parse_id(req.param("id")))); },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
    router.get("/api/v1/premiere/:id/poster.svg", [&catalog](http::Request& req) {
        auto res =
            http::Response::text(200, catalog.poster_svg(parse_id(req.param("id"))), "image/svg+xml; charset=utf-8");
        res.headers.set("Cache-Control", "public, max-age=3600");
        return res;
    });
    router.get(
        "/api/v1/rent/:id",
        [&catalog](http::Request& req) {
            auto period = req.query_param("period");
            if (!period || period->empty())
                throw bad_request("Укажите срок аренды", {{"period", "Обязательный параметр (часы)"}});
            int hours = 0;
            if (period->size() > 4) throw bad_request("Некорректный срок", {{"period", "Ожидается целое число часов"}});
            for (char c : *period) {
                if (c < '0' || c > '9')
                    throw bad_request("Некорректный срок", {{"period", "Ожидается целое число часов"}});
                hours = hours * 10 + (c - '0');
            }
            return http::Response::json(catalog.rent_quote(parse_id(req.param("id")), hours));
        },
        http::Dispatch::non_blocking);  // answered from the cache on the I/O thread; a miss moves to the pool
}

void seed_demo_catalog(pg::Pool& pool, const std::string& seed_dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(seed_dir))
        if (e.path().extension() == ".sql") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    auto lease = pool.acquire();
    for (const auto& f : files) {
        std::ifstream in(f);
        std::stringstream ss;
        ss << in.rdbuf();
        pg::Transaction tx(*lease);
        lease->exec_script(ss.str());
        tx.commit();
        log::info("seed applied", {{"file", f.filename().string()}});
    }
}

}  // namespace chance::premieres
