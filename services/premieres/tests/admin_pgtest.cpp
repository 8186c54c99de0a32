// The admin API against real PostgreSQL: authorization, create/update/hide with validation and optimistic
// versions, the history it leaves, and that search and prices see every change at once.
#include <boost/json.hpp>

#include "chance/pg/migrations.hpp"
#include "pgtest.hpp"
#include "premieres/catalog.hpp"
#include "premieres/catalog/routes.hpp"

using namespace chance;
using namespace chance::premieres;

namespace {
struct AdminDb {
    pgtest::TempDatabase db;
    pg::Pool pool{db.dsn(), {.size = 4}};
    time::SystemClock clock;
    Catalog catalog{pool, clock};
    CatalogAdmin admin{pool};
    http::Router router;

    AdminDb() {
        auto c = pool.acquire();
        pg::migrate(*c,
                    {{"premieres", CHANCE_PREMIERES_DIR "/migrations"}, {"messaging", CHANCE_MESSAGING_MIGRATIONS}});
        seed_demo_catalog(pool, CHANCE_PREMIERES_DIR "/seed");
        install_catalog(router, catalog);
        install_admin(router, admin);
    }
    http::Response call(const std::string& method, const std::string& target, const std::string& body = "",
                        const std::string& role = "admin") {
        http::Request req;
        req.method = method;
        req.target = target;
        auto q = target.find('?');
        req.path = http::percent_decode(target.substr(0, q), false);
        if (q != std::string::npos) req.query = http::parse_query(target.substr(q + 1));
        req.body = body;
        if (!role.empty()) {
            req.context["user_id"] = role == "admin" ? "admin-1" : "customer-1";
            req.context["role"] = role;
        }
        return router.handle(req);
    }
    boost::json::object json(const http::Response& r) { return boost::json::parse(r.body).as_object(); }
    int64_t premieres(bool hidden_only = false) {
        static constexpr pg::Query kCount{"test_count_premieres",
                                          "SELECT count(*) AS n FROM premieres WHERE hidden OR NOT $1::boolean"};
        return pool.exec(kCount, pg::Params(hidden_only)).int64(0, "n");
    }
    std::vector<std::string> found(const std::string& q) {
        std::vector<std::string> out;
        auto result = catalog.search({q, 1, 50});
        for (auto& i : result["items"].as_array()) out.emplace_back(i.as_object().at("title").as_string());
        return out;
    }
};

const char* kNew = R"({
  "slug": "venetsianskiy-kupets", "title": "Венецианский купец", "theatre": "Театр на Малой Бронной",
  "director": "Константин Богомолов", "age_rating": "18+", "duration_minutes": 150,
  "description_short": "Шекспир о долге, мести и цене фунта плоти.", "description_full": "Полное описание.",
  "price_theatre": 400000, "price_online": 59900, "base_period_hours": 24,
  "periods": [{"hours": 24, "factor": "1"}, {"hours": 48, "factor": "1.5"}],
  "reservable_from": "2026-01-01T00:00:00Z", "reservable_until": "2030-01-01T00:00:00Z",
  "cast": [{"actor": "Игорь Миркурбанов", "role": "Шейлок"}]
})";

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}
}  // namespace

TEST(AdminPg, OnlyAdminsGetIn) {
    AdminDb t;
    for (auto [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/admin/premieres"},
                                                          {"POST", "/api/v1/admin/premieres"},
                                                          {"GET", "/api/v1/admin/premieres/1"},
                                                          {"PATCH", "/api/v1/admin/premieres/1"},
                                                          {"GET", "/api/v1/admin/premieres/1/history"}}) {
        EXPECT_EQ(t.call(method, target, "{}", "").status, 401) << target;
        EXPECT_EQ(t.call(method, target, "{}", "customer").status, 403) << target;
    }
    auto hidden_before = t.premieres(true);
    auto all = t.json(t.call("GET", "/api/v1/admin/premieres?limit=50"));
    EXPECT_EQ(all.at("total").as_int64(), t.premieres());
    EXPECT_GT(hidden_before, 0);  // the admin list shows hidden premieres too
    auto mauser = t.json(t.call("GET", "/api/v1/admin/premieres?q=%D0%BC%D0%B0%D1%83%D0%B7"));  // "мауз"
    ASSERT_FALSE(mauser.at("items").as_array().empty());
    for (auto& item : mauser.at("items").as_array())  // a title filter: every hit has "мауз" in its title
        EXPECT_NE(std::string(item.at("title").as_string()).find("Мауз"), std::string::npos);
}

