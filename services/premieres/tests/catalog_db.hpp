#pragma once
// The catalog over a throwaway database with the demo catalog, for the catalog's and the search index's
// PostgreSQL tests (catalog_pgtest.cpp, search_index_pgtest.cpp).
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

namespace chance::premieres::testing {

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

inline bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace chance::premieres::testing
