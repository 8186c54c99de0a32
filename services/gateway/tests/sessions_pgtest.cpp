// Two gateways on one database: each answers the sessions it has seen from memory, and hears of every change
// to one (logout, a new time zone) by LISTEN; without that, every lookup reads the table.
#include <thread>

#include "chance/pg/migrations.hpp"
#include "gateway/sessions.hpp"
#include "pgtest.hpp"

using namespace chance;
using namespace chance::gateway;

namespace {
struct Gateway {
    pg::Pool pool;
    Sessions sessions{pool};
    std::jthread follower;
    explicit Gateway(const std::string& dsn) : pool(dsn, {.size = 2}) { start(dsn); }
    void start(const std::string& dsn) {
        follower = std::jthread([this, dsn](const std::stop_token& st) { sessions.follow(dsn, st); });
    }
    void stop() {
        follower.request_stop();
        follower.join();
    }
};

bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds within = std::chrono::seconds(10)) {
    auto end = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return pred();
}

struct TwoGateways : ::testing::Test {
    pgtest::TempDatabase db;
    std::unique_ptr<Gateway> one, two;
    pg::Pool admin{db.dsn(), {.size = 1}};
    void SetUp() override {
        {
            auto c = admin.acquire();
            pg::migrate(*c, {{"gateway", CHANCE_GATEWAY_DIR "/migrations"}});
        }
        one = std::make_unique<Gateway>(db.dsn());
        two = std::make_unique<Gateway>(db.dsn());
        ASSERT_TRUE(eventually([&] { return one->sessions.trusted() && two->sessions.trusted(); }));
    }
    // Deletes the row behind the gateways' backs, its trigger off (no notification): only a read notices.
    void delete_silently(const NewSession& s) {
        auto c = admin.acquire();
        c->exec_script("SET session_replication_role = replica");
        c->exec(pg::Query{"t_delete", "DELETE FROM sessions WHERE id = $1"}, pg::Params(s.session.id_hash));
        c->exec_script("SET session_replication_role = DEFAULT");
    }
};
}  // namespace

TEST_F(TwoGateways, AKnownSessionIsAnsweredFromMemory) {
    auto s = one->sessions.create("u1", "customer", "Europe/Moscow", false);
    ASSERT_TRUE(two->sessions.find(s.token));
    delete_silently(s);
    // Gateway two kept it: no read of the table, so the silent delete goes unseen.
    auto kept = two->sessions.find(s.token);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->user_id, "u1");
    EXPECT_EQ(kept->csrf_token, s.session.csrf_token);
    // Gateway one never looked it up: it reads the table and finds nothing.
    EXPECT_FALSE(one->sessions.find(s.token));
    EXPECT_FALSE(two->sessions.find("not-a-token"));
}

TEST_F(TwoGateways, ALogoutOnOneGatewayEndsTheSessionOnTheOther) {
    auto s = one->sessions.create("u2", "customer", "Europe/Moscow", false);
    ASSERT_TRUE(one->sessions.find(s.token));
    ASSERT_TRUE(two->sessions.find(s.token));
    ASSERT_TRUE(two->sessions.find(s.token));
    auto started = std::chrono::steady_clock::now();
    one->sessions.destroy(s.token);
    EXPECT_FALSE(one->sessions.find(s.token));  // its own memory at once
    EXPECT_TRUE(eventually([&] { return !two->sessions.find(s.token); }));
    auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    std::printf("logout seen by the other gateway after %.1f ms\n", took);
    // Gone from memory, not merely hidden: a silent re-insert of the row would be found again only by a read.
    EXPECT_EQ(two->sessions.kept(), 0u);
}

TEST_F(TwoGateways, AnOperatorsChangeToTheTableReachesEveryGateway) {
    auto s = one->sessions.create("u6", "customer", "Europe/Moscow", false);
    auto idle = one->sessions.create("u7", "customer", "Europe/Moscow", false);
    auto active = one->sessions.create("u8", "customer", "Europe/Moscow", false);
    for (auto* t : {&s.token, &idle.token, &active.token}) ASSERT_TRUE(two->sessions.find(*t));
    admin.exec(pg::Query{"t_expire", "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1"},
               pg::Params(s.session.id_hash));
    admin.exec(pg::Query{"t_idle", "UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = $1"},
               pg::Params(idle.session.id_hash));
    EXPECT_TRUE(eventually([&] { return !two->sessions.find(s.token) && !two->sessions.find(idle.token); }));
    // Recording activity (last_seen_at forward) is not a change: the session stays in memory.
    admin.exec(pg::Query{"t_touch", "UPDATE sessions SET last_seen_at = now() WHERE id = $1"},
               pg::Params(active.session.id_hash));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(two->sessions.kept(), 1u);
    EXPECT_TRUE(two->sessions.find(active.token));
}

TEST_F(TwoGateways, ANewTimeZoneReachesTheOtherGateway) {
    auto s = one->sessions.create("u3", "customer", "Europe/Moscow", true);
    ASSERT_EQ(two->sessions.find(s.token)->time_zone, "Europe/Moscow");
    one->sessions.update_time_zone(s.session.id_hash, "Asia/Vladivostok");
    EXPECT_TRUE(eventually([&] {
        auto found = two->sessions.find(s.token);
        return found && found->time_zone == "Asia/Vladivostok";
    }));
}

TEST_F(TwoGateways, WithoutItsListenerAGatewayReadsTheTableEveryTime) {
    auto s = one->sessions.create("u4", "customer", "Europe/Moscow", false);
    ASSERT_TRUE(two->sessions.find(s.token));
    two->stop();
    EXPECT_FALSE(two->sessions.trusted());
    EXPECT_EQ(two->sessions.kept(), 0u);
    delete_silently(s);
    EXPECT_FALSE(two->sessions.find(s.token));
    // Back: it listens again and starts from an empty memory.
    auto again = one->sessions.create("u4", "customer", "Europe/Moscow", false);
    two->start(db.dsn());
    ASSERT_TRUE(eventually([&] { return two->sessions.trusted(); }));
    ASSERT_TRUE(two->sessions.find(again.token));
    EXPECT_EQ(two->sessions.kept(), 1u);
}

TEST_F(TwoGateways, AListenerCutOffByTheServerStopsTheMemoryUntilItIsBack) {
    auto s = one->sessions.create("u5", "customer", "Europe/Moscow", false);
    ASSERT_TRUE(two->sessions.find(s.token));
    // The server ends the listening connections (as a failover does).
    admin.exec(pg::Query{"t_kill_listeners",
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE query LIKE '%pg_is_in_recovery%' AND pid <> pg_backend_pid()"});
    ASSERT_TRUE(eventually([&] { return two->sessions.kept() == 0; }));
    delete_silently(s);
    EXPECT_FALSE(two->sessions.find(s.token));
    EXPECT_TRUE(eventually([&] { return two->sessions.trusted(); }));
}