TEST(AdminPg, CreatesAPremiereThatSearchFindsAtOnceAndRejectsBadOnesWithoutWriting) {
    AdminDb t;
    auto before = t.premieres();
    auto bad = boost::json::parse(kNew).as_object();
    bad["price_online"] = -100;
    bad["discount_percent"] = 150;
    auto r = t.call("POST", "/api/v1/admin/premieres", boost::json::serialize(bad));
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("price_online"), std::string::npos);
    EXPECT_NE(r.body.find("discount_percent"), std::string::npos);
    EXPECT_EQ(t.call("POST", "/api/v1/admin/premieres", "not json").status, 400);
    EXPECT_EQ(t.premieres(), before);

    auto created = t.call("POST", "/api/v1/admin/premieres", kNew);
    ASSERT_EQ(created.status, 201) << created.body;
    auto p = t.json(created);
    EXPECT_EQ(p.at("version").as_int64(), 1);
    EXPECT_TRUE(has(t.found("купец"), "Венецианский купец"));
    EXPECT_TRUE(has(t.found("Миркурбанов"), "Венецианский купец"));
    auto quote = t.catalog.rent_quote(p.at("id").as_int64(), 48);
    EXPECT_EQ(quote.at("total").as_int64(), 89850);                // 599,00 ₽ × 1.5
    auto again = t.call("POST", "/api/v1/admin/premieres", kNew);  // the same slug
    EXPECT_EQ(again.status, 422);
    EXPECT_NE(again.body.find("\"slug\""), std::string::npos);
    auto history =
        t.json(t.call("GET", "/api/v1/admin/premieres/" + std::to_string(p.at("id").as_int64()) + "/history"));
    ASSERT_EQ(history.at("items").as_array().size(), 1u);
    EXPECT_EQ(history.at("items").as_array()[0].at("type").as_string(), "created");
    EXPECT_EQ(history.at("items").as_array()[0].at("payload").at("actor").as_string(), "admin-1");
}

TEST(AdminPg, UpdatesPricesWithTheVersionItWasReadAtAndKeepsTheHistory) {
    AdminDb t;
    auto p = t.json(t.call("POST", "/api/v1/admin/premieres", kNew));
    auto path = "/api/v1/admin/premieres/" + std::to_string(p.at("id").as_int64());
    // Read (and so cached) before the change: the cache must not keep the old price afterwards.
    EXPECT_EQ(t.catalog.premiere(p.at("id").as_int64()).at("price_online").as_int64(), 59900);
    EXPECT_EQ(t.catalog.rent_quote(p.at("id").as_int64(), 24).at("total").as_int64(), 59900);
    auto r = t.call("PATCH", path, R"({"version": 1, "price_online": 69900, "discount_percent": 20})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(t.json(r).at("version").as_int64(), 2);
    EXPECT_EQ(t.catalog.premiere(p.at("id").as_int64()).at("price_online_final").as_int64(), 55920);
    auto quote = t.catalog.rent_quote(p.at("id").as_int64(), 24);
    EXPECT_EQ(quote.at("total").as_int64(), 55920);  // 699,00 − 20 %

    auto stale = t.call("PATCH", path, R"({"version": 1, "price_online": 100})");
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(t.json(t.call("GET", path)).at("price_online").as_int64(), 69900);  // unchanged
    EXPECT_EQ(t.call("PATCH", path, R"({"version": 2, "price_online": -5})").status, 422);
    EXPECT_EQ(t.call("PATCH", path, R"({"version": 2, "colour": "red"})").status, 422);
    EXPECT_EQ(t.call("PATCH", path, R"({"price_online": 5})").status, 422);  // no version
    EXPECT_EQ(t.call("PATCH", "/api/v1/admin/premieres/999999", R"({"version": 1})").status, 404);
    auto same = t.call("PATCH", path, R"({"version": 2, "price_online": 69900})");  // no change: no new version
    EXPECT_EQ(t.json(same).at("version").as_int64(), 2);

    auto history_json = t.json(t.call("GET", path + "/history"));
    const auto& history = history_json.at("items").as_array();
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].at("type").as_string(), "price_changed");
    EXPECT_EQ(history[0].at("payload").at("old").at("price_online").as_int64(), 59900);
    EXPECT_EQ(history[0].at("payload").at("new").at("price_online").as_int64(), 69900);
    EXPECT_EQ(history[0].at("payload").at("actor").as_string(), "admin-1");
}

TEST(AdminPg, PeriodsCastAndHidingReachTheStorefront) {
    AdminDb t;
    auto p = t.json(t.call("POST", "/api/v1/admin/premieres", kNew));
    auto id = p.at("id").as_int64();
    auto path = "/api/v1/admin/premieres/" + std::to_string(id);
    auto r =
        t.call("PATCH", path, R"({"version": 1, "periods": [{"hours": 24, "factor": "1"}, {"hours": 72, "factor": "2"}],
                                      "cast": [{"actor": "Александра Ребенок", "role": "Порция"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(t.catalog.rent_quote(id, 72).at("total").as_int64(), 119800);
    EXPECT_THROW(t.catalog.rent_quote(id, 48), Problem);  // no longer allowed
    EXPECT_TRUE(has(t.found("Ребенок"), "Венецианский купец"));
    EXPECT_FALSE(has(t.found("Миркурбанов"), "Венецианский купец"));

    EXPECT_EQ(t.call("GET", "/api/v1/premiere/" + std::to_string(id), "", "").status, 200);  // now cached
    r = t.call("PATCH", path, R"({"version": 2, "hidden": true})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(has(t.found("купец"), "Венецианский купец"));
    EXPECT_EQ(t.call("GET", "/api/v1/premiere/" + std::to_string(id), "", "").status, 404);
    EXPECT_EQ(t.call("GET", path).status, 200);  // the admin still sees it

    std::vector<std::string> types;
    auto history = t.json(t.call("GET", path + "/history"));
    for (auto& e : history.at("items").as_array()) types.emplace_back(e.at("type").as_string());
    EXPECT_EQ(types, (std::vector<std::string>{"hidden", "cast_changed", "periods_changed", "created"}));
}
