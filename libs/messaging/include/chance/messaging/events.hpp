#pragma once
// Integration events: past-tense, versioned type names (premieres.rental.purchased.v1) in an envelope
// {id (UUIDv7), type, occurred_at, version, payload}. The outbox row is written in the business
// transaction; the relay publishes it; consumers record the id in their inbox with their effect.
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "chance/messaging/nats.hpp"
#include "chance/pg/pg.hpp"

namespace chance::messaging {

struct Envelope {
    std::string id;
    std::string type;
    std::string occurred_at;
    int version = 1;
    boost::json::object payload;

    std::string to_json() const;
    // Throws MalformedMessage when the data is not a valid envelope.
    static Envelope parse(std::string_view data);
};

class MalformedMessage : public std::runtime_error {
    using std::runtime_error::runtime_error;
};
// Thrown by a handler for a message that can never succeed: it goes to the dead letters at once.
class PermanentFailure : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

Envelope make_event(std::string type, boost::json::object payload);
// Writes the event to the outbox inside the caller's transaction.
void enqueue(pg::Transaction& tx, const std::string& subject, const Envelope& event);

struct RelayOptions {
    int batch = 500;
    std::chrono::milliseconds idle_poll{50};
    // A row that failed while others of its batch went out waits 0.4 s, doubling up to max_backoff: it is the row.
    std::chrono::milliseconds max_backoff{30'000};
    // A batch of which nothing went out (NATS unreachable, a stream without a leader) is the connection, not its
    // rows: they wait 250 ms, doubling per such batch in a row up to max_outage_backoff, so that once NATS is back
    // the backlog goes out within that, however long the outage was.
    std::chrono::milliseconds max_outage_backoff{2'000};
};

// Publishes outbox rows; safe to run in several replicas (FOR UPDATE SKIP LOCKED).
class OutboxRelay {
  public:
    OutboxRelay(pg::Pool& pool, Nats& nats, std::vector<StreamSpec> streams, RelayOptions options = {});
    void run(std::stop_token st);
    // One pass; returns the number of rows published. Exposed for tests.
    int publish_batch();

  private:
    pg::Pool& pool_;
    Nats& nats_;
    std::vector<StreamSpec> streams_;
    RelayOptions options_;
    bool streams_ready_ = false;
    int failed_batches_ = 0;  // batches in a row of which nothing was acknowledged
    std::chrono::steady_clock::time_point next_lag_check_{};
};

struct ConsumerSpec {
    std::string stream;
    std::string durable;         // shared by replicas: they split the work
    std::string filter_subject;  // e.g. "notify.>"
    int max_deliver = 6;
    // Delay before redelivery after the n-th failed attempt.
    std::vector<std::chrono::milliseconds> backoff{std::chrono::seconds(1), std::chrono::seconds(5),
                                                   std::chrono::seconds(30), std::chrono::minutes(2),
                                                   std::chrono::minutes(10)};
    std::chrono::seconds ack_wait{30};
    int batch = 16;
    // Called on the consuming thread after each transaction of handlers ends: true once it committed, false when it
    // was rolled back (its effects are gone; the messages are taken again). For work that must wait for the commit,
    // such as handing what a handler wrote to another thread.
    std::function<void(bool committed)> after_transaction;
};

using MessageHandler = std::function<void(pg::Transaction&, const Envelope&)>;

// Pull consumer with an inbox: effect + inbox row commit together, then ack; failure → NAK with delay;
// past max_deliver, or malformed, → dead_letters and the rest keeps flowing.
class Consumer {
  public:
    Consumer(pg::Pool& pool, Nats& nats, StreamSpec stream, ConsumerSpec spec, MessageHandler handler);
    void run(std::stop_token st);

  private:
    pg::Pool& pool_;
    Nats& nats_;
    StreamSpec stream_;
    ConsumerSpec spec_;
    MessageHandler handler_;
};

// Replays a dead letter: publishes it again with a fresh Nats-Msg-Id and marks it replayed.
void replay_dead_letter(pg::Pool& pool, Nats& nats, int64_t id);

}  // namespace chance::messaging
