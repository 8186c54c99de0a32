#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/pg/pg.hpp"
#include "pgtest.hpp"

using namespace chance;
using namespace std::chrono_literals;

TEST(PoolPg, RunsNamedQueriesWithParameters) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 2});
    static constexpr pg::Query kAdd{"add", "SELECT $1::bigint + $2::bigint AS s, $3::text AS t, $4::text IS NULL AS n"};
    auto r = pool.exec(kAdd, pg::Params(int64_t{40}, 2, std::string("Маузер'; DROP TABLE x; --"), nullptr));
    EXPECT_EQ(r.int64(0, "s"), 42);
    EXPECT_EQ(r.text(0, "t"), "Маузер'; DROP TABLE x; --");
    EXPECT_TRUE(r.boolean(0, "n"));
}

// What text_array makes, PostgreSQL reads back element by element, whatever the elements hold.
TEST(PoolPg, ATextArrayReachesPostgresElementByElement) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1});
    static constexpr pg::Query kElements{"elements",
                                         "SELECT e, n FROM unnest($1::text[]) WITH ORDINALITY AS u(e, n) ORDER BY n"};
    std::vector<std::string> items{
        "plain", "with \"quotes\"", "back\\slash", "a,b", "{braces}", "", "NULL", "Маузер 2026-12-07T09:00:00Z"};
    auto r = pool.exec(kElements, pg::Params(pg::text_array(items)));
    ASSERT_EQ(r.rows(), static_cast<int>(items.size()));
    for (int i = 0; i < r.rows(); ++i) EXPECT_EQ(r.opt_text(i, "e"), items[static_cast<size_t>(i)]) << i;
    EXPECT_EQ(pool.exec(kElements, pg::Params(pg::text_array({}))).rows(), 0);
}

TEST(PoolPg, ExhaustionWaitsThenTimesOutCleanly) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1, .acquire_timeout = 300ms});
    auto held = pool.acquire();
    // NOLINTNEXTLINE(clang-analyzer-deadcode.DeadStores): read after the catch (the analyzer does not follow throws)
    auto start = std::chrono::steady_clock::now();
    try {
        pool.acquire();
        FAIL() << "expected Unavailable";
    } catch (const pg::Unavailable& e) {
        EXPECT_EQ(e.status(), 503);
    }
    EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
    // A waiter gets the connection as soon as it is returned.
    auto waiter = std::async(std::launch::async, [&] { return pool.exec({"one", "SELECT 1 AS x"}).int64(0, "x"); });
    std::this_thread::sleep_for(50ms);
    { auto release = std::move(held); }
    EXPECT_EQ(waiter.get(), 1);
}

TEST(PoolPg, TypedErrors) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 2});
    pool.acquire()->exec_script("CREATE TABLE t (id int PRIMARY KEY, n int CHECK (n >= 0))");
    static constexpr pg::Query kIns{"ins", "INSERT INTO t VALUES ($1, $2)"};
    pool.exec(kIns, pg::Params(1, 1));
    EXPECT_THROW(pool.exec(kIns, pg::Params(1, 1)), pg::UniqueViolation);
    EXPECT_THROW(pool.exec(kIns, pg::Params(2, -1)), pg::CheckViolation);
}

TEST(PoolPg, SerializationFailureIsRetried) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 4});
    pool.acquire()->exec_script("CREATE TABLE c (id int PRIMARY KEY, n int); INSERT INTO c VALUES (1, 0)");
    static constexpr pg::Query kRead{"read", "SELECT n FROM c WHERE id = 1"};
    static constexpr pg::Query kWrite{"write", "UPDATE c SET n = $1 WHERE id = 1"};
    std::atomic<int> attempts{0};
    std::latch both_read(2);
    auto worker = [&] {
        bool first = true;
        pool.transact(
            [&](pg::Transaction& tx) {
                ++attempts;
                auto n = tx.exec(kRead).int64(0, "n");
                if (first) {  // make the two transactions overlap for certain
                    first = false;
                    both_read.arrive_and_wait();
                }
                tx.exec(kWrite, pg::Params(n + 1));
            },
            pg::Transaction::Isolation::serializable, 5);
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    EXPECT_EQ(pool.exec(kRead).int64(0, "n"), 2);  // no lost update
    EXPECT_EQ(attempts.load(), 3);                 // exactly one transaction was retried
}

