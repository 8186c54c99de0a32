// Two gateways on one database: the limits and the login lockout are the cluster's, not each replica's.
#include <thread>

#include "chance/pg/migrations.hpp"
#include "gateway/limits.hpp"
#include "pgtest.hpp"

using namespace chance;
using namespace chance::gateway;

namespace {
struct Gateways {
    pgtest::TempDatabase db;
    pg::Pool pool_one{db.dsn(), {.size = 2}};
    pg::Pool pool_two{db.dsn(), {.size = 2}};
    Gateways() {
        auto c = pool_one.acquire();
        pg::migrate(*c, {{"gateway", CHANCE_GATEWAY_DIR "/migrations"}});
    }
};

struct Replica {
    std::shared_ptr<WindowLimiter> api;
    LimitFlusher flusher;
    Replica(pg::Pool& pool, double rate, double burst)
        : api(std::make_shared<WindowLimiter>("api", rate, burst)), flusher(pool, {api}) {}
};

// The middle of the current window of `l`: the rows stay until the purge may delete them, and the test does not
// straddle two windows.
WindowLimiter::Clock::time_point mid_window(const WindowLimiter& l) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(WindowLimiter::Clock::now().time_since_epoch());
    return WindowLimiter::Clock::time_point((now / l.window()) * l.window() + l.window() / 2);
}

// Requests from `key` alternating between the replicas, a flush of both every `per_flush` requests.
int allowed_through(Replica& one, Replica& two, const std::string& key, int tries, int per_flush,
                    WindowLimiter::Clock::time_point at) {
    int n = 0;
    for (int i = 0; i < tries; ++i) {
        n += (i % 2 == 0 ? one : two).api->take(key, at) == 0 ? 1 : 0;
        if ((i + 1) % per_flush == 0) {
            EXPECT_TRUE(one.flusher.flush());
            EXPECT_TRUE(two.flusher.flush());
        }
    }
    return n;
}
}  // namespace

TEST(GatewayLimitsPg, TwoGatewaysShareOneAllowance) {
    Gateways g;
    Replica one(g.pool_one, 20, 100);
    Replica two(g.pool_two, 20, 100);
    auto t = mid_window(*one.api);
    // 10 requests per flush interval: the cluster may overshoot by what the replicas take between flushes.
    int n = allowed_through(one, two, "addr:198.51.100.9", 400, 10, t);
    EXPECT_GE(n, 100);
    EXPECT_LE(n, 110);
    // A key's count reached the table: one row, the cluster's total.
    auto r = g.pool_one.exec({"t", "SELECT n FROM rate_limit_windows WHERE name = 'api/5000' AND key = $1"},
                             pg::Params("addr:198.51.100.9"));
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.int64(0, "n"), n);
    // Another key is untouched, on either replica.
    EXPECT_EQ(allowed_through(one, two, "user:42", 100, 10, t), 100);
}

TEST(GatewayLimitsPg, WithoutFlushesEachReplicaHasItsOwnAllowance) {
    Gateways g;
    Replica one(g.pool_one, 20, 100);
    Replica two(g.pool_two, 20, 100);
    auto t = mid_window(*one.api);
    EXPECT_EQ(allowed_through(one, two, "addr:1", 400, 1000, t), 200);  // the fallback without a database
}

TEST(GatewayLimitsPg, OldWindowsAreDeletedAndAnUnreachableDatabaseIsNotAnError) {
    Gateways g;
    Replica one(g.pool_one, 20, 100);
    EXPECT_EQ(one.api->take("addr:1", WindowLimiter::Clock::now() - std::chrono::hours(1)), 0);
    EXPECT_TRUE(one.flusher.flush());  // pushes the old window and deletes it
    EXPECT_EQ(g.pool_one.exec({"c", "SELECT count(*) AS n FROM rate_limit_windows"}).int64(0, "n"), 0);

    pg::Pool gone("postgresql://chance@127.0.0.1:1/none", {.size = 1,
                                                           .acquire_timeout = std::chrono::milliseconds(200),
                                                           .connect_timeout = std::chrono::milliseconds(200)});
    Replica lonely(gone, 20, 100);
    EXPECT_EQ(lonely.api->take("addr:1"), 0);
    EXPECT_FALSE(lonely.flusher.flush());
    EXPECT_EQ(lonely.api->take("addr:1"), 0);
}

TEST(GatewayLimitsPg, ALockoutSetOnOneGatewayHoldsOnTheOther) {
    Gateways g;
    SharedLoginGuard one(g.pool_one);
    SharedLoginGuard two(g.pool_two);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ((i % 2 == 0 ? one : two).retry_after("anna@example.ru", "198.51.100.9"), 0);
        (i % 2 == 0 ? one : two).failed("anna@example.ru", "198.51.100.9");
    }
    two.failed("anna@example.ru", "198.51.100.9");
    EXPECT_GE(one.retry_after("anna@example.ru", "203.0.113.1"), 1);  // the account, from any address
    EXPECT_EQ(one.retry_after("boris@example.ru", "203.0.113.1"), 0);
    for (int i = 0; i < 4; ++i) one.failed("anna@example.ru", "198.51.100.9");
    EXPECT_GE(two.retry_after("anna@example.ru", "203.0.113.1"), 800);  // ten failures: locked for 15 min
    // The lockout ends 15 minutes after the last failure.
    g.pool_one.exec({"age", "UPDATE login_failures SET failed_at = failed_at - interval '16 minutes'"});
    EXPECT_EQ(two.retry_after("anna@example.ru", "203.0.113.1"), 0);
    // A success forgets the account's failures on every replica; the address keeps its (quarter) count.
    one.failed("anna@example.ru", "198.51.100.9");
    EXPECT_GE(two.retry_after("anna@example.ru", "203.0.113.1"), 800);
    two.succeeded("anna@example.ru");
    EXPECT_EQ(one.retry_after("anna@example.ru", "203.0.113.1"), 0);
}

TEST(GatewayLimitsPg, AnAddressIsLockedAfterFourTimesTheFailures) {
    Gateways g;
    SharedLoginGuard one(g.pool_one);
    SharedLoginGuard two(g.pool_two);
    for (int i = 0; i < 40; ++i)
        (i % 2 == 0 ? one : two).failed("customer-" + std::to_string(i) + "@example.ru", "198.51.100.9");
    EXPECT_GE(one.retry_after("new@example.ru", "198.51.100.9"), 800);
    EXPECT_EQ(one.retry_after("new@example.ru", "198.51.100.10"), 0);
}
