#include <gtest/gtest.h>

#include <nats/nats.h>

#include <atomic>
#include <boost/json.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "chance/messaging/events.hpp"
#include "chance/pg/migrations.hpp"
#include "nats_process.hpp"
#include "pgtest.hpp"

#ifndef CHANCE_MESSAGING_MIGRATIONS
#error "CHANCE_MESSAGING_MIGRATIONS must be defined"
#endif

using namespace chance;
using namespace std::chrono_literals;

namespace {
// NOLINTNEXTLINE(cert-err58-cpp): a test binary that cannot allocate may end at start-up
const messaging::StreamSpec kStream{"TestEvents", {"test.>"}};

struct Env {
    pgtest::TempDatabase db;
    natstest::NatsProcess nats_server;
    pg::Pool pool{db.dsn(), {.size = 8}};
    messaging::Nats nats{nats_server.url(), "test"};
    std::deque<std::string> names;

    Env() {
        auto c = pool.acquire();
        pg::migrate(*c, {{"messaging", CHANCE_MESSAGING_MIGRATIONS}});
        c->exec_script("CREATE TABLE effects (id text PRIMARY KEY, n int NOT NULL DEFAULT 1)");
        nats.start();
        for (int i = 0; i < 100 && !nats.connected(); ++i) std::this_thread::sleep_for(20ms);
    }
    int64_t count(const char* sql) {
        // One name per statement: the name keys the prepared-statement cache.
        names.push_back("count_" + std::to_string(std::hash<std::string>{}(sql)));
        return pool.exec({names.back().c_str(), sql}).int64(0, "n");
    }
};

constexpr pg::Query kEffect{"effect",
                            "INSERT INTO effects (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET n = effects.n + 1"};

bool wait_until(const std::function<bool()>& pred, std::chrono::seconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return pred();
}
}  // namespace

TEST(RelayNats, SurvivesANatsRestartWithNothingLostOrDoubled) {
    Env env;
    messaging::OutboxRelay relay(env.pool, env.nats, {kStream}, {.idle_poll = 20ms, .max_backoff = 1000ms});
    messaging::Consumer consumer(
        env.pool, env.nats, kStream,
        {.stream = "TestEvents", .durable = "effects", .filter_subject = "test.>", .backoff = {100ms}},
        [](pg::Transaction& tx, const messaging::Envelope& e) { tx.exec(kEffect, pg::Params(e.id)); });
    std::jthread relay_thread([&](std::stop_token st) { relay.run(std::move(st)); });
    std::jthread consumer_thread([&](std::stop_token st) { consumer.run(std::move(st)); });

    constexpr int kTotal = 1000;
    for (int i = 0; i < kTotal; ++i) {
        env.pool.transact([&](pg::Transaction& tx) {
            messaging::enqueue(tx, "test.happened", messaging::make_event("test.thing.happened.v1", {{"n", i}}));
        });
        if (i == kTotal / 3) env.nats_server.stop();  // NATS goes away with two thirds still to come
        if (i == 2 * kTotal / 3) {
            std::this_thread::sleep_for(1500ms);  // the relay keeps failing for a while
            EXPECT_GT(env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL"), 0);  // held back
            env.nats_server.start();                                                                 // and comes back
        }
    }
    EXPECT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == kTotal; }, 60s))
        << "effects: " << env.count("SELECT count(*) AS n FROM effects");
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM effects WHERE n > 1"), 0);
    EXPECT_TRUE(
        wait_until([&] { return env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL") == 0; }, 10s));
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM inbox"), kTotal);
}

TEST(RelayNats, PoisonMessagesGoToDeadLettersWhileOthersFlow) {
    Env env;
    env.nats.ensure_stream(kStream);
    messaging::Consumer consumer(
        env.pool, env.nats, kStream,
        {.stream = "TestEvents", .durable = "poison", .filter_subject = "test.>", .max_deliver = 3, .backoff = {50ms}},
        [](pg::Transaction& tx, const messaging::Envelope& e) {
            if (e.payload.contains("always_fails")) throw std::runtime_error("boom");
            if (e.payload.contains("permanent")) throw messaging::PermanentFailure("unknown template");
            tx.exec(kEffect, pg::Params(e.id));
        });
    std::jthread consumer_thread([&](std::stop_token st) { consumer.run(std::move(st)); });
    env.nats.publish("test.raw", "raw-1", "this is not json");
    env.nats.publish("test.raw", "raw-2", R"({"id":"x"})");
    auto failing = messaging::make_event("test.failing.v1", {{"always_fails", true}});
    env.nats.publish("test.f", failing.id, failing.to_json());
    auto permanent = messaging::make_event("test.permanent.v1", {{"permanent", true}});
    env.nats.publish("test.p", permanent.id, permanent.to_json());
    auto good = messaging::make_event("test.good.v1", {{"ok", true}});
    env.nats.publish("test.g", good.id, good.to_json());

    EXPECT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == 1; }, 10s));
    EXPECT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM dead_letters") == 4; }, 20s))
        << env.count("SELECT count(*) AS n FROM dead_letters");
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM dead_letters WHERE reason LIKE 'malformed%'"), 2);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM dead_letters WHERE reason LIKE 'failed 3 times%'"), 1);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM dead_letters WHERE reason = 'unknown template'"), 1);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM inbox"), 1);  // failed handlers left no inbox row
}