TEST(PoolPg, WarmingOpensEveryConnectionEvenWhileOneIsHeld) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 3, .acquire_timeout = 300ms});
    static constexpr pg::Query kBackends{
        "backends", "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()"};
    auto held = pool.acquire();  // busy, as a start-up hook's connection is
    pool.warm();                 // does not wait for it
    EXPECT_EQ(held->exec(kBackends).int64(0, "n"), 3);
    pool.warm();  // full already: nothing more
    EXPECT_EQ(held->exec(kBackends).int64(0, "n"), 3);
    // The warmed connections are handed out without connecting.
    auto a = pool.acquire();
    auto b = pool.acquire();
    EXPECT_EQ(a->exec(kBackends).int64(0, "n"), 3);
    EXPECT_THROW(pool.acquire(), pg::Unavailable);  // all three are out
}

TEST(PoolPg, UnreachableServerIsUnavailable) {
    pg::Pool pool("postgresql://nobody@127.0.0.1:1/none", {.size = 1, .connect_timeout = 500ms});
    EXPECT_FALSE(pool.ping());
    EXPECT_THROW(pool.acquire(), pg::Unavailable);
    EXPECT_THROW(pool.warm(), pg::Unavailable);
}

TEST(PoolPg, NoConnectionIsTakenWhereWaitingIsForbidden) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1});
    {
        NoBlockingScope scope;  // as on an HTTP I/O thread serving a non-blocking route
        EXPECT_THROW(pool.exec({"one", "SELECT 1 AS x"}), WouldBlock);
    }
    EXPECT_EQ(pool.exec({"one", "SELECT 1 AS x"}).int64(0, "x"), 1);
}

TEST(ListenerPg, DeliversPayloadsTimesOutQuietlyAndReportsALostConnection) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1});
    pg::Listener listener(db.dsn(), "things_changed");
    EXPECT_TRUE(listener.wait(50ms).empty());
    pool.exec({"notify", "SELECT pg_notify('things_changed', $1)"}, pg::Params(std::string("7")));
    pool.exec({"notify", "SELECT pg_notify('things_changed', $1)"}, pg::Params(std::string("8")));
    std::vector<std::string> got;
    for (int i = 0; i < 20 && got.size() < 2; ++i)
        for (auto& p : listener.wait(250ms)) got.push_back(p);
    EXPECT_EQ(got, (std::vector<std::string>{"7", "8"}));
    pool.exec({"notify_other", "SELECT pg_notify('other_channel', 'x')"});
    EXPECT_TRUE(listener.wait(100ms).empty());
    auto pid = listener.connection().exec({"pid", "SELECT pg_backend_pid() AS pid"}).int64(0, "pid");
    pool.exec({"kill", "SELECT pg_terminate_backend($1::int)"}, pg::Params(pid));
    EXPECT_THROW(
        {
            for (int i = 0; i < 20; ++i) listener.wait(250ms);
        },
        pg::Unavailable);
    EXPECT_THROW(pg::Listener(db.dsn(), "bad; DROP TABLE x"), std::invalid_argument);
}

namespace {
int64_t backend_pid(pg::Pool& pool) { return pool.exec({"pid", "SELECT pg_backend_pid() AS pid"}).int64(0, "pid"); }
}  // namespace

