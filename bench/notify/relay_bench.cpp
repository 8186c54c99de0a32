// Outbox relay rate vs a raw asynchronous JetStream publish of the same messages, same NATS, one run.
// Usage: bench_outbox_relay <postgres dsn> <nats url> <messages>
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "chance/messaging/events.hpp"
#include "chance/pg/migrations.hpp"

using namespace chance;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s <postgres dsn> <nats url> <messages>\n", argv[0]);
        return 2;
    }
    const std::string dsn = argv[1], url = argv[2];
    const int n = std::stoi(argv[3]);
    pg::Pool pool(dsn, {.size = 4});
    {
        auto c = pool.acquire();
        pg::migrate(*c, {{"messaging", CHANCE_MESSAGING_MIGRATIONS}});
    }
    messaging::Nats nats(url, "bench");
    nats.start();
    for (int i = 0; i < 200 && !nats.connected(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const messaging::StreamSpec raw_stream{"BenchRaw", {"raw.>"}}, relay_stream{"BenchRelay", {"relay.>"}};
    nats.ensure_stream(raw_stream);
    nats.ensure_stream(relay_stream);

    // The same envelopes for both: a purchase-sized event.
    std::vector<messaging::Envelope> events;
    events.reserve(n);
    for (int i = 0; i < n; ++i)
        events.push_back(messaging::make_event("premieres.order.paid.v1",
                                               {{"user_id", "018f0000-0000-7000-8000-000000000001"},
                                                {"template", "purchase_confirmed"},
                                                {"params",
                                                 {{"order_id", "018f0000-0000-7000-8000-000000000002"},
                                                  {"total", 47920},
                                                  {"items", boost::json::array{{{"title", "Маузер"},
                                                                                {"starts_at", "2026-12-01T16:00:00Z"},
                                                                                {"ends_at", "2026-12-02T04:00:00Z"},
                                                                                {"amount", 47920}}}}}}}));

    // Baseline: js_PublishAsync of every message with its Msg-Id, then wait for all PubAcks.
    jsCtx* js = nullptr;
    jsOptions o;
    jsOptions_Init(&o);
    o.PublishAsync.MaxPending = 4096;
    natsConnection_JetStream(&js, nats.connection(), &o);
    auto t0 = Clock::now();
    for (const auto& e : events) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        auto id = "raw-" + e.id;
        po.MsgId = id.c_str();
        auto data = e.to_json();
        if (js_PublishAsync(js, "raw.bench", data.data(), static_cast<int>(data.size()), &po) != NATS_OK) return 1;
    }
    jsPubOptions wait;
    jsPubOptions_Init(&wait);
    wait.MaxWait = 60000;
    if (js_PublishAsyncComplete(js, &wait) != NATS_OK) return 1;
    double raw_s = std::chrono::duration<double>(Clock::now() - t0).count();
    jsCtx_Destroy(js);

    // Ours: the rows are in the outbox (written by business transactions, not timed); the relay drains them.
    pool.transact([&](pg::Transaction& tx) {
        for (const auto& e : events) messaging::enqueue(tx, "relay.bench", e);
    });
    // Statistics as autovacuum would have them for a backlog this size (a fresh table has none).
    pool.exec({"bench_analyze", "ANALYZE outbox"});
    // RELAY_WORKERS relays side by side, as replicas would run (FOR UPDATE SKIP LOCKED splits the rows).
    // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing sets the environment
    const char* w = std::getenv("RELAY_WORKERS");  // 2 = each service's default (outbox-relay-workers)
    const int workers = w ? std::max(1, std::atoi(w)) : 2;
    std::atomic<int> published{0};
    auto t1 = Clock::now();
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (int k = 0; k < workers; ++k)
        threads.emplace_back([&] {
            messaging::RelayOptions options;
            // NOLINTNEXTLINE(concurrency-mt-unsafe): nothing sets the environment
            if (const char* b = std::getenv("RELAY_BATCH")) options.batch = std::max(1, std::atoi(b));
            messaging::OutboxRelay relay(pool, nats, {relay_stream}, options);
            while (published.load() < n) {
                int got = relay.publish_batch();
                if (got == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                published += got;
            }
        });
    for (auto& t : threads) t.join();
    double relay_s = std::chrono::duration<double>(Clock::now() - t1).count();
    std::printf("raw JetStream async publish: %.0f msg/s (%d in %.2f s)\n", n / raw_s, n, raw_s);
    std::printf("outbox relay (%d worker%s):     %.0f msg/s (%d in %.2f s, marked published in PostgreSQL)\n", workers,
                workers == 1 ? "" : "s", n / relay_s, n, relay_s);
    std::printf("ratio (relay / raw) = %.2f  (goal >= 0.50)\n", raw_s / relay_s);
    nats.stop();
    return 0;
}
