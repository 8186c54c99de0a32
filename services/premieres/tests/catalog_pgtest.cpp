#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/core/json.hpp"
#include "chance/core/metrics.hpp"
#include "chance/pg/migrations.hpp"
#include "pgtest.hpp"
#include "premieres/catalog.hpp"
#include "premieres/ordering/store.hpp"
#include "premieres/pricing.hpp"

using namespace chance;
using namespace chance::premieres;

namespace {
struct CatalogDb {
    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 4}};
    time::SystemClock clock;
    Catalog catalog{pool, clock};
    http::Router router;

    CatalogDb() {
        auto c = pool.acquire();
        pg::migrate(*c,
                    {{"premieres", CHANCE_PREMIERES_DIR "/migrations"}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
        seed_demo_catalog(pool, CHANCE_PREMIERES_DIR "/seed");
        catalog.sync_index();  // as at start-up: searches come from the index, which catches up after changes
        install_catalog(router, catalog);
    }
    std::vector<std::string> titles(const std::string& q) {
        auto r = catalog.search({q, 1, 50});
        std::vector<std::string> out;
        for (auto& item : r["items"].as_array()) out.emplace_back(item.as_object()["title"].as_string());
        return out;
    }
    http::Response get(const std::string& target) {
        http::Request req;
        req.method = "GET";
        req.target = target;
        auto q = target.find('?');
        req.path = http::percent_decode(target.substr(0, q), false);
        if (q != std::string::npos) req.query = http::parse_query(target.substr(q + 1));
        return router.handle(req);
    }
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(CatalogPg, FindsMauserExactlyInflectedWithATypoAndByPrefix) {
    CatalogDb t;
    EXPECT_EQ(t.titles("Маузер").front(), "Маузер");
    EXPECT_TRUE(contains(t.titles("Маузера"), "Маузер"));  // morphology
    EXPECT_TRUE(contains(t.titles("мау"), "Маузер"));      // prefix of the last word
    auto typo = t.catalog.search({"Маузр", 1, 20});        // typo
    ASSERT_FALSE(typo["items"].as_array().empty());
    EXPECT_EQ(typo["items"].as_array()[0].as_object()["title"].as_string(), "Маузер");
    EXPECT_EQ(typo["did_you_mean"].as_string(), "маузер");
}

TEST(CatalogPg, ActorSurnameAndTheatreFindTheirPremieres) {
    CatalogDb t;
    auto khabensky = t.titles("Хабенский");
    EXPECT_TRUE(contains(khabensky, "Иванов"));
    EXPECT_TRUE(contains(khabensky, "Белая гвардия"));
    EXPECT_TRUE(contains(khabensky, "Братья Карамазовы"));
    EXPECT_EQ(t.titles("Хабенского"), khabensky);  // another case of the same surname
    auto taganka = t.titles("Таганка");
    EXPECT_TRUE(contains(taganka, "Маузер"));
    EXPECT_TRUE(contains(taganka, "Мастер и Маргарита"));
    EXPECT_FALSE(contains(taganka, "Иванов"));
}

TEST(CatalogPg, HiddenPremieresNeverAppear) {
    CatalogDb t;
    EXPECT_TRUE(t.titles("Закрытая репетиция").empty());
    EXPECT_FALSE(contains(t.titles(""), "Закрытая репетиция"));
    auto hidden_id = t.pool.exec({"hid", "SELECT id FROM premieres WHERE slug = 'rehearsal-closed'"}).int64(0, "id");
    EXPECT_EQ(t.get("/api/v1/premiere/" + std::to_string(hidden_id)).status, 404);
}

TEST(CatalogPg, OrderingReadsEveryPremieresTermsThroughTheCatalogsRowHiddenOnesToo) {
    CatalogDb t;
    // What ordering's own statement read before it read the catalog's row (kept here as the reference).
    auto all = t.pool.exec(
        {"t_terms",
         "SELECT p.id, p.title, p.hidden, p.price_online, p.discount_percent, "
         "rfc3339(p.discount_until) AS discount_until, rfc3339(p.reservable_from) AS res_from, "
         "rfc3339(p.reservable_until) AS res_until, p.base_period_hours, p.capacity, "
         "(SELECT coalesce(json_agg(json_build_object('hours', pp.hours, 'factor', pp.price_factor::text)), '[]') "
         " FROM premiere_periods pp WHERE pp.premiere_id = p.id)::text AS periods "
         "FROM premieres p ORDER BY p.id"});
    ASSERT_GT(all.rows(), 50);
    int hidden = 0, live = 0, discounted = 0;
    for (int i = 0; i < all.rows(); ++i) {
        auto id = all.int64(i, "id");
        auto terms = ordering::store::premiere_info(t.pool, id);
        ASSERT_TRUE(terms) << id;
        EXPECT_EQ(terms->id, id);
        EXPECT_EQ(terms->title, all.text(i, "title"));
        EXPECT_EQ(terms->hidden, all.boolean(i, "hidden")) << id;
        EXPECT_EQ(terms->price_online.as_kopecks(), all.int64(i, "price_online"));
        EXPECT_EQ(terms->discount_percent, all.int64(i, "discount_percent"));
        auto until = all.opt_text(i, "discount_until");
        EXPECT_EQ(terms->discount_until, until ? time::parse_rfc3339(*until) : std::nullopt) << id;
        EXPECT_EQ(terms->from, time::parse_rfc3339(all.text(i, "res_from")));
        EXPECT_EQ(terms->until, time::parse_rfc3339(all.text(i, "res_until")));
        EXPECT_EQ(terms->factors, period_factors(all.text(i, "periods"))) << id;
        EXPECT_EQ(terms->capacity, all.opt_int64(i, "capacity")) << id;
        EXPECT_EQ(terms->base_period, all.int64(i, "base_period_hours"));
        hidden += terms->hidden;
        live += terms->capacity.has_value();
        discounted += terms->discount_until.has_value();
        // The catalog's page reads the same row, visible premieres only.
        EXPECT_EQ(CatalogStore(t.pool).premiere(id).has_value(), !terms->hidden) << id;
    }
    EXPECT_GT(hidden, 0);  // the seed has each kind the terms carry
    EXPECT_GT(live, 0);
    EXPECT_GT(discounted, 0);
    EXPECT_FALSE(ordering::store::premiere_info(t.pool, 999999));
    EXPECT_FALSE(CatalogStore(t.pool).any_premiere(999999));
}

TEST(CatalogPg, CardsCarryTheSpecsFields) {
    CatalogDb t;
    auto r = t.catalog.search({"Маузер", 1, 1});
    auto card = r["items"].as_array()[0].as_object();
    for (auto key : {"id", "title", "actors", "description", "price_theatre", "price_online", "discount",
                     "price_online_final", "reservation", "poster_url"})
        EXPECT_TRUE(card.contains(key)) << key;
    EXPECT_EQ(card["discount"].as_object()["percent"].as_int64(), 20);
    EXPECT_EQ(card["price_online_final"].as_int64(), 47920);  // 599 ₽ − 20 %
    EXPECT_EQ(card["reservation"].as_object()["periods"].as_array().size(), 4u);
    EXPECT_GE(r["total"].as_int64(), 2);
}

TEST(CatalogPg, NothingFoundSuggestsNothingAndPagingIsBounded) {
    CatalogDb t;
    auto none = t.catalog.search({"qwzxqwzx", 1, 20});
    EXPECT_TRUE(none["items"].as_array().empty());
    EXPECT_TRUE(none["did_you_mean"].is_null());
    auto featured = t.catalog.search({"   ", 1, 5});
    EXPECT_EQ(featured["items"].as_array().size(), 5u);
    EXPECT_EQ(featured["total"].as_int64(), 58);  // 60 seeded, 2 hidden
    auto last = t.catalog.search({"", 12, 5});
    EXPECT_EQ(last["items"].as_array().size(), 3u);
}

TEST(CatalogPg, HostileQueriesAreHandled) {
    CatalogDb t;
    for (auto q : {"'&|!():*<>\\", "a & b | !c", "Маузер'; DROP TABLE premieres; --", "🎭🎭", "%_%"})
        EXPECT_NO_THROW(t.catalog.search({q, 1, 20})) << q;
    EXPECT_EQ(t.get("/api/v1/search/?q=" + std::string(201, 'a')).status, 400);
    EXPECT_EQ(t.get("/api/v1/search/?q=%FF%FE").status, 400);
    EXPECT_EQ(t.get("/api/v1/search/?q=a&limit=51").status, 400);
    EXPECT_EQ(t.get("/api/v1/search/?q=a&page=0").status, 400);
    EXPECT_EQ(t.get("/api/v1/search/?q=a&page=x").status, 400);
    EXPECT_EQ(t.get("/api/v1/search/?q=%D0%9C%D0%B0%D1%83%D0%B7%D0%B5%D1%80").status, 200);
    EXPECT_EQ(t.pool.exec({"cnt", "SELECT count(*) AS n FROM premieres"}).int64(0, "n"), 60);
}

TEST(CatalogPg, SuggestsTitlesAsYouType) {
    CatalogDb t;
    auto s = t.catalog.suggest("Мау");
    ASSERT_FALSE(s["items"].as_array().empty());
    EXPECT_EQ(s["items"].as_array()[0].as_object()["title"].as_string(), "Маузер");
    EXPECT_LE(t.catalog.suggest("а")["items"].as_array().size(), 8u);
    EXPECT_TRUE(t.catalog.suggest("100%_").at("items").as_array().empty());
    // No title starts with an actor's surname: the premieres come from the words of their cast.
    auto by_actor = t.catalog.suggest("Высоцк")["items"].as_array();
    std::vector<std::string> titles;
    for (auto& i : by_actor) titles.emplace_back(i.as_object().at("title").as_string());
    EXPECT_NE(std::find(titles.begin(), titles.end(), "Маузер"), titles.end());
    // Titles that start with the prefix come before premieres that only have a word starting with it.
    for (const char* prefix : {"Ма", "Бе", "Тр"}) {
        bool others = false;
        auto answer = t.catalog.suggest(prefix);
        for (auto& i : answer["items"].as_array()) {
            bool starts = std::string(i.as_object().at("title").as_string()).rfind(prefix, 0) == 0;
            EXPECT_FALSE(starts && others) << prefix << ": " << i.as_object().at("title").as_string();
            others = others || !starts;
        }
    }
}

TEST(CatalogPg, RentQuoteAndItsErrors) {
    CatalogDb t;
    auto id = t.pool.exec({"mid", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    auto q = t.catalog.rent_quote(id, 48);
    EXPECT_EQ(q["base"].as_int64(), 89850);
    EXPECT_EQ(q["discount"].as_int64(), 17970);
    EXPECT_EQ(q["total"].as_int64(), 71880);
    auto bad = t.get("/api/v1/rent/" + std::to_string(id) + "?period=13");
    EXPECT_EQ(bad.status, 422);
    auto body = boost::json::parse(bad.body).as_object();
    EXPECT_EQ(body["allowed_periods"].as_array().size(), 4u);
    EXPECT_EQ(t.get("/api/v1/rent/" + std::to_string(id)).status, 400);
    EXPECT_EQ(t.get("/api/v1/rent/abc?period=12").status, 400);
    EXPECT_EQ(t.get("/api/v1/rent/999999?period=12").status, 404);
    EXPECT_EQ(t.get("/api/v1/premiere/0").status, 400);
}

TEST(CatalogPg, PriceChangesAreRecordedInTheHistoryAndVisibleAtOnce) {
    CatalogDb t;
    auto id = t.pool.exec({"mid2", "SELECT id FROM premieres WHERE slug = 'ivanov'"}).int64(0, "id");
    t.pool.exec({"price", "UPDATE premieres SET price_online = 99900 WHERE id = $1"}, pg::Params(id));
    EXPECT_EQ(t.catalog.premiere(id)["price_online"].as_int64(), 99900);
    auto ev = t.pool.exec({"ev",
                           "SELECT type, payload->'old'->>'price_online' AS old FROM premiere_events "
                           "WHERE premiere_id = $1 ORDER BY id DESC LIMIT 1"},
                          pg::Params(id));
    EXPECT_EQ(ev.text(0, "type"), "price_changed");
    EXPECT_EQ(ev.text(0, "old"), "79900");
    EXPECT_THROW(t.pool.exec({"del", "DELETE FROM premiere_events"}), pg::CheckViolation);
}

TEST(CatalogPg, PosterIsSvgWithTheEscapedTitle) {
    CatalogDb t;
    auto id = t.pool.exec({"mid3", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    auto res = t.get("/api/v1/premiere/" + std::to_string(id) + "/poster.svg");
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.headers.get("Content-Type").value_or("").rfind("image/svg+xml", 0), 0u);
    EXPECT_NE(res.body.find("Маузер"), std::string::npos);
}

TEST(CatalogPg, CachedAnswersLastOnlyUntilTheCatalogChanges) {
    CatalogDb t;
    auto& hits = metrics::Registry::global().counter("search_cache_hits_total", "");
    auto first = t.catalog.search({"Маузер", 1, 20});
    auto before = hits.value();
    auto second = t.catalog.search({"Маузер", 1, 20});
    EXPECT_EQ(hits.value(), before + 1);  // served from the cache, the same answer
    EXPECT_EQ(boost::json::serialize(second), boost::json::serialize(first));
    auto id = first["items"].as_array()[0].as_object()["id"].as_int64();
    static constexpr pg::Query kReprice{
        "test_reprice", "UPDATE premieres SET price_online = 12300, discount_percent = 0 WHERE id = $1"};
    t.pool.exec(kReprice, pg::Params(id));
    auto third = t.catalog.search({"Маузер", 1, 20});  // the change is visible to the very next search
    EXPECT_EQ(third["items"].as_array()[0].as_object()["price_online_final"].as_int64(), 12300);
    auto suggested_before = t.catalog.suggest("Маузе");  // cached now
    bool listed = false;
    for (const auto& item : suggested_before.at("items").as_array()) listed |= item.at("id").as_int64() == id;
    EXPECT_TRUE(listed);
    static constexpr pg::Query kHide{"test_hide", "UPDATE premieres SET hidden = true WHERE id = $1"};
    t.pool.exec(kHide, pg::Params(id));
    auto ids = [](const boost::json::object& answer) {
        std::vector<int64_t> out;
        for (const auto& item : answer.at("items").as_array()) out.push_back(item.at("id").as_int64());
        return out;
    };
    auto searched = ids(t.catalog.search({"Маузер", 1, 20}));
    auto suggested = ids(t.catalog.suggest("Маузе"));
    EXPECT_EQ(std::count(searched.begin(), searched.end(), id), 0);  // hidden: gone from the cached answers too
    EXPECT_EQ(std::count(suggested.begin(), suggested.end(), id), 0);
}

TEST(CatalogPg, ConcurrentMissesOfOneQueryComputeItOnce) {
    CatalogDb t;
    auto& reg = metrics::Registry::global();
    auto& misses = reg.counter("search_cache_misses_total", "");
    auto& hits = reg.counter("search_cache_hits_total", "");
    auto& joined = reg.counter("search_cache_joined_total", "");
    auto m0 = misses.value(), h0 = hits.value(), j0 = joined.value();
    constexpr int kThreads = 8;
    std::atomic<int> ready{0};
    std::vector<std::string> answers(kThreads);
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (ready < kThreads) std::this_thread::yield();  // all start together
            answers[i] = boost::json::serialize(t.catalog.search({"театр", 1, 20}));
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(misses.value() - m0, 2);  // one computation (the text's and its query's); the others waited or hit
    EXPECT_EQ((hits.value() - h0) + (joined.value() - j0), kThreads - 1);
    for (const auto& a : answers) EXPECT_EQ(a, answers[0]);
    EXPECT_NE(answers[0].find("\"total\":"), std::string::npos);
}

TEST(CatalogPg, InflectedFormsAndACorrectedTypoShareTheRankedPageOfTheirQuery) {
    CatalogDb t;
    auto& reg = metrics::Registry::global();
    auto& misses = reg.counter("search_cache_misses_total", "");
    auto& hits = reg.counter("search_cache_hits_total", "");
    auto items = [](const boost::json::object& a) { return boost::json::serialize(a.at("items")); };
    auto m0 = misses.value(), h0 = hits.value();
    auto inflected = t.catalog.search({"Маузера", 1, 20});
    EXPECT_EQ(misses.value() - m0, 2);  // the text, and its query 'маузер':*
    auto m1 = misses.value(), h1 = hits.value();
    auto plain = t.catalog.search({"маузер", 1, 20});
    EXPECT_EQ(misses.value() - m1, 1);  // a new text…
    EXPECT_EQ(hits.value() - h1, 1);    // …whose query was ranked already
    EXPECT_EQ(items(plain), items(inflected));
    auto m2 = misses.value(), h2 = hits.value();
    auto typo = t.catalog.search({"Маузр", 1, 20});
    EXPECT_EQ(typo.at("did_you_mean").as_string(), "маузер");
    EXPECT_EQ(items(typo), items(inflected));
    EXPECT_EQ(misses.value() - m2, 2);  // the text and its own query 'маузр':* (nothing); the correction hit
    EXPECT_EQ(hits.value() - h2, 1);
    auto other_page = t.catalog.search({"Маузера", 2, 20});  // pages and limits are their own entries
    EXPECT_TRUE(other_page.at("items").as_array().empty());
    EXPECT_EQ(hits.value() - h0, 2);  // no more hits than the two above
}

TEST(CatalogPg, ATypoIsCorrectedButANumberIsKeptAsTyped) {
    CatalogDb t;
    static constexpr pg::Query kRetitle{"test_retitle",
                                        "UPDATE premieres SET title = 'Маузер 1958' WHERE title = 'Маузер'"};
    static constexpr pg::Query kNumbers{"test_numbers",
                                        "SELECT count(*) AS n FROM search_words WHERE word ~ '^[0-9]+$'"};
    ASSERT_EQ(t.pool.exec(kRetitle).affected(), 1);
    EXPECT_EQ(t.pool.exec(kNumbers).int64(0, "n"), 0);
    auto typo = t.catalog.search({"Маузр 1958", 1, 20});
    EXPECT_EQ(typo.at("did_you_mean").as_string(), "маузер 1958");
    ASSERT_FALSE(typo.at("items").as_array().empty());
    EXPECT_EQ(typo.at("items").as_array()[0].at("title").as_string(), "Маузер 1958");
    // Another number is not "corrected" into the title's: nothing matches, and nothing is suggested.
    auto other = t.catalog.search({"Маузер 1959", 1, 20});
    EXPECT_TRUE(other.at("items").as_array().empty());
    EXPECT_TRUE(other.at("did_you_mean").is_null());
}

TEST(CatalogPg, FollowingTheVersionServesCachedAnswersWithoutTheDatabaseAndSeesOtherReplicasChanges) {
    CatalogDb t;
    auto first = t.catalog.search({"Маузер", 1, 20});  // cached now
    auto answer_without_waiting = [&]() -> std::optional<boost::json::object> {
        NoBlockingScope scope;  // as the I/O thread serving the route
        try {
            return t.catalog.search({"Маузер", 1, 20});
        } catch (const WouldBlock&) {
            return std::nullopt;
        }
    };
    // Not following: even a cached answer needs the version from the database.
    EXPECT_FALSE(answer_without_waiting().has_value());
    std::jthread follower([&](const std::stop_token& st) { t.catalog.follow_version(t.db.dsn(), st); });
    std::optional<boost::json::object> cached;
    for (int i = 0; i < 100 && !cached; ++i) {
        cached = answer_without_waiting();
        if (!cached) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(cached.has_value()) << "never followed the version";
    EXPECT_EQ(boost::json::serialize(*cached), boost::json::serialize(first));
    // Another replica (here: plain SQL) changes the price: the notification makes the cached answer stale.
    auto id = first["items"].as_array()[0].as_object()["id"].as_int64();
    static constexpr pg::Query kReprice{
        "test_reprice_follow", "UPDATE premieres SET price_online = 45600, discount_percent = 0 WHERE id = $1"};
    t.pool.exec(kReprice, pg::Params(id));
    bool stale = false;
    for (int i = 0; i < 100 && !stale; ++i) {
        stale = !answer_without_waiting().has_value();  // a miss now: it needs the database
        if (!stale) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(stale) << "the change was never noticed";
    auto fresh = t.catalog.search({"Маузер", 1, 20});
    EXPECT_EQ(fresh["items"].as_array()[0].as_object()["price_online_final"].as_int64(), 45600);
    auto again = answer_without_waiting();  // and cached again, at the new version
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(boost::json::serialize(*again), boost::json::serialize(fresh));
}

TEST(CatalogPg, SearchPagesAreKeptUntilTheCatalogChangesOrADiscountOnThePageEnds) {
    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 2}};
    {
        auto c = pool.acquire();
        pg::migrate(*c,
                    {{"premieres", CHANCE_PREMIERES_DIR "/migrations"}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
    }
    seed_demo_catalog(pool, CHANCE_PREMIERES_DIR "/seed");
    time::ManualClock clock(std::chrono::system_clock::now());
    Catalog catalog(pool, clock);
    auto id = pool.exec({"mid_page", "SELECT id FROM premieres WHERE slug = 'mauser'"}).int64(0, "id");
    static constexpr pg::Query kDiscount{"test_page_discount",
                                         "UPDATE premieres SET price_online = 100000, discount_percent = 50, "
                                         "discount_until = now() + interval '1 hour' WHERE id = $1"};
    pool.exec(kDiscount, pg::Params(id));
    auto price_of_mauser = [&](const Catalog::Page& page) {
        auto parsed = boost::json::parse(page.body);  // held: a range-for over a temporary's member dangles
        for (const auto& item : parsed.at("items").as_array())
            if (item.at("id").as_int64() == id) return item.at("price_online_final").as_int64();
        return int64_t{-1};
    };
    auto first = catalog.search_page({"Маузер", 1, 20});
    EXPECT_EQ(first->body, boost::json::serialize(catalog.search({"Маузер", 1, 20})));
    EXPECT_EQ(price_of_mauser(*first), 50000);
    EXPECT_EQ(catalog.search_page({"Маузер", 1, 20}).get(), first.get());  // kept
    clock.advance(std::chrono::minutes(61));  // the discount has ended: the page is built again
    auto after_discount = catalog.search_page({"Маузер", 1, 20});
    EXPECT_NE(after_discount.get(), first.get());
    EXPECT_EQ(price_of_mauser(*after_discount), 100000);
    EXPECT_NE(after_discount->etag, first->etag);
    static constexpr pg::Query kReprice{"test_page_reprice", "UPDATE premieres SET price_online = 77700 WHERE id = $1"};
    pool.exec(kReprice, pg::Params(id));
    EXPECT_EQ(price_of_mauser(*catalog.search_page({"Маузер", 1, 20})), 77700);  // a change shows at once
}

TEST(CatalogPg, PostingsRankExactlyAsTsRankCdAndFollowEveryChange) {
    CatalogDb t;
    // Every visible premiere has one posting per lexeme of its document, scored as ts_rank_cd scores that
    // lexeme alone; hidden premieres have none.
    static constexpr pg::Query kMismatches{
        "test_postings_mismatches",
        "SELECT (SELECT count(*) FROM premieres p, unnest(p.search_document) u WHERE NOT p.hidden AND NOT EXISTS ("
        "          SELECT 1 FROM search_postings s WHERE s.premiere_id = p.id AND s.lexeme = u.lexeme"
        "          AND abs(s.score - ts_rank_cd(p.search_document, quote_literal(u.lexeme)::tsquery)) < 1e-6))"
        "     + (SELECT count(*) FROM search_postings s JOIN premieres p ON p.id = s.premiere_id"
        "        WHERE p.hidden OR NOT p.search_document @@ quote_literal(s.lexeme)::tsquery) AS n"};
    auto mismatches = [&] { return t.pool.exec(kMismatches).int64(0, "n"); };
    EXPECT_EQ(mismatches(), 0);
    // A search answers as ranking every matching document would, whatever the shape of its query (one lexeme,
    // a prefix covering several, two words of which the second covers one lexeme or several, three words): the
    // premieres having every term, by the sum over the terms of ts_rank_cd of the term alone.
    static constexpr pg::Query kReference{
        "test_search_reference",
        "SELECT coalesce(string_agg(id::text, ',' ORDER BY r DESC, id), '') AS ids, max(total) AS total FROM ("
        "  SELECT p.id, count(*) OVER () AS total, (SELECT sum(ts_rank_cd(p.search_document, m[1]::tsquery))"
        "    FROM regexp_matches(q::text, '(''(?:[^'']|'''')*''(?::\\*)?)', 'g') AS m) AS r"
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

TEST(CatalogPg, SuggestReadsTitlesByPrefixThenTheBestWordMatches) {
    CatalogDb t;
    // The curated catalog plus 300 premieres whose titles start with «Сад»: the titles fill every place.
    static constexpr pg::Query kMany{
        "test_many_titles",
        "INSERT INTO premieres (slug, title, theatre, director, duration_minutes, description_short, "
        "description_full, price_theatre, price_online, reservable_from, reservable_until) "
        "SELECT 'sad-' || g, 'Сад номер ' || g, 'Театр', 'Режиссёр', 90, 'О саде.', 'О саде.', 100, 100, now(), "
        "now() + interval '30 days' FROM generate_series(1, 300) AS g"};
    t.pool.exec(kMany);
    auto titles = [&](const std::string& prefix) {
        std::vector<std::string> out;
        auto answer = t.catalog.suggest(prefix);
        for (const auto& item : answer.at("items").as_array()) out.emplace_back(item.at("title").as_string());
        return out;
    };
    auto sad = titles("сад ном");
    ASSERT_EQ(sad.size(), 8u);
    EXPECT_EQ(sad.front(), "Сад номер 1");
    EXPECT_EQ(sad[1], "Сад номер 10");  // code-point order of the lowercase title
    // No title starts with «Маргарит»: the premiere with the word in its title comes first.
    auto margarita = titles("Маргарит");
    ASSERT_FALSE(margarita.empty());
    EXPECT_EQ(margarita.front(), "Мастер и Маргарита");
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
}
}  // namespace

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
