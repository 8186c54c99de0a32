#include "catalog_db.hpp"

using namespace chance;
using namespace chance::premieres;
using chance::premieres::testing::CatalogDb;
using chance::premieres::testing::contains;

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
