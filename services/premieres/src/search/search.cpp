#include "premieres/search/search.hpp"

#include <boost/json.hpp>

#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "premieres/catalog/premiere_columns.hpp"
#include "premieres/http.hpp"
#include "premieres/search/index_loader.hpp"
#include "premieres/search/statements.hpp"

namespace chance::premieres {

namespace {
// Holds one of the search computation slots for its lifetime.
class SearchSlot {
  public:
    explicit SearchSlot(std::counting_semaphore<256>& slots) : slots_(slots) { slots_.acquire(); }
    ~SearchSlot() { slots_.release(); }
    SearchSlot(const SearchSlot&) = delete;
    SearchSlot& operator=(const SearchSlot&) = delete;

  private:
    std::counting_semaphore<256>& slots_;
};

// Where search pages, suggestions, queries and corrections come from, looked up in the registry (under its lock)
// once.
struct SourceMetrics {
    metrics::Counter& from_index;
    metrics::Counter& from_sql;
    metrics::Counter& suggest_from_index;
    metrics::Counter& suggest_from_sql;
    metrics::Counter& queries_composed;
    metrics::Counter& queries_from_sql;
    metrics::Counter& corrections_from_index;
    metrics::Counter& corrections_from_sql;
};

const SourceMetrics& source_metrics() {
    auto& reg = metrics::Registry::global();
    static const SourceMetrics m{
        reg.counter("search_pages_from_index_total", "Search pages computed by the in-memory search index"),
        reg.counter("search_pages_from_sql_total", "Search pages computed by the search statement"),
        reg.counter("search_suggestions_from_index_total", "Suggestion lists computed by the in-memory search index"),
        reg.counter("search_suggestions_from_sql_total", "Suggestion lists computed by the suggest statement"),
        reg.counter("search_queries_composed_total", "Texts whose query was composed from words already learnt"),
        reg.counter("search_queries_from_sql_total", "Texts whose query PostgreSQL made (new words, or no index)"),
        reg.counter("search_corrections_from_index_total", "Did-you-mean corrections by the in-memory speller"),
        reg.counter("search_corrections_from_sql_total", "Did-you-mean corrections by the did-you-mean statement")};
    return m;
}

// The index's metrics, looked up in the registry (under its lock) once.
struct IndexMetrics {
    metrics::Gauge& version;
    metrics::Gauge& premieres;
    metrics::Gauge& postings;
    metrics::Gauge& dead;
    metrics::Gauge& load_seconds;
    metrics::Counter& loads;
    metrics::Counter& syncs;
};

const IndexMetrics& index_metrics() {
    auto& reg = metrics::Registry::global();
    static const IndexMetrics m{
        reg.gauge("search_index_version", "Catalog version the in-memory search index holds (0: not loaded)"),
        reg.gauge("search_index_premieres", "Visible premieres in the search index"),
        reg.gauge("search_index_postings", "Live postings in the search index"),
        reg.gauge("search_index_dead_postings", "Postings of replaced or hidden premieres, until the next full load"),
        reg.gauge("search_index_load_seconds", "Duration of the search index's last full load"),
        reg.counter("search_index_loads_total", "Full loads of the search index"),
        reg.counter("search_index_syncs_total", "Changes applied to the search index")};
    return m;
}

// The index's gauges, published where it changes (a load, a catch-up).
void publish_index_stats(const SearchIndex& index) {
    const auto& m = index_metrics();
    auto st = index.stats();
    m.version.set(static_cast<double>(index.version()));
    m.premieres.set(static_cast<double>(st.premieres));
    m.postings.set(static_cast<double>(st.postings));
    m.dead.set(static_cast<double>(st.dead_postings));
}
}  // namespace

std::string search_text(const SearchRequest& req) {
    return req.q.find_first_not_of(" \t\r\n") == std::string::npos ? std::string() : req.q;
}

std::string search_key(const SearchRequest& req) {
    return "search\x1f" + search_text(req) + "\x1f" + std::to_string(req.page) + "\x1f" + std::to_string(req.limit);
}

std::string query_key(const std::string& query, int page, int limit) {
    return "query\x1f" + query + "\x1f" + std::to_string(page) + "\x1f" + std::to_string(limit);
}

boost::json::object to_json(const SearchAnswer& answer, const std::vector<Card>& cards) {
    boost::json::array items;
    for (const auto& c : cards) items.push_back(to_json(c));
    return {{"items", std::move(items)},
            {"total", answer.found->total},
            {"page", answer.page},
            {"limit", answer.limit},
            {"did_you_mean", answer.did_you_mean}};
}

boost::json::object to_json(const std::vector<Suggestion>& suggestions) {
    boost::json::array items;
    for (const auto& s : suggestions) items.push_back(boost::json::object{{"id", s.id}, {"title", s.title}});
    return {{"items", std::move(items)}};
}

Search::Search(pg::Pool& pool, const time::Clock& clock, AnswerCache& cache, VersionFollower& version,
               SearchOptions options)
    : pool_(pool),
      clock_(clock),
      cache_(cache),
      version_(version),
      options_(options),
      slots_(options.search_concurrency) {
    source_metrics();
    publish_index_stats(index_);  // every metric of the search exists from the start
}

SearchAnswer Search::answer(const SearchRequest& req, int64_t version) {
    int offset = (req.page - 1) * req.limit;
    auto trimmed = search_text(req);
    auto key = search_key(req);
    auto entry = cache_.through(key, version, [&] {
        boost::json::value did_you_mean = nullptr;
        // The matches of a text are those of its query (premieres_tsquery): «Маузера», «маузер» and a typo
        // corrected to «маузер» share one ranked page, computed once per catalog version.
        auto run = [&](const std::string& q) -> std::shared_ptr<const SearchRows> {
            if (q.empty()) {
                SearchSlot slot(slots_);  // counts every visible premiere
                return rows_of(pool_.exec(statements::featured, pg::Params(req.limit, offset)));
            }
            auto query = query_of(q);
            if (query.empty()) {
                // Stop words only («На», «Без вины»): no query, but titles may have them.
                auto words = text_words(q).value_or(std::vector<std::string>{});
                if (words.empty()) return std::make_shared<const SearchRows>();
                return title_rows(words, req.limit, offset, version);
            }
            return cache_
                .through(query_key(query, req.page, req.limit), version,
                         [&] {
                             AnswerCache::Entry e;
                             e.found = rows(query, req.limit, offset, version);
                             return e;
                         })
                .found;
        };
        auto found = run(trimmed);
        if (found->cards.empty() && !trimmed.empty() && req.page == 1) {
            if (auto suggestion = corrected(trimmed)) {
                auto corrected = run(*suggestion);
                if (!corrected->cards.empty()) {
                    did_you_mean = *suggestion;
                    found = std::move(corrected);
                }
            }
        }
        AnswerCache::Entry e;
        e.found = std::move(found);
        e.did_you_mean = std::move(did_you_mean);
        return e;
    });
    return {std::move(entry.found), std::move(entry.did_you_mean), req.page, req.limit};
}

std::shared_ptr<const SearchPage> Search::page(const SearchRequest& req) {
    auto key = search_key(req);
    auto version = version_.version();
    auto now = clock_.now();
    if (auto kept = cache_.page(key, version, now)) return kept;
    auto answer = this->answer(req, version);
    auto page = std::make_shared<SearchPage>();
    page->version = version;
    page->valid_until = time::TimePoint::max();
    std::vector<Card> cards;
    cards.reserve(answer.found->cards.size());
    for (const auto& row : answer.found->cards) {
        cards.push_back(card_of(*row, now));  // one "now" for the page and its validity
        // The page's prices change when the earliest discount on it ends.
        if (cards.back().price.discount_percent == 0 || !row->discount_until) continue;
        auto end = time::parse_rfc3339(*row->discount_until);
        if (end && *end > now && *end < page->valid_until) page->valid_until = *end;
    }
    page->body = boost::json::serialize(to_json(answer, cards));
    page->etag = etag_of(page->body);
    cache_.keep(key, page);
    return page;
}

std::shared_ptr<const std::vector<Suggestion>> Search::suggest(const std::string& prefix) {
    static const auto kNone = std::make_shared<const std::vector<Suggestion>>();
    if (prefix.find_first_not_of(" \t") == std::string::npos) return kNone;
    auto version = version_.version();
    return cache_
        .through("suggest\x1f" + prefix, version,
                 [&] {
                     AnswerCache::Entry e;
                     if (auto found = suggest_from_index(prefix, version)) {
                         source_metrics().suggest_from_index.inc();
                         e.suggestions = std::make_shared<const std::vector<Suggestion>>(std::move(*found));
                         return e;
                     }
                     source_metrics().suggest_from_sql.inc();
                     SearchSlot slot(slots_);
                     auto result = pool_.exec(statements::suggest, pg::Params(prefix));
                     auto found = std::make_shared<std::vector<Suggestion>>();
                     found->reserve(static_cast<size_t>(result.rows()));
                     for (int i = 0; i < result.rows(); ++i)
                         found->push_back({result.int64(i, "id"), result.text(i, "title")});
                     e.suggestions = std::move(found);
                     return e;
                 })
        .suggestions;
}

std::string Search::query_of(const std::string& text) {
    std::optional<std::vector<std::string>> words;
    std::vector<std::string> unknown;
    if (options_.search_index) {
        words = text_words(text);
        if (words) {
            if (auto composed = lexemes_.query(*words, &unknown)) {
                source_metrics().queries_composed.inc();
                return *composed;
            }
        }
    }
    source_metrics().queries_from_sql.inc();
    if (!words || unknown.empty()) return pool_.exec(statements::query_of, pg::Params(text)).text(0, "query");
    // The text's query and each new word's lexemes in one round trip; the words are learnt for the texts to come.
    auto learnt = pool_.exec(statements::learn_words, pg::Params(text, pg::text_array(unknown)));
    std::string query;
    for (int i = 0; i < learnt.rows(); ++i) {
        if (learnt.int64(i, "ord") == 0) {
            query = learnt.text(i, "word");
            continue;
        }
        auto n = learnt.int64(i, "n");
        lexemes_.learn(learnt.text(i, "word"),
                       n == 0   ? WordLexemes::Lexeme{WordLexemes::Kind::stop, {}}
                       : n == 1 ? WordLexemes::Lexeme{WordLexemes::Kind::lexeme, learnt.text(i, "lexeme")}
                                : WordLexemes::Lexeme{WordLexemes::Kind::other, {}});
    }
    // Composed from what was just learnt, the text must give PostgreSQL's own query. Where it does not (this
    // machine's C library splits or lowers a character otherwise than the database), its words are never
    // composed again.
    if (auto composed = lexemes_.query(*words, nullptr); composed && *composed != query) {
        log::warn("search: a query composed from its words differs from PostgreSQL's; those words go to PostgreSQL",
                  {{"composed", *composed}, {"query", query}});
        for (const auto& w : *words) lexemes_.learn(w, {WordLexemes::Kind::other, {}});
    }
    return query;
}

std::optional<std::string> Search::corrected(const std::string& text) {
    {
        std::shared_lock lock(speller_mu_);
        if (speller_loaded_) {
            if (auto words = text_words(text)) {
                bool changed = false;
                std::string out;
                for (const auto& w : *words) {
                    auto better = speller_.correct(w);
                    changed = changed || better.has_value();
                    if (!out.empty()) out += ' ';
                    out += better ? *better : w;
                }
                if (changed) {
                    source_metrics().corrections_from_index.inc();
                    return out;
                }
            }
        }
    }
    // Nothing within the speller's edits (or no speller yet): the nearest words by trigram similarity, which also
    // completes a stop word the query left out («Вас» → «василий»).
    source_metrics().corrections_from_sql.inc();
    auto dym = pool_.exec(statements::did_you_mean, pg::Params(text));
    if (dym.empty() || !dym.boolean(0, "changed")) return std::nullopt;
    return dym.text(0, "suggestion");
}

std::optional<std::vector<Suggestion>> Search::suggest_from_index(const std::string& prefix, int64_t version) {
    if (!options_.search_index || !index_.loaded()) return std::nullopt;
    auto lower = lower_text(prefix);
    if (!lower) return std::nullopt;
    auto terms = parse_query_terms(query_of(prefix));
    if (!terms) return std::nullopt;
    auto found = index_.suggest(*lower, *terms, version);
    if (!found && try_catch_up()) found = index_.suggest(*lower, *terms, version);
    return found;
}

void Search::spell_documents(const std::vector<int64_t>& gone, const std::vector<IndexedCard>& cards,
                             const std::vector<std::string>& words) {
    std::unique_lock lock(speller_mu_);
    for (auto id : gone) speller_.remove_document(id);
    for (size_t i = 0; i < cards.size() && i < words.size(); ++i)
        speller_.set_document(cards[i].card.id,
                              text_words(words[i], std::string::npos).value_or(std::vector<std::string>{}));
    speller_loaded_ = true;
}

bool Search::try_catch_up() {
    if (!index_.loaded()) return false;
    std::unique_lock lock(index_mu_, std::try_to_lock);
    if (!lock.owns_lock()) return false;
    try {
        sync_index_locked(false);
    } catch (const std::exception& e) {
        log::warn("search index: catching up failed", {{"error", e.what()}});
    }
    return true;
}

std::shared_ptr<const SearchRows> Search::rows(const std::string& query, int limit, int offset, int64_t version) {
    if (options_.search_index) {
        if (auto terms = parse_query_terms(query)) {
            auto found = index_.find(*terms, limit, offset, version);
            if (!found && try_catch_up()) found = index_.find(*terms, limit, offset, version);
            if (found) return rows_of(std::move(*found));
        }
    }
    source_metrics().from_sql.inc();
    SearchSlot slot(slots_);
    return rows_of(pool_.exec(statements::search, pg::Params(query, limit, offset)));
}

std::shared_ptr<const SearchRows> Search::title_rows(const std::vector<std::string>& words, int limit, int offset,
                                                     int64_t version) {
    if (options_.search_index) {
        auto found = index_.find_title_words(words, limit, offset, version);
        if (!found && try_catch_up()) found = index_.find_title_words(words, limit, offset, version);
        if (found) return rows_of(std::move(*found));
    }
    source_metrics().from_sql.inc();
    // The words one after another between non-alphanumerics; they are alphanumeric themselves, nothing to escape.
    std::string words_re;
    for (const auto& w : words) words_re += (words_re.empty() ? "" : "[^[:alnum:]]+") + w;
    words_re += "($|[^[:alnum:]])";
    SearchSlot slot(slots_);
    return rows_of(pool_.exec(statements::title_words,
                              pg::Params("(^|[^[:alnum:]])" + words_re, "^[^[:alnum:]]*" + words_re, limit, offset)));
}

std::shared_ptr<const SearchRows> Search::rows_of(Found found) {
    source_metrics().from_index.inc();
    auto rows = std::make_shared<SearchRows>();
    rows->cards = std::move(found.cards);
    rows->total = rows->cards.empty() ? 0 : found.total;
    return rows;
}

std::shared_ptr<const SearchRows> Search::rows_of(const pg::Result& result) {
    auto rows = std::make_shared<SearchRows>();
    if (result.empty()) return rows;
    CardReader reader(result);
    for (int i = 0; i < result.rows(); ++i)
        rows->cards.push_back(std::make_shared<const CardRow>(reader.row(result, i)));
    rows->total = number_at(result, 0, result.column("total"));
    return rows;
}

void Search::sync_index() {
    if (!options_.search_index) return;
    std::lock_guard lock(index_mu_);
    sync_index_locked(true);
}

void Search::sync_index_locked(bool full_allowed) {
    bool full = !index_.loaded() || index_.wants_rebuild() || !catch_up_index_locked();
    if (full && full_allowed) load_index_locked();
}

bool Search::catch_up_index_locked() {
    auto have = index_.version();
    auto delta = read_index_changes(pool_, have);
    if (delta.version <= have) return true;
    if (delta.full) return false;
    std::vector<SearchIndex::PostingRow> postings;
    postings.reserve(delta.postings.size());
    for (auto& p : delta.postings) postings.push_back({std::move(p.lexeme), p.premiere_id, p.score});
    spell_documents(delta.changed, delta.cards, delta.words);
    index_.apply(delta.version, delta.changed, std::move(delta.cards), std::move(postings));
    index_metrics().syncs.inc();
    publish_index_stats(index_);
    return true;
}

void Search::load_index_locked() {
    auto started = std::chrono::steady_clock::now();
    SearchIndex::Build build;
    Speller speller;
    auto version = read_index_catalog(
        pool_,
        [&] {
            build = SearchIndex::Build();
            speller.clear();
        },
        [&](IndexedCard card, const std::string& words) {
            speller.set_document(card.card.id,
                                 text_words(words, std::string::npos).value_or(std::vector<std::string>{}));
            build.add_card(std::move(card));
        },
        [&](std::string_view lexeme, int64_t premiere, float score) { build.add_posting(lexeme, premiere, score); });
    {
        std::unique_lock lock(speller_mu_);
        speller_ = std::move(speller);
        speller_loaded_ = true;
    }
    index_.replace(version, std::move(build));
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    index_metrics().loads.inc();
    index_metrics().load_seconds.set(seconds);
    publish_index_stats(index_);
    auto st = index_.stats();
    log::info("search index loaded", {{"version", version},
                                      {"premieres", static_cast<int64_t>(st.premieres)},
                                      {"lexemes", static_cast<int64_t>(st.lexemes)},
                                      {"postings", static_cast<int64_t>(st.postings)},
                                      {"ms", static_cast<int64_t>(seconds * 1000)}});
}

void Search::follow_index(int64_t known) {
    if (!options_.search_index || std::chrono::steady_clock::now() < index_retry_) return;
    if (index_.loaded() && index_.version() >= known && !index_.wants_rebuild()) return;
    try {
        sync_index();
        index_delay_ = std::chrono::milliseconds(500);
    } catch (const std::exception& e) {
        log::warn("search index: following the catalog failed; searches use the statement until it catches up",
                  {{"error", e.what()}, {"retry_in_ms", static_cast<int64_t>(index_delay_.count())}});
        index_retry_ = std::chrono::steady_clock::now() + index_delay_;
        index_delay_ = std::min(index_delay_ * 2, std::chrono::milliseconds(30'000));
    }
}

}  // namespace chance::premieres
