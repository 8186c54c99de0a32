#include <nats/nats.h>

#include <boost/json.hpp>
#include <thread>

#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/time.hpp"
#include "chance/core/uuid.hpp"
#include "chance/messaging/events.hpp"

#include "chance/core/failpoint.hpp"

namespace chance::messaging {

std::string Envelope::to_json() const {
    return boost::json::serialize(boost::json::object{
        {"id", id}, {"type", type}, {"occurred_at", occurred_at}, {"version", version}, {"payload", payload}});
}

Envelope Envelope::parse(std::string_view data) {
    boost::system::error_code ec;
    auto v = boost::json::parse(data, ec);
    if (ec || !v.is_object()) throw MalformedMessage("not a JSON object");
    auto& o = v.as_object();
    auto str = [&](const char* k) -> std::string {
        auto* f = o.if_contains(k);
        if (!f || !f->is_string() || f->as_string().empty()) throw MalformedMessage(std::string("missing ") + k);
        return std::string(f->as_string());
    };
    Envelope e;
    e.id = str("id");
    e.type = str("type");
    e.occurred_at = str("occurred_at");
    if (e.id.size() > 100) throw MalformedMessage("id too long");
    auto* ver = o.if_contains("version");
    if (ver && ver->is_int64()) e.version = static_cast<int>(ver->as_int64());
    auto* p = o.if_contains("payload");
    if (!p || !p->is_object()) throw MalformedMessage("missing payload");
    e.payload = p->as_object();
    return e;
}

Envelope make_event(std::string type, boost::json::object payload) {
    auto now = std::chrono::system_clock::now();
    return Envelope{uuid_v7(now), std::move(type), time::format_rfc3339(now, true), 1, std::move(payload)};
}

namespace {
constexpr pg::Query kEnqueue{"outbox_enqueue",
                             "INSERT INTO outbox (id, subject, type, envelope) VALUES ($1::uuid, $2, $3, $4)"};
constexpr pg::Query kClaim{"outbox_claim",
                           "SELECT id::text AS id, subject, envelope, attempts FROM outbox "
                           "WHERE published_at IS NULL AND next_attempt_at <= now() "
                           "ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED"};
constexpr pg::Query kPublished{
    "outbox_published", "UPDATE outbox SET published_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])"};
constexpr pg::Query kFailed{
    "outbox_failed",
    "UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
    "next_attempt_at = now() + make_interval(secs => $3::double precision) WHERE id = $1::uuid"};
constexpr pg::Query kLag{
    "outbox_lag",
    "SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS lag, count(*) AS n "
    "FROM outbox WHERE published_at IS NULL"};
constexpr pg::Query kInbox{"inbox_record",
                           "INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING"};
constexpr pg::Query kDead{"dead_letter_insert",
                          "INSERT INTO dead_letters (consumer, message_id, subject, data, reason, deliveries) "
                          "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr pg::Query kDeadGet{"dead_letter_get",
                             "SELECT subject, data FROM dead_letters WHERE id = $1 AND replayed_at IS NULL FOR UPDATE"};
constexpr pg::Query kDeadDone{"dead_letter_replayed", "UPDATE dead_letters SET replayed_at = now() WHERE id = $1"};

void sleep_for(std::stop_token& st, std::chrono::milliseconds d) {
    auto end = std::chrono::steady_clock::now() + d;
    while (!st.stop_requested() && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(d, std::chrono::milliseconds(20)));
}
}  // namespace

void enqueue(pg::Transaction& tx, const std::string& subject, const Envelope& event) {
    tx.exec(kEnqueue, pg::Params(event.id, subject, event.type, event.to_json()));
}

OutboxRelay::OutboxRelay(pg::Pool& pool, Nats& nats, std::vector<StreamSpec> streams, RelayOptions options)
    : pool_(pool), nats_(nats), streams_(std::move(streams)), options_(options) {}

int OutboxRelay::publish_batch() {
    if (!streams_ready_) {
        for (const auto& s : streams_) nats_.ensure_stream(s);
        streams_ready_ = true;
    }
    auto& reg = metrics::Registry::global();
    int published = 0;
    pool_.transact([&](pg::Transaction& tx) {
        auto rows = tx.exec(kClaim, pg::Params(options_.batch));
        if (rows.empty()) return;
        // The whole claimed batch goes out at once; rows are marked published only once JetStream acked them.
        std::vector<Nats::Outgoing> out;
        out.reserve(static_cast<size_t>(rows.rows()));
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back({rows.text(i, "subject"), rows.text(i, "id"), rows.text(i, "envelope")});
        std::vector<bool> acked;
        std::string error = "no PubAck";
        try {
            acked = nats_.publish_many(out);
        } catch (const NatsError& e) {
            acked.assign(out.size(), false);
            error = e.what();
        }
        std::string ids = "{";
        for (size_t i = 0; i < out.size(); ++i) {
            if (!acked[i]) continue;
            ids += (published ? "," : "") + out[i].msg_id;
            ++published;
        }
        ids += "}";
        if (published) tx.exec(kPublished, pg::Params(ids));
        // Nothing acknowledged: the outage's backoff, short and the same for every row, not the rows' own.
        failed_batches_ = published ? 0 : failed_batches_ + 1;
        double outage = std::min<double>(0.125 * static_cast<double>(1LL << std::min(failed_batches_, 12)),
                                         std::chrono::duration<double>(options_.max_outage_backoff).count());
        for (size_t i = 0; i < out.size(); ++i) {
            if (acked[i]) continue;
            auto attempts = rows.int64(static_cast<int>(i), "attempts") + 1;
            double delay = published
                               ? std::min<double>(0.2 * static_cast<double>(1LL << std::min<int64_t>(attempts, 12)),
                                                  std::chrono::duration<double>(options_.max_backoff).count())
                               : outage;
            tx.exec(kFailed, pg::Params(out[i].msg_id, error, delay));
            reg.counter("outbox_publish_failures_total", "Outbox publish attempts that failed").inc();
        }
    });
    if (published) reg.counter("outbox_published_total", "Outbox rows published").inc(published);
    // The lag gauges count the pending rows: refreshed once a second, not per batch, so a backlog drains fast.
    auto now = std::chrono::steady_clock::now();
    if (now >= next_lag_check_) {
        auto lag = pool_.exec(kLag);
        reg.gauge("outbox_lag_seconds", "Age of the oldest unpublished outbox row").set(lag.number(0, "lag"));
        reg.gauge("outbox_pending", "Unpublished outbox rows").set(static_cast<double>(lag.int64(0, "n")));
        next_lag_check_ = now + std::chrono::seconds(1);
    }
    return published;
}

void OutboxRelay::run(std::stop_token st) {
    while (!st.stop_requested()) {
        try {
            if (publish_batch() == options_.batch) continue;
        } catch (const std::exception& e) {
            streams_ready_ = false;
            log::warn("outbox relay: will retry", {{"error", e.what()}});
            sleep_for(st, std::chrono::milliseconds(500));
        }
        sleep_for(st, options_.idle_poll);
    }
}

Consumer::Consumer(pg::Pool& pool, Nats& nats, StreamSpec stream, ConsumerSpec spec, MessageHandler handler)
    : pool_(pool), nats_(nats), stream_(std::move(stream)), spec_(std::move(spec)), handler_(std::move(handler)) {}

void Consumer::run(std::stop_token st) {
    auto& reg = metrics::Registry::global();
    natsSubscription* sub = nullptr;
    auto next_lag_check = std::chrono::steady_clock::now();
    // After a lost server, a leader election or a JetStream API error the subscription is made again, after a
    // pause that doubles while it keeps failing (250 ms up to 2 s) and starts over once messages flow.
    std::chrono::milliseconds retry_delay{250};
    int failed_info_checks = 0;
    auto drop_sub = [&] {
        if (sub) natsSubscription_Destroy(sub);
        sub = nullptr;
    };
    auto pause = [&] {
        sleep_for(st, retry_delay);
        retry_delay = std::min<std::chrono::milliseconds>(retry_delay * 2, std::chrono::milliseconds(2000));
    };
    auto dead_letter = [&](natsMsg* msg, const std::string& id, const std::string& reason, int64_t deliveries) {
        std::string data(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
        pool_.exec(kDead, pg::Params(spec_.durable, id.empty() ? std::optional<std::string>{} : std::optional(id),
                                     std::string(natsMsg_GetSubject(msg)), data, reason, deliveries));
        natsMsg_Term(msg, nullptr);
        reg.counter("consumer_dead_letters_total", "Messages moved to dead letters", {{"consumer", spec_.durable}})
            .inc();
        log::warn("message moved to dead letters", {{"consumer", spec_.durable}, {"id", id}, {"reason", reason}});
    };
    while (!st.stop_requested()) {
        if (!sub) {
            try {
                nats_.ensure_stream(stream_);
                jsConsumerConfig cc;
                jsConsumerConfig_Init(&cc);
                cc.Durable = spec_.durable.c_str();
                cc.AckPolicy = js_AckExplicit;
                cc.MaxDeliver = spec_.max_deliver + 1;  // we dead-letter ourselves at max_deliver
                cc.AckWait = std::chrono::duration_cast<std::chrono::nanoseconds>(spec_.ack_wait).count();
                cc.FilterSubject = spec_.filter_subject.c_str();
                // Declared in code: created, or updated to this configuration (a changed ack wait or max
                // deliver takes effect at the next start instead of failing the subscription).
                jsErrCode err = static_cast<jsErrCode>(0);
                natsStatus s = js_UpdateConsumer(nullptr, nats_.jetstream(), stream_.name.c_str(), &cc, nullptr, &err);
                if (s != NATS_OK && err == JSConsumerNotFoundErr)
                    s = js_AddConsumer(nullptr, nats_.jetstream(), stream_.name.c_str(), &cc, nullptr, &err);
                if (s != NATS_OK) {
                    // Refused while it exists (a cluster with a server down cannot place a changed configuration):
                    // pull from the consumer as it is rather than not at all.
                    jsConsumerInfo* ci = nullptr;
                    if (js_GetConsumerInfo(&ci, nats_.jetstream(), stream_.name.c_str(), spec_.durable.c_str(), nullptr,
                                           nullptr) == NATS_OK) {
                        jsConsumerInfo_Destroy(ci);
                        s = NATS_OK;
                    }
                }
                if (s != NATS_OK)
                    throw NatsError(std::string("declare consumer: ") + natsStatus_GetText(s) + " (JetStream error " +
                                    std::to_string(static_cast<int>(err)) + ")");
                jsSubOptions so;
                jsSubOptions_Init(&so);
                so.Stream = stream_.name.c_str();
                so.Consumer = spec_.durable.c_str();  // bind to the consumer declared above
                s = js_PullSubscribe(&sub, nats_.jetstream(), spec_.filter_subject.c_str(), spec_.durable.c_str(),
                                     nullptr, &so, &err);
                if (s != NATS_OK) {
                    sub = nullptr;
                    throw NatsError(std::string("subscribe: ") + natsStatus_GetText(s) + " (JetStream error " +
                                    std::to_string(static_cast<int>(err)) + ")");
                }
            } catch (const std::exception& e) {
                log::warn("consumer cannot subscribe yet; retrying",
                          {{"consumer", spec_.durable},
                           {"error", e.what()},
                           {"retry_in_ms", static_cast<int64_t>(retry_delay.count())}});
                drop_sub();
                pause();
                continue;
            }
            failed_info_checks = 0;
            next_lag_check = std::chrono::steady_clock::now();
        }
        if (std::chrono::steady_clock::now() >= next_lag_check) {
            // Consumer lag: messages in the stream not yet delivered, and delivered but not acknowledged. The same
            // call tells whether the consumer is still there: fetches only time out on a consumer that was lost
            // (a stream or consumer recreated in a cluster), so one missing, or unanswered for 15 s, is declared again.
            jsConsumerInfo* ci = nullptr;
            jsErrCode cerr = static_cast<jsErrCode>(0);
            natsStatus is = natsSubscription_GetConsumerInfo(&ci, sub, nullptr, &cerr);
            if (is == NATS_OK && ci) {
                failed_info_checks = 0;
                reg.gauge("consumer_pending", "Messages not yet delivered to the consumer",
                          {{"consumer", spec_.durable}})
                    .set(static_cast<double>(ci->NumPending));
                reg.gauge("consumer_ack_pending", "Messages delivered and not yet acknowledged",
                          {{"consumer", spec_.durable}})
                    .set(static_cast<double>(ci->NumAckPending));
                jsConsumerInfo_Destroy(ci);
            } else if (cerr == JSConsumerNotFoundErr || cerr == JSStreamNotFoundErr || ++failed_info_checks >= 3) {
                log::warn("consumer lost; declaring it again",
                          {{"consumer", spec_.durable},
                           {"error", std::string(natsStatus_GetText(is)) + " (JetStream error " +
                                         std::to_string(static_cast<int>(cerr)) + ")"}});
                drop_sub();
                pause();
                continue;
            }
            next_lag_check = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        }
        natsMsgList list{};
        jsErrCode err = static_cast<jsErrCode>(0);
        auto fetch_started = std::chrono::steady_clock::now();
        natsStatus s = natsSubscription_Fetch(&list, sub, spec_.batch, 500, &err);
        if (s == NATS_TIMEOUT) {
            // An empty stream times out after the 500 ms wait; a timeout that came back at once (the connection
            // is down and reconnecting) must not spin.
            if (std::chrono::steady_clock::now() - fetch_started < std::chrono::milliseconds(100)) pause();
            continue;
        }
        if (s != NATS_OK) {
            // No responders, a JetStream API error while a leader is elected, a closed subscription: subscribe
            // again after a pause.
            log::warn("fetch failed; resubscribing",
                      {{"consumer", spec_.durable},
                       {"error", std::string(natsStatus_GetText(s)) + " (JetStream error " +
                                     std::to_string(static_cast<int>(err)) + ")"},
                       {"retry_in_ms", static_cast<int64_t>(retry_delay.count())}});
            drop_sub();
            pause();
            continue;
        }
        retry_delay = std::chrono::milliseconds(250);
        // The fetched messages, parsed; a malformed one goes to dead letters at once.
        struct Fetched {
            natsMsg* msg;
            Envelope env;
            int64_t delivered;
        };
        std::vector<Fetched> fetched;
        fetched.reserve(static_cast<size_t>(list.Count));
        for (int i = 0; i < list.Count; ++i) {
            natsMsg* msg = list.Msgs[i];
            jsMsgMetaData* meta = nullptr;
            int64_t delivered = 1;
            if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
                delivered = static_cast<int64_t>(meta->NumDelivered);
                jsMsgMetaData_Destroy(meta);
            }
            std::string data(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
            try {
                fetched.push_back({msg, Envelope::parse(data), delivered});
            } catch (const MalformedMessage& e) {
                try {
                    dead_letter(msg, "", std::string("malformed: ") + e.what(), delivered);
                } catch (const std::exception& e2) {
                    natsMsg_NakWithDelay(msg, 1000, nullptr);
                }
            }
        }
        // The message's effect: its inbox row and, the first time only, its handler.
        auto apply = [&](pg::Transaction& tx, const Envelope& env) {
            if (tx.exec(kInbox, pg::Params(spec_.durable, env.id)).affected() != 0) handler_(tx, env);
        };
        auto ended = [&](bool committed) {
            if (spec_.after_transaction) spec_.after_transaction(committed);
        };
        auto handled = [&](const Fetched& f) {
            natsMsg_Ack(f.msg, nullptr);
            reg.counter("consumer_handled_total", "Messages handled", {{"consumer", spec_.durable}}).inc();
        };
        // The messages of one fetch go in one transaction, one commit for all (a consumer that fell behind catches
        // up with a commit per batch instead of per message). Any failure rolls the whole batch back, and each
        // message is then taken alone below, so one bad message neither holds up nor undoes the others.
        if (fetched.size() > 1) {
            bool together = false;
            try {
                pool_.transact([&](pg::Transaction& tx) {
                    for (const auto& f : fetched) apply(tx, f.env);
                });
                together = true;
                ended(true);
            } catch (const std::exception& e) {
                ended(false);
                log::info("batch handling failed; taking its messages one by one",
                          {{"consumer", spec_.durable},
                           {"messages", static_cast<int64_t>(fetched.size())},
                           {"error", e.what()}});
            }
            if (together) {
                // Committed, not yet acknowledged: a crash here means redelivery, and the inbox rows make it a no-op.
                failpoint("consumer-before-ack");
                for (const auto& f : fetched) handled(f);
                fetched.clear();
            }
        }
        for (const auto& f : fetched) {
            natsMsg* msg = f.msg;
            const Envelope& env = f.env;
            int64_t delivered = f.delivered;
            bool committed = false;
            try {
                pool_.transact([&](pg::Transaction& tx) { apply(tx, env); });
                committed = true;
                ended(true);
                // Committed, not yet acknowledged: a crash here means redelivery, and the inbox row makes it a no-op.
                failpoint("consumer-before-ack");
                handled(f);
            } catch (const PermanentFailure& e) {
                ended(false);
                try {
                    dead_letter(msg, env.id, e.what(), delivered);
                } catch (const std::exception&) {
                    natsMsg_NakWithDelay(msg, 1000, nullptr);
                }
            } catch (const std::exception& e) {
                if (!committed) ended(false);
                if (delivered >= spec_.max_deliver) {
                    try {
                        dead_letter(msg, env.id,
                                    std::string("failed ") + std::to_string(delivered) + " times: " + e.what(),
                                    delivered);
                    } catch (const std::exception&) {
                        natsMsg_NakWithDelay(msg, 1000, nullptr);
                    }
                    continue;
                }
                auto idx = std::min<size_t>(static_cast<size_t>(delivered - 1), spec_.backoff.size() - 1);
                natsMsg_NakWithDelay(msg, spec_.backoff.empty() ? 1000 : spec_.backoff[idx].count(), nullptr);
                reg.counter("consumer_retries_total", "Messages sent back for redelivery",
                            {{"consumer", spec_.durable}})
                    .inc();
                log::warn("message handling failed; will be redelivered",
                          {{"consumer", spec_.durable}, {"id", env.id}, {"delivered", delivered}, {"error", e.what()}});
            }
        }
        natsMsgList_Destroy(&list);
    }
    drop_sub();
}

void replay_dead_letter(pg::Pool& pool, Nats& nats, int64_t id) {
    pool.transact([&](pg::Transaction& tx) {
        auto r = tx.exec(kDeadGet, pg::Params(id));
        if (r.empty()) throw not_found("Такой записи нет или она уже отправлена повторно");
        nats.publish(r.text(0, "subject"), "replay-" + std::to_string(id) + "-" + uuid_v7(), r.text(0, "data"));
        tx.exec(kDeadDone, pg::Params(id));
    });
}

}  // namespace chance::messaging
