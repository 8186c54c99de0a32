#include "catalog_db.hpp"
#include "premieres/search/version_follower.hpp"

using namespace chance;
using namespace chance::premieres;
using chance::premieres::testing::CatalogDb;

TEST(CatalogPg, PostingsRankExactlyAsTsRankCdAndFollowEveryChange) {
    CatalogDb t;
    // Every visible premiere has one posting per lexeme of its document, scored as ts_rank_cd scores that
    // lexeme alone plus 0.01 x its share of the title's positions (ADR 0016); hidden premieres have none.
    static constexpr pg::Query kMismatches{
        "test_postings_mismatches",
        "SELECT (SELECT count(*) FROM premieres p, unnest(p.search_document) u WHERE NOT p.hidden AND NOT EXISTS ("
        "          SELECT 1 FROM search_postings s WHERE s.premiere_id = p.id AND s.lexeme = u.lexeme"
        "          AND abs(s.score - ts_rank_cd(p.search_document, quote_literal(u.lexeme)::tsquery)"
        "                  - 0.01 * cardinality(array_positions(u.weights, 'A'))"
        "                    / (SELECT count(*) FROM unnest(p.search_document) v, unnest(v.weights) w WHERE w = 'A'))"
        "              < 1e-6))"
        "     + (SELECT count(*) FROM search_postings s JOIN premieres p ON p.id = s.premiere_id"
        "        WHERE p.hidden OR NOT p.search_document @@ quote_literal(s.lexeme)::tsquery) AS n"};
    auto mismatches = [&] { return t.pool.exec(kMismatches).int64(0, "n"); };
    EXPECT_EQ(mismatches(), 0);
    // A search answers as ranking every matching document would, whatever the shape of its query (one lexeme,
    // a prefix covering several, two words of which the second covers one lexeme or several, three words): the
    // premieres having every term, by the sum over the terms of the best score among the premiere's lexemes the
    // term covers, a lexeme longer than the typed prefix counting half (ADR 0016).
    static constexpr pg::Query kReference{
        "test_search_reference",
        "SELECT coalesce(string_agg(id::text, ',' ORDER BY r DESC, id), '') AS ids, max(total) AS total FROM ("
        "  SELECT p.id, count(*) OVER () AS total, (SELECT sum((SELECT max(CASE WHEN s.lexeme = t.lexeme"
        "                                                     THEN s.score ELSE s.score * real '0.5' END)"
        "      FROM search_postings s WHERE s.premiere_id = p.id"
        "        AND (s.lexeme = t.lexeme OR t.prefix AND starts_with(s.lexeme, t.lexeme))))"
        "    FROM (SELECT replace(m[1], '''''', '''') COLLATE \"C\" AS lexeme, m[2] IS NOT NULL AS prefix"
        "          FROM regexp_matches(q::text, '''((?:[^'']|'''')*)''(:\\*)?', 'g') AS m) AS t) AS r"
        "  FROM premieres p, premieres_tsquery($1) AS q WHERE NOT p.hidden AND p.search_document @@ q"
        "  ORDER BY r DESC, p.id LIMIT $2 OFFSET $3) s"};
    auto same_as_reference = [&](const std::string& q, int page, int limit) {
        auto answer = t.catalog.search({q, page, limit});
        std::string ids;
        for (const auto& item : answer.at("items").as_array())
            ids += (ids.empty() ? "" : ",") + std::to_string(item.at("id").as_int64());
        auto ref = t.pool.exec(kReference, pg::Params(q, limit, (page - 1) * limit));
        EXPECT_EQ(ids, ref.text(0, "ids")) << q << " page " << page;
        if (!ids.empty()) {
            EXPECT_EQ(answer.at("total").as_int64(), ref.int64(0, "total")) << q;
        }
        return answer.at("items").as_array().size();
    };
    for (const char* q : {"Маузер", "Хабенский", "театр", "те", "ма", "гоголь", "Мастер Маргарита", "театр Таганке",
                          "Мастер ма", "Мастер и Маргарита Таганка"}) {
        EXPECT_GT(same_as_reference(q, 1, 5), 0u) << q;
        same_as_reference(q, 2, 5);
    }
    // The postings follow the premiere: a new title, hiding, showing again, a new cast.
    auto id = t.pool.exec({"test_mauser_id", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    auto found = [&](const std::string& q) {
        auto answer = t.catalog.search({q, 1, 50});
        for (const auto& item : answer.at("items").as_array())
            if (item.at("id").as_int64() == id) return true;
        return false;
    };
    static constexpr pg::Query kRetitle{"test_retitle_postings",
                                        "UPDATE premieres SET title = 'Гидравлика' WHERE id = $1"};
    t.pool.exec(kRetitle, pg::Params(id));
    EXPECT_TRUE(found("Гидравлика"));
    static constexpr pg::Query kHide{"test_hide_postings", "UPDATE premieres SET hidden = $2 WHERE id = $1"};
    t.pool.exec(kHide, pg::Params(id, true));
    EXPECT_FALSE(found("Гидравлика"));
    EXPECT_EQ(mismatches(), 0);
    t.pool.exec(kHide, pg::Params(id, false));
    EXPECT_TRUE(found("Гидравлика"));
    static constexpr pg::Query kCast{"test_cast_postings",
                                     "INSERT INTO premiere_cast (premiere_id, position, actor, role) "
                                     "VALUES ($1, 99, 'Аристарх Пантелеймонов', 'Хор')"};
    t.pool.exec(kCast, pg::Params(id));
    EXPECT_TRUE(found("Пантелеймонов"));
    EXPECT_EQ(mismatches(), 0);
}

namespace {
double counter(const char* name) { return metrics::Registry::global().counter(name, "").value(); }

// Every word of the curated catalog's titles, casts, theatres and directors, a prefix of each, the first two
// words of every title, and some typos and longer queries.
std::vector<std::string> curated_queries(pg::Pool& pool) {
    static constexpr pg::Query kWords{
        "test_index_words",
        "SELECT DISTINCT w FROM premieres, regexp_split_to_table(title || ' ' || cast_names || ' ' || theatre || ' ' "
        "|| director, '[^[:alnum:]]+') AS w WHERE w <> '' ORDER BY w"};
    static constexpr pg::Query kTitles{"test_index_titles", "SELECT title FROM premieres ORDER BY id"};
    std::vector<std::string> out;
    auto words = pool.exec(kWords);
    for (int i = 0; i < words.rows(); ++i) {
        auto w = words.text(i, "w");
        out.push_back(w);
        size_t end = 0;  // its first three code points
        for (int k = 0; k < 3 && end < w.size(); ++k) do
                ++end;
            while (end < w.size() && (static_cast<unsigned char>(w[end]) & 0xC0) == 0x80);
        if (end < w.size()) out.push_back(w.substr(0, end));
    }
    auto titles = pool.exec(kTitles);
    for (int i = 0; i < titles.rows(); ++i) {
        auto t = titles.text(i, "title");
        auto space = t.find(' ', t.find(' ') + 1);
        out.push_back(t.substr(0, space));
    }
    for (const char* q : {"", "Маузр", "Хабенскй", "Мастер и Маргарита Таганка", "театр на", "те", "т", "а б",
                          "Чехов Вишнёвый сад", "qwzxqwzx", "1958"})
        out.emplace_back(q);
    return out;
}

// The same searches through the index and through the statement: the same answers, every byte. The index
// answers every one of them itself.
void expect_index_answers_as_the_statement(Catalog& indexed, Catalog& statement,
                                           const std::vector<std::string>& queries) {
    constexpr std::pair<int, int> kPages[] = {{1, 20}, {2, 5}, {1, 50}};
    auto from_index = counter("search_pages_from_index_total");
    auto from_sql = counter("search_pages_from_sql_total");
    std::vector<std::string> answers;
    for (const auto& q : queries)
        for (auto [page, limit] : kPages) answers.push_back(boost::json::serialize(indexed.search({q, page, limit})));
    EXPECT_EQ(counter("search_pages_from_sql_total"), from_sql);
    EXPECT_GT(counter("search_pages_from_index_total"), from_index + static_cast<double>(queries.size()));
    size_t i = 0;
    for (const auto& q : queries)
        for (auto [page, limit] : kPages)
            ASSERT_EQ(answers[i++], boost::json::serialize(statement.search({q, page, limit})))
                << q << " page " << page << " limit " << limit;
    EXPECT_GT(counter("search_pages_from_sql_total"), from_sql);
    // Suggestions too: the same lists from the index's titles and postings as from the suggest statement.
    auto suggest_from_index = counter("search_suggestions_from_index_total");
    auto suggest_from_sql = counter("search_suggestions_from_sql_total");
    std::vector<std::string> suggested;
    suggested.reserve(queries.size());
    for (const auto& q : queries) suggested.push_back(boost::json::serialize(indexed.suggest(q)));
    EXPECT_EQ(counter("search_suggestions_from_sql_total"), suggest_from_sql);
    EXPECT_GT(counter("search_suggestions_from_index_total"), suggest_from_index + 300.0);
    i = 0;
    for (const auto& q : queries) ASSERT_EQ(suggested[i++], boost::json::serialize(statement.suggest(q))) << q;
}
}  // namespace

TEST(CatalogPg, AQueryOfWordsSeenBeforeIsComposedWithoutTheDatabaseAndIsTheDatabasesOwn) {
    CatalogDb t;
    Catalog statement(t.pool, t.clock, {.search_index = false});
    auto queries = curated_queries(t.pool);
    // The words are learnt: each text once, stop words among them.
    for (const auto& q : queries) t.catalog.search({q, 1, 5});
    t.catalog.search({"и на в", 1, 5});
    // The same words in other texts (other case, order, punctuation, stop words; numbers need no lesson): their
    // queries are composed here, none asked of PostgreSQL, and every page is the statement's (a text that finds
    // nothing may be corrected otherwise: the statement's «did you mean» is by trigrams, the index's by edits;
    // those are left out).
    std::vector<std::string> texts;
    for (size_t k = 0; k + 1 < queries.size(); ++k) {
        texts.push_back("И, " + queries[k + 1] + " — " + queries[k] + "!");
        texts.push_back(queries[k] + " на " + std::to_string(k * 37));
    }
    auto composed = counter("search_queries_composed_total");
    auto from_sql = counter("search_queries_from_sql_total");
    std::vector<boost::json::object> answers;
    answers.reserve(texts.size());
    for (const auto& q : texts) answers.push_back(t.catalog.search({q, 1, 10}));
    EXPECT_EQ(counter("search_queries_from_sql_total"), from_sql);
    EXPECT_GE(counter("search_queries_composed_total"), composed + static_cast<double>(texts.size()));
    size_t compared = 0;
    for (size_t k = 0; k < texts.size(); ++k) {
        auto theirs = statement.search({texts[k], 1, 10});
        if (!answers[k].at("did_you_mean").is_null() || !theirs.at("did_you_mean").is_null()) continue;
        ASSERT_EQ(boost::json::serialize(answers[k]), boost::json::serialize(theirs)) << texts[k];
        ++compared;
    }
    EXPECT_GT(compared, texts.size() / 2);
}

TEST(CatalogPg, TheSearchIndexAnswersAsTheSearchStatement) {
    CatalogDb t;
    Catalog statement(t.pool, t.clock, {.search_index = false});
    auto queries = curated_queries(t.pool);
    ASSERT_GT(queries.size(), 300u);
    expect_index_answers_as_the_statement(t.catalog, statement, queries);
    auto st = t.catalog.search_index().stats();
    EXPECT_EQ(st.premieres, 58u);  // 60 seeded, 2 hidden
    EXPECT_EQ(static_cast<int64_t>(st.postings),
              t.pool.exec({"test_postings_n", "SELECT count(*) AS n FROM search_postings"}).int64(0, "n"));
}

TEST(CatalogPg, TheSearchIndexFollowsEveryChangeByThePremieresItTouched) {
    CatalogDb t;
    Catalog statement(t.pool, t.clock, {.search_index = false});
    auto queries = curated_queries(t.pool);
    auto version = [&] {
        return t.pool.exec({"test_ix_version", "SELECT version FROM catalog_version"}).int64(0, "version");
    };
    auto id = t.pool.exec({"test_ix_mauser", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    auto loads = counter("search_index_loads_total");
    auto syncs = counter("search_index_syncs_total");
    auto change = [&](const char* name, const char* sql) {
        pg::Query q{name, sql};
        t.pool.exec(q, pg::Params(id));
        t.catalog.sync_index();
        EXPECT_EQ(t.catalog.search_index().version(), version()) << name;
    };
    change("test_ix_title", "UPDATE premieres SET title = 'Гидравлика Маузера' WHERE id = $1");
    change("test_ix_price", "UPDATE premieres SET price_online = 12300, discount_percent = 35 WHERE id = $1");
    change("test_ix_periods", "DELETE FROM premiere_periods WHERE premiere_id = $1 AND hours > 24");
    change("test_ix_cast",
           "INSERT INTO premiere_cast (premiere_id, position, actor, role) "
           "VALUES ($1, 99, 'Аристарх Пантелеймонов', 'Хор')");
    expect_index_answers_as_the_statement(t.catalog, statement, queries);
    auto page = t.catalog.search({"Пантелеймонов", 1, 20}).at("items").as_array();
    ASSERT_EQ(page.size(), 1u);
    EXPECT_EQ(page[0].at("title").as_string(), "Гидравлика Маузера");
    EXPECT_EQ(page[0].at("price_online").as_int64(), 12300);
    EXPECT_EQ(page[0].at("reservation").at("periods").as_array().size(), 2u);  // 12 and 24 hours
    change("test_ix_hide", "UPDATE premieres SET hidden = true WHERE id = $1");
    EXPECT_TRUE(t.catalog.search({"Пантелеймонов", 1, 20}).at("items").as_array().empty());
    change("test_ix_show", "UPDATE premieres SET hidden = false WHERE id = $1");
    EXPECT_EQ(t.catalog.search({"Пантелеймонов", 1, 20}).at("items").as_array().size(), 1u);
    // A new premiere, with its periods, in one transaction.
    t.pool.transact([](pg::Transaction& tx) {
        tx.exec({"test_ix_new",
                 "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, "
                 "description_short, description_full, price_theatre, price_online, reservable_from, "
                 "reservable_until) VALUES ('zhiraf', 'Жираф на крыше', 'Театр', 'Режиссёр', 90, 'О жирафе.', "
                 "'О жирафе.', 100, 100, now(), now() + interval '30 days')"});
        tx.exec({"test_ix_new_periods",
                 "INSERT INTO premiere_periods (premiere_id, hours, price_factor) "
                 "SELECT id, 24, 1.0 FROM premieres WHERE slug = 'zhiraf'"});
    });
    t.catalog.sync_index();
    EXPECT_EQ(t.catalog.search({"жираф", 1, 20}).at("items").as_array().size(), 1u);
    EXPECT_EQ(counter("search_index_loads_total"), loads);  // all of it premiere by premiere
    EXPECT_EQ(counter("search_index_syncs_total") - syncs, 7);
    // A statement that changes nothing takes no version.
    auto before = version();
    t.pool.exec({"test_ix_nothing", "UPDATE premieres SET title = 'x' WHERE false"});
    EXPECT_EQ(version(), before);
    expect_index_answers_as_the_statement(t.catalog, statement, queries);
}

TEST(CatalogPg, BehindTheCatalogASearchCatchesUpOrAsksTheStatement) {
    CatalogDb t;  // not following: each search reads the version, the index learns of changes only then
    auto id = t.pool.exec({"test_ix_mid", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    auto syncs = counter("search_index_syncs_total");
    t.pool.exec({"test_ix_retitle", "UPDATE premieres SET title = 'Гидравлика' WHERE id = $1"}, pg::Params(id));
    auto caught_up = counter("search_pages_from_index_total");
    auto page = t.catalog.search({"Гидравлика", 1, 20}).at("items").as_array();
    ASSERT_EQ(page.size(), 1u);                                 // the very next search sees the change…
    EXPECT_EQ(counter("search_index_syncs_total") - syncs, 1);  // …the index having caught up first
    EXPECT_EQ(counter("search_pages_from_index_total") - caught_up, 1);
    // Past what a search may catch up with (a TRUNCATE: the whole catalog again), the statement answers until
    // the index is loaded again.
    // (TRUNCATE fires no row trigger: the documents keep the names, the cards lose their actors.)
    t.pool.exec({"test_ix_truncate", "TRUNCATE premiere_cast"});
    auto from_sql = counter("search_pages_from_sql_total");
    auto cast_gone = t.catalog.search({"Хабенский", 1, 20}).at("items").as_array();
    ASSERT_FALSE(cast_gone.empty());
    EXPECT_TRUE(cast_gone[0].at("actors").as_array().empty());
    EXPECT_EQ(counter("search_pages_from_sql_total") - from_sql, 1);
    auto loads = counter("search_index_loads_total");
    t.catalog.sync_index();
    EXPECT_EQ(counter("search_index_loads_total") - loads, 1);
    auto from_index = counter("search_pages_from_index_total");
    auto reloaded = t.catalog.search({"Хабенский", 1, 50}).at("items").as_array();
    EXPECT_EQ(counter("search_pages_from_index_total") - from_index, 1);
    ASSERT_EQ(reloaded.size(), cast_gone.size());
    EXPECT_TRUE(reloaded[0].at("actors").as_array().empty());
    // Changes older than the kept ones, or more premieres than a sync reads, mean a full load too.
    t.pool.exec({"test_ix_prune", "UPDATE catalog_version SET changes_since = version + 1"});
    t.pool.exec({"test_ix_touch", "UPDATE premieres SET price_online = 100 WHERE id = $1"}, pg::Params(id));
    t.catalog.sync_index();
    EXPECT_EQ(counter("search_index_loads_total") - loads, 2);
    t.pool.exec({"test_ix_many",
                 "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, description_short, "
                 "description_full, price_theatre, price_online, reservable_from, reservable_until) "
                 "SELECT 'many-' || g, 'Зюзюка ' || g, 'Театр', 'Режиссёр', 90, 'О зюзюке.', 'О зюзюке.', 100, 100, "
                 "now(), now() + interval '30 days' FROM generate_series(1, 2001) AS g"});
    t.catalog.sync_index();
    EXPECT_EQ(counter("search_index_loads_total") - loads, 3);
    EXPECT_EQ(t.catalog.search({"зюзюка", 1, 20}).at("total").as_int64(), 2001);
    EXPECT_EQ(t.catalog.search_index().stats().premieres, 58u + 2001u);
}

// A failover ends every connection to the old primary, the LISTEN one included, and notifications sent meanwhile
// never arrive: the follower connects again, reads the version there, and every few seconds reads it on its own
// so that a change it was never told of is caught up too.
TEST(VersionFollowerPg, ReconnectsAfterItsConnectionIsKilledAndCatchesUpWithoutNotifications) {
    CatalogDb t;
    VersionFollower follower(t.pool);
    std::jthread follow([&](const std::stop_token& st) {
        follower.follow(
            t.db.dsn(), st, [] {}, [] {}, std::chrono::milliseconds(200));
    });
    auto reaches = [&](int64_t v) {
        for (int i = 0; i < 200; ++i) {
            if (follower.following() && follower.version() >= v) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    };
    auto current = t.pool.exec({"test_version", "SELECT version FROM catalog_version"}).int64(0, "version");
    ASSERT_TRUE(reaches(current));
    // Every other connection to the database ends, as when the primary goes away.
    static constexpr pg::Query kKillAll{
        "test_kill_all",
        "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"};
    {
        pg::Pool admin(t.db.dsn(), {.size = 1});
        EXPECT_GE(admin.exec(kKillAll).int64(0, "n"), 1);
        // A change no notification tells of (the version row written directly).
        static constexpr pg::Query kBump{"test_bump_quietly",
                                         "UPDATE catalog_version SET version = version + 1000 RETURNING version"};
        current = admin.exec(kBump).int64(0, "version");
    }
    EXPECT_TRUE(reaches(current)) << "never followed again after losing its connection";
    // Following again; another silent change is read by the periodic check.
    current = t.pool.exec({"test_bump_quietly2", "UPDATE catalog_version SET version = version + 7 RETURNING version"})
                  .int64(0, "version");
    EXPECT_TRUE(reaches(current)) << "a change without a notification was never caught up";
}

TEST(CatalogPg, AShortWordsTypoIsCorrectedFromMemoryAndTheCorrectionsFollowTheCatalog) {
    CatalogDb t;
    auto title_of_first = [](const boost::json::object& answer) {
        return std::string(answer.at("items").as_array().at(0).at("title").as_string());
    };
    // «Дма»: one letter dropped from a four-letter word, too far by trigrams (0.29 < 0.3), one edit away.
    auto from_index = counter("search_corrections_from_index_total");
    auto dma = t.catalog.search({"Дма с собачкой", 1, 20});
    EXPECT_EQ(dma.at("did_you_mean").as_string(), "дама с собачкой");
    EXPECT_EQ(title_of_first(dma), "Дама с собачкой");
    EXPECT_EQ(counter("search_corrections_from_index_total"), from_index + 1);
    // A retitled premiere's new word is corrected to at once, and its old word no longer.
    static constexpr pg::Query kRetitle{
        "test_retitle_dacha", "UPDATE premieres SET title = 'Дача с собачкой' WHERE title = 'Дама с собачкой'"};
    ASSERT_EQ(t.pool.exec(kRetitle).affected(), 1);
    auto dcha = t.catalog.search({"Дча с собачкой", 1, 20});
    EXPECT_EQ(dcha.at("did_you_mean").as_string(), "дача с собачкой");
    EXPECT_EQ(title_of_first(dcha), "Дача с собачкой");
    static constexpr pg::Query kBack{"test_retitle_dama",
                                     "UPDATE premieres SET title = 'Дама с собачкой' WHERE title = 'Дача с собачкой'"};
    ASSERT_EQ(t.pool.exec(kBack).affected(), 1);
    auto back = t.catalog.search({"Дча с собачкой", 1, 20});
    EXPECT_NE(back.at("did_you_mean"), boost::json::value("дача с собачкой"));
}

TEST(CatalogPg, ATextOfStopWordsFindsTheTitlesThatHaveThemAsTheStatementDoes) {
    CatalogDb t;
    // Titles made of stop words, or starting with one, beside the curated catalog's («Дама с собачкой», «Мастер и
    // Маргарита», …).
    static constexpr pg::Query kTitles{
        "test_stop_word_titles",
        "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, description_short, "
        "description_full, price_theatre, price_online, reservable_from, reservable_until, featured) "
        "SELECT 'stop-' || ord, title, 'Театр', 'Режиссёр', 90, 'Кратко.', 'Подробно.', 100, 100, now(), "
        "now() + interval '30 days', ord = 3 FROM unnest(ARRAY['На дне', 'Без вины виноватые', 'Не было ни гроша, "
        "да вдруг алтын', 'Всё о моей матери', 'На всякого мудреца довольно простоты', 'О том, как', 'Быть или не "
        "быть', 'На-на']) WITH ORDINALITY AS t(title, ord)"};
    ASSERT_EQ(t.pool.exec(kTitles).affected(), 8);
    Catalog statement(t.pool, t.clock, {.search_index = false});
    auto from_index = counter("search_pages_from_index_total");
    auto from_sql = counter("search_pages_from_sql_total");
    const std::vector<std::string> texts = {"На",         "на",    "НА!",   "Без",     "не было ни", "о",
                                            "О том, как", "и",     "с",     "или не",  "как",        "не",
                                            "всё о",      "на на", "ни да", "вдруг на"};
    std::vector<std::string> answers;
    answers.reserve(texts.size() * 2);
    for (const auto& q : texts)
        for (auto [page, limit] : {std::pair{1, 20}, std::pair{2, 2}})
            answers.push_back(boost::json::serialize(t.catalog.search({q, page, limit})));
    EXPECT_EQ(counter("search_pages_from_sql_total"), from_sql);
    EXPECT_GT(counter("search_pages_from_index_total"), from_index);
    size_t i = 0;
    for (const auto& q : texts)
        for (auto [page, limit] : {std::pair{1, 20}, std::pair{2, 2}})
            ASSERT_EQ(answers[i++], boost::json::serialize(statement.search({q, page, limit}))) << q << " " << page;
    auto titles = [&](const std::string& q) {
        std::vector<std::string> out;
        auto answer = t.catalog.search({q, 1, 20});
        for (const auto& item : answer.at("items").as_array()) out.emplace_back(item.at("title").as_string());
        return out;
    };
    // Titles that start with the words first (featured first), then the others.
    auto na = titles("На");
    ASSERT_EQ(na.size(), 4u);  // the curated «На дне» too
    EXPECT_EQ(na.front(), "На всякого мудреца довольно простоты");
    EXPECT_EQ(std::count(na.begin(), na.end(), "На дне"), 2);
    EXPECT_EQ(na.back(), "На-на");
    auto ne = titles("не");
    ASSERT_GE(ne.size(), 2u);
    EXPECT_EQ(ne.front(), "Не было ни гроша, да вдруг алтын");  // featured, and starts with it
    EXPECT_NE(std::find(ne.begin(), ne.end(), "Быть или не быть"), ne.end());
    auto i_ = titles("и");
    EXPECT_NE(std::find(i_.begin(), i_.end(), "Мастер и Маргарита"), i_.end());
}

TEST(CatalogPg, AHyphenatedTitleIsFoundByEachPartAndWholeAndThroughATypoInAPart) {
    CatalogDb t;
    static constexpr pg::Query kTitle{
        "test_hyphenated_title",
        "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, description_short, "
        "description_full, price_theatre, price_online, reservable_from, reservable_until) "
        "VALUES ('hamlet-machine', 'Гамлет-машина', 'Театр', 'Режиссёр', 90, 'Кратко.', 'Подробно.', 100, 100, "
        "now(), now() + interval '30 days') RETURNING id"};
    auto id = t.pool.exec(kTitle).int64(0, "id");
    auto finds = [&](const std::string& q) {
        auto answer = t.catalog.search({q, 1, 50});
        for (const auto& item : answer.at("items").as_array())
            if (item.at("id").as_int64() == id) return answer;
        ADD_FAILURE() << q << " does not find «Гамлет-машина»";
        return answer;
    };
    for (const char* q : {"машина", "Гамлет-машина", "гамлет машина", "Гамлет-маш"})
        EXPECT_TRUE(finds(q).at("did_you_mean").is_null()) << q;
    EXPECT_EQ(finds("Гамлет-мшина").at("did_you_mean"), boost::json::value("гамлет машина"));
    EXPECT_EQ(finds("Гамлте-машина").at("did_you_mean"), boost::json::value("гамлет машина"));
}

TEST(CatalogPg, ATitleWithTheWordRanksBeforeItsHyphenatedCompoundAndLongerWords) {
    CatalogDb t;
    Catalog statement(t.pool, t.clock, {.search_index = false});
    // The seeded «Гамлет» (the word in its title and description), a longer word given the lowest id (a tie
    // would put it first), a hyphenated title whose parts are lexemes of their own (before ADR 0016 its two
    // lexemes that «гамлет» covers were summed and ranked it first) and a second «Гамлет», only in its title.
    auto hamlet =
        t.pool.exec({"test_hamlet_id", "SELECT id FROM premieres WHERE slug = 'gamlet-taganka'"}).int64(0, "id");
    static constexpr pg::Query kPassions{
        "test_passions",
        "UPDATE premieres SET title = 'Гамлетовские страсти' WHERE id = (SELECT min(id) FROM premieres "
        "WHERE NOT hidden AND slug <> 'gamlet-taganka') RETURNING id"};
    auto passions = t.pool.exec(kPassions).int64(0, "id");
    ASSERT_LT(passions, hamlet);
    static constexpr pg::Query kTitled{
        "test_titled_premiere",
        "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, description_short, "
        "description_full, price_theatre, price_online, reservable_from, reservable_until) "
        "VALUES ($1, $2, 'Театр', 'Режиссёр', 90, 'Кратко.', 'Подробно.', 100, 100, "
        "now(), now() + interval '30 days') RETURNING id"};
    auto machine = t.pool.exec(kTitled, pg::Params("hamlet-machine", "Гамлет-машина")).int64(0, "id");
    auto second = t.pool.exec(kTitled, pg::Params("hamlet-second", "Гамлет")).int64(0, "id");
    for (auto* catalog : {&t.catalog, &statement}) {
        for (const char* q : {"Гамлет", "гамлет", "ГАМЛЕТ"}) {
            std::vector<int64_t> ids;
            auto answer = catalog->search({q, 1, 20});
            for (const auto& item : answer.at("items").as_array()) ids.push_back(item.at("id").as_int64());
            auto at = [&](int64_t id) { return std::find(ids.begin(), ids.end(), id) - ids.begin(); };
            EXPECT_LT(at(hamlet), at(machine)) << q << ": the word before the compound that has it as a part";
            EXPECT_LT(at(second), at(machine)) << q << ": the title that is the word before the longer title";
            EXPECT_LT(at(second), at(passions)) << q << ": the word itself before a longer word";
            EXPECT_LT(at(machine), at(passions)) << q;
            EXPECT_LT(at(passions), static_cast<std::ptrdiff_t>(ids.size())) << q;
        }
    }
}