TEST(RelayNats, RedeliveredEnvelopeHasNoSecondEffect) {
    Env env;
    env.nats.ensure_stream(kStream);
    messaging::Consumer consumer(
        env.pool, env.nats, kStream, {.stream = "TestEvents", .durable = "dedup", .filter_subject = "test.>"},
        [](pg::Transaction& tx, const messaging::Envelope& e) { tx.exec(kEffect, pg::Params(e.id)); });
    std::jthread consumer_thread([&](std::stop_token st) { consumer.run(std::move(st)); });
    auto e = messaging::make_event("test.once.v1", {});
    // Two publications with different Nats-Msg-Id (so JetStream keeps both) of the same envelope.
    env.nats.publish("test.once", "a-" + e.id, e.to_json());
    env.nats.publish("test.once", "b-" + e.id, e.to_json());
    auto other = messaging::make_event("test.once.v1", {});
    env.nats.publish("test.once", other.id, other.to_json());
    EXPECT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == 2; }, 10s));
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(env.count("SELECT max(n) AS n FROM effects"), 1);
}

// Messages waiting when the consumer fetches are handled in one transaction per fetch; one that fails rolls its
// batch back and every message of it is then taken alone: each effect exactly once, the failing one (it fails twice:
// in its batch and alone) redelivered.
TEST(RelayNats, AFetchedBatchCommitsOnceAndAFailureInItTakesEachMessageAlone) {
    Env env;
    env.nats.ensure_stream(kStream);
    constexpr int kMessages = 40;
    std::vector<std::string> ids;
    for (int i = 0; i < kMessages; ++i) {
        auto e = messaging::make_event("test.batch.v1", {{"fails_twice", i == 25}});
        ids.push_back(e.id);
        env.nats.publish("test.batch", e.id, e.to_json());
    }
    std::atomic<int> committed{0}, rolled_back{0};
    std::mutex mu;
    std::map<std::string, int> failures;
    messaging::ConsumerSpec spec{
        .stream = "TestEvents", .durable = "batches", .filter_subject = "test.>", .backoff = {50ms}};
    spec.after_transaction = [&](bool ok) { ++(ok ? committed : rolled_back); };
    messaging::Consumer consumer(env.pool, env.nats, kStream, spec,
                                 [&](pg::Transaction& tx, const messaging::Envelope& e) {
                                     if (e.payload.at("fails_twice").as_bool()) {
                                         std::lock_guard l(mu);
                                         if (++failures[e.id] <= 2) throw std::runtime_error("not yet");
                                     }
                                     tx.exec(kEffect, pg::Params(e.id));
                                 });
    std::jthread consumer_thread([&](std::stop_token st) { consumer.run(std::move(st)); });

    ASSERT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == kMessages; }, 15s))
        << env.count("SELECT count(*) AS n FROM effects");
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(env.count("SELECT max(n) AS n FROM effects"), 1);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM inbox"), kMessages);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM dead_letters"), 0);
    // The batch holding the failing message rolled back once, and its messages then went one by one (the failing
    // one twice); the other batches committed whole: far fewer commits than messages.
    EXPECT_EQ(rolled_back.load(), 2);
    EXPECT_LT(committed.load(), kMessages / 2) << committed.load();
}

TEST(Envelope, ParseRejectsIncompleteEnvelopes) {
    EXPECT_THROW(messaging::Envelope::parse("[]"), messaging::MalformedMessage);
    EXPECT_THROW(messaging::Envelope::parse(R"({"id":"1","type":"t","occurred_at":"x"})"), messaging::MalformedMessage);
    auto e = messaging::make_event("premieres.rental.purchased.v1", {{"user_id", "7"}});
    auto back = messaging::Envelope::parse(e.to_json());
    EXPECT_EQ(back.id, e.id);
    EXPECT_EQ(back.type, "premieres.rental.purchased.v1");
    EXPECT_EQ(back.payload.at("user_id").as_string(), "7");
}

TEST(RelayNats, PublishesABatchAtOnceAndKeepsOnlyTheUnacknowledgedRows) {
    Env env;
    messaging::OutboxRelay relay(env.pool, env.nats, {kStream}, {.batch = 50, .max_backoff = 1000ms});
    std::vector<std::string> ids;
    env.pool.transact([&](pg::Transaction& tx) {
        for (int i = 0; i < 40; ++i) {
            auto e = messaging::make_event("test.batched.v1", {{"n", i}});
            ids.push_back(e.id);
            messaging::enqueue(tx, "test.batch", e);
        }
        // No stream listens on this subject: JetStream never acknowledges it.
        messaging::enqueue(tx, "nowhere.batch", messaging::make_event("test.lost.v1", {}));
    });
    EXPECT_EQ(relay.publish_batch(), 40);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NOT NULL"), 40);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND subject = 'nowhere.batch' "
                        "AND attempts = 1 AND last_error IS NOT NULL AND next_attempt_at > now()"),
              1);
    // Every acknowledged row is in the stream exactly once, in one batch.
    auto again = env.nats.publish_many({{"test.batch", ids.front(), "{}"}});
    EXPECT_EQ(again, std::vector<bool>{true});  // a repeat of a published id is acknowledged (and deduplicated)
    EXPECT_EQ(relay.publish_batch(), 0);        // the lost one waits for its backoff
}