// A failover kills the primary's backends: the pool drops the dead idle connections at checkout and connects
// again, so the first request after the failover does not fail on a stale connection.
TEST(PoolPg, AnIdleConnectionWhoseServerWentAwayIsDroppedAtCheckout) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1});
    auto first = backend_pid(pool);
    pg::Pool admin(db.dsn(), {.size = 1});
    admin.exec({"kill", "SELECT pg_terminate_backend($1::int)"}, pg::Params(first));
    std::this_thread::sleep_for(100ms);  // the server's FATAL message and EOF reach the idle socket
    auto second = backend_pid(pool);
    EXPECT_NE(second, first);
}

// A primary demoted to a standby answers writes with 25006: 503 for the caller, and the connection is never
// handed out again (the next checkout connects anew, to the primary).
TEST(PoolPg, AReadOnlyServerIsUnavailableAndItsConnectionDropped) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 1});
    pool.acquire()->exec_script("CREATE TABLE w (id int)");
    int64_t pid = 0;
    {
        auto lease = pool.acquire();
        pid = lease->exec({"pid", "SELECT pg_backend_pid() AS pid"}).int64(0, "pid");
        lease->exec_script("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    }
    EXPECT_FALSE(pool.ping());  // ready only against a server that takes writes; the read-only session is dropped
    EXPECT_NE(backend_pid(pool), pid);
    int64_t read_only_pid = 0;
    {
        auto lease = pool.acquire();
        read_only_pid = lease->exec({"pid", "SELECT pg_backend_pid() AS pid"}).int64(0, "pid");
        lease->exec_script("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    }
    try {
        pool.transact([&](pg::Transaction& tx) { tx.exec({"write", "INSERT INTO w VALUES (1)"}); });
        ADD_FAILURE() << "expected Unavailable";
    } catch (const pg::Unavailable& e) {
        EXPECT_EQ(e.status(), 503);
    }
    EXPECT_NE(backend_pid(pool), read_only_pid);
    pool.transact([&](pg::Transaction& tx) { tx.exec({"write", "INSERT INTO w VALUES (1)"}); });
    EXPECT_TRUE(pool.ping());
    EXPECT_EQ(pool.exec({"count_w", "SELECT count(*) AS n FROM w"}).int64(0, "n"), 1);
}

// A connection lost in the middle of a transaction: 503 for the caller, nothing of the transaction committed.
TEST(PoolPg, ATransactionWhoseConnectionIsLostCommitsNothing) {
    pgtest::TempDatabase db;
    pg::Pool pool(db.dsn(), {.size = 2});
    pool.acquire()->exec_script("CREATE TABLE w (id int)");
    pg::Pool admin(db.dsn(), {.size = 1});
    try {
        pool.transact([&](pg::Transaction& tx) {
            tx.exec({"write", "INSERT INTO w VALUES (1)"});
            auto pid = tx.exec({"pid", "SELECT pg_backend_pid() AS pid"}).int64(0, "pid");
            admin.exec({"kill", "SELECT pg_terminate_backend($1::int)"}, pg::Params(pid));
            tx.exec({"write", "INSERT INTO w VALUES (1)"});
        });
        FAIL() << "expected Unavailable";
    } catch (const pg::Unavailable& e) {
        EXPECT_EQ(e.status(), 503);
    }
    EXPECT_EQ(pool.exec({"count_w", "SELECT count(*) AS n FROM w"}).int64(0, "n"), 0);
}

namespace {
// For one test: the server waits for a synchronous standby that does not exist, but only in sessions of `db`
// (the harness's server runs synchronous_commit=off for everyone else, so other tests never wait).
struct MissingSynchronousStandby {
    pg::Connection admin{pgtest::admin_dsn()};
    explicit MissingSynchronousStandby(const std::string& db) {
        admin.exec_script("ALTER SYSTEM SET synchronous_standby_names = 'nobody'");
        admin.exec_script("SELECT pg_reload_conf()");
        admin.exec_script("ALTER DATABASE " + db + " SET synchronous_commit = on");
        for (int i = 0; i < 100; ++i) {  // the reload reaches new sessions within milliseconds
            pg::Connection probe(pgtest::admin_dsn());
            if (probe.exec({"sync_names", "SELECT current_setting('synchronous_standby_names') AS v"}).text(0, "v") ==
                "nobody")
                return;
            std::this_thread::sleep_for(10ms);
        }
        ADD_FAILURE() << "the server never took synchronous_standby_names";
    }
    ~MissingSynchronousStandby() { lift(); }
    void lift() {
        admin.exec_script("ALTER SYSTEM RESET synchronous_standby_names");
        admin.exec_script("SELECT pg_reload_conf()");
    }
};
}  // namespace

// A primary cut off from its synchronous standby: a commit waits for it. When that wait is cancelled (here by
// pg_cancel_backend, as an operator or a proxy might), the server reports success after a WARNING, though the write
// is on this server only and a failover loses it. The pool reports that as Unavailable (the outcome unknown, as a
// connection lost during the commit) and drops the connection; it never passes the write off as done.
TEST(PoolPg, ACommitItsSynchronousStandbyNeverConfirmedIsUnavailable) {
    pgtest::TempDatabase db;
    pg::Connection(db.dsn()).exec_script("CREATE TABLE w (id int)");
    MissingSynchronousStandby standby(db.name());
    pg::Pool pool(db.dsn(), {.size = 1});  // its sessions take the database's synchronous_commit = on
    pg::Connection admin(pgtest::admin_dsn());
    auto cancel_the_waiting_commit = [&] {
        for (int i = 0; i < 500; ++i) {
            auto r = admin.exec({"cancel_syncrep",
                                 "SELECT count(*) FILTER (WHERE pg_cancel_backend(pid)) AS n FROM pg_stat_activity "
                                 "WHERE datname = $1 AND wait_event = 'SyncRep'"},
                                pg::Params(db.name()));
            if (r.int64(0, "n") > 0) return;
            std::this_thread::sleep_for(10ms);
        }
        ADD_FAILURE() << "no commit waited for the synchronous standby";
    };
    {
        auto write = std::async(std::launch::async, [&] { pool.exec({"write", "INSERT INTO w VALUES (1)"}); });
        cancel_the_waiting_commit();
        EXPECT_THROW(write.get(), pg::Unavailable);
        auto tx = std::async(std::launch::async, [&] {
            pool.transact([](pg::Transaction& t) { t.exec({"write", "INSERT INTO w VALUES (2)"}); });
        });
        cancel_the_waiting_commit();
        EXPECT_THROW(tx.get(), pg::Unavailable);
        // Reads wait for nobody and are answered as ever; both writes are here, committed locally.
        EXPECT_EQ(pool.exec({"count_w", "SELECT count(*) AS n FROM w"}).int64(0, "n"), 2);
    }
    standby.lift();
    // With the standby requirement gone the same pool writes again: nothing of the warning stays behind.
    for (int i = 0;
         i < 100 &&
         pool.exec({"sync_names", "SELECT current_setting('synchronous_standby_names') AS v"}).text(0, "v") != "";
         ++i)
        std::this_thread::sleep_for(10ms);
    pool.exec({"write", "INSERT INTO w VALUES (3)"});
    EXPECT_EQ(pool.exec({"count_w", "SELECT count(*) AS n FROM w"}).int64(0, "n"), 3);
}

// Without a word about them in the DSN, connections get keepalives, a TCP user timeout and read-write only.
TEST(PoolPg, ConnectionsGetKeepalivesAndReadWriteByDefault) {
    pgtest::TempDatabase db;
    pg::Connection c(db.dsn());
    EXPECT_EQ(c.option("keepalives_idle"), "5");
    EXPECT_EQ(c.option("tcp_user_timeout"), "10000");
    EXPECT_EQ(c.option("target_session_attrs"), "read-write");
    // The DSN's own word wins.
    pg::Connection own(db.dsn() + (db.dsn().find('?') == std::string::npos ? "?" : "&") + "keepalives_idle=30");
    EXPECT_EQ(own.option("keepalives_idle"), "30");
}