// An outage is the connection's fault, not the rows': however often rows failed while NATS was away, they go out
// within the outage backoff (2 s) once it is back, not after their own exponential backoff (up to 30 s).
TEST(RelayNats, RowsThatFailedThroughAnOutageGoOutSoonAfterIt) {
    Env env;
    messaging::OutboxRelay relay(env.pool, env.nats, {kStream});  // the service's defaults
    EXPECT_EQ(relay.publish_batch(), 0);                          // declares the stream
    env.nats_server.stop();
    env.pool.transact([&](pg::Transaction& tx) {
        for (int i = 0; i < 3; ++i)
            messaging::enqueue(tx, "test.outage", messaging::make_event("test.outage.v1", {{"n", i}}));
    });
    // As if they had failed ten times already during a long outage.
    env.count("WITH u AS (UPDATE outbox SET attempts = 10 RETURNING 1) SELECT count(*) AS n FROM u");
    EXPECT_EQ(relay.publish_batch(), 0);
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND attempts = 11 "
                        "AND last_error IS NOT NULL AND next_attempt_at <= now() + interval '2 seconds'"),
              3);
    env.nats_server.start();
    ASSERT_TRUE(wait_until([&] { return env.nats.connected(); }, 10s));
    std::jthread relay_thread([&](std::stop_token st) { relay.run(std::move(st)); });
    EXPECT_TRUE(
        wait_until([&] { return env.count("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL") == 0; }, 8s));
}

TEST(NatsServers, ACommaSeparatedListIsSplitAndTrimmed) {
    EXPECT_EQ(messaging::split_server_list("nats://a:4222"), (std::vector<std::string>{"nats://a:4222"}));
    EXPECT_EQ(messaging::split_server_list(" nats://a:4222, nats://b:4222 ,,nats://c:4222,"),
              (std::vector<std::string>{"nats://a:4222", "nats://b:4222", "nats://c:4222"}));
    EXPECT_TRUE(messaging::split_server_list(" , ").empty());
}

// A cluster's list with one server down still connects; a replica count a lone server cannot keep, or one that
// differs from the existing stream's, does not stop the stream from being declared.
TEST(RelayNats, ConnectsThroughAServerListAndDeclaresStreamsWhateverTheirReplicaCount) {
    Env env;
    messaging::Nats listed{"nats://127.0.0.1:1, " + env.nats_server.url(), "test-list", 3};
    listed.start();
    for (int i = 0; i < 250 && !listed.connected(); ++i) std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(listed.connected());
    listed.ensure_stream(kStream);  // R3 asked of a single server: declared with one replica
    listed.ensure_stream(kStream);  // again: no change
    messaging::StreamSpec wider = kStream;
    wider.duplicate_window = std::chrono::seconds(60);
    wider.replicas = 2;
    EXPECT_NO_THROW(listed.ensure_stream(wider));  // exists with another configuration: updated or kept
    EXPECT_NO_THROW(env.nats.ensure_stream(kStream));
    env.nats.publish("test.listed", "listed-1", "{}");
}

// A consumer that disappears from JetStream (a stream or consumer recreated when a cluster lost a node) is noticed
// and declared again; messages keep being handled.
TEST(RelayNats, AConsumerThatDisappearsIsDeclaredAgain) {
    Env env;
    messaging::OutboxRelay relay(env.pool, env.nats, {kStream}, {.idle_poll = 20ms, .max_backoff = 1000ms});
    messaging::Consumer consumer(
        env.pool, env.nats, kStream,
        {.stream = "TestEvents", .durable = "effects", .filter_subject = "test.>", .backoff = {100ms}},
        [](pg::Transaction& tx, const messaging::Envelope& e) { tx.exec(kEffect, pg::Params(e.id)); });
    std::jthread relay_thread([&](std::stop_token st) { relay.run(std::move(st)); });
    std::jthread consumer_thread([&](std::stop_token st) { consumer.run(std::move(st)); });
    auto emit = [&] {
        env.pool.transact([&](pg::Transaction& tx) {
            messaging::enqueue(tx, "test.happened", messaging::make_event("test.thing.happened.v1", {{"n", 1}}));
        });
    };
    emit();
    ASSERT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == 1; }, 20s));
    jsErrCode err = static_cast<jsErrCode>(0);
    ASSERT_EQ(js_DeleteConsumer(env.nats.jetstream(), "TestEvents", "effects", nullptr, &err), NATS_OK);
    emit();
    emit();
    EXPECT_TRUE(wait_until([&] { return env.count("SELECT count(*) AS n FROM effects") == 3; }, 30s))
        << "effects: " << env.count("SELECT count(*) AS n FROM effects");
    EXPECT_EQ(env.count("SELECT count(*) AS n FROM effects WHERE n > 1"), 0);
}
