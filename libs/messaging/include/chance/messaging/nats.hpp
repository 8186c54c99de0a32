#pragma once
// NATS JetStream through libnats. The connection is made in the background and keeps reconnecting (to any
// server of a comma-separated list, a cluster); readiness reports whether it is up right now.
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

// libnats's own names for its handles.
struct __natsConnection;  // NOLINT(bugprone-reserved-identifier)
struct __jsCtx;           // NOLINT(bugprone-reserved-identifier)

namespace chance::messaging {

struct StreamSpec {
    std::string name;                   // "SendNotify"
    std::vector<std::string> subjects;  // {"notify.>"}
    std::chrono::seconds duplicate_window{120};
    int replicas = 0;  // copies of the stream in a cluster; 0 = the connection's default (nats-stream-replicas)
};

// The spec's notification queue: premieres and billing publish to it, notifications consumes it.
inline StreamSpec send_notify_stream() { return {"SendNotify", {"notify.>"}}; }
// Changes to customers' accounts that other services act on (account.deleted): identity publishes, premieres and
// notifications consume (ADR 0021).
inline StreamSpec account_events_stream() { return {"AccountEvents", {"account.>"}}; }

class Nats {
  public:
    // `url`: one server or a comma-separated list of them (the servers of a cluster), tried in random order.
    // `stream_replicas`: the replica count of every stream this connection declares (StreamSpec::replicas = 0).
    Nats(std::string url, std::string client_name, int stream_replicas = 1);
    ~Nats();
    Nats(const Nats&) = delete;
    Nats& operator=(const Nats&) = delete;

    void start();  // returns at once; connects in the background
    void stop();
    bool connected() const;
    const std::string& url() const { return url_; }

    // Creates the stream or updates its configuration (a replica count the server refuses to change is logged and
    // the existing stream kept). Throws when NATS is unreachable or the stream cannot be declared.
    void ensure_stream(const StreamSpec& spec);
    // Publishes and waits for the PubAck; msg_id deduplicates within the stream's window.
    void publish(const std::string& subject, const std::string& msg_id, const std::string& data,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

    struct Outgoing {
        std::string subject;
        std::string msg_id;  // Nats-Msg-Id: the stream drops a repeat within its duplicate window
        std::string data;
    };
    // Publishes every message without waiting between them, then waits up to `timeout` for their PubAcks.
    // Returns, per message, whether the stream acknowledged it (an unacknowledged one may still have been
    // stored: publishing it again is safe, the id makes the repeat a no-op). Calls are serialised.
    std::vector<bool> publish_many(const std::vector<Outgoing>& msgs,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    __natsConnection* connection() { return conn_; }
    void record_ack(const char* msg_id);  // called by the async ack handler
    __jsCtx* jetstream() { return js_; }

  private:
    std::string url_;
    std::string name_;
    int stream_replicas_ = 1;
    std::atomic<bool> single_server_noted_{false};
    __natsConnection* conn_ = nullptr;
    __jsCtx* js_ = nullptr;
    __jsCtx* js_async_ = nullptr;  // for publish_many: its ack handler records into acked_
    std::mutex batch_mu_;
    std::mutex acked_mu_;
    std::vector<std::string> acked_;
    mutable std::mutex mu_;
};

class NatsError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "nats://a:4222, nats://b:4222" -> {"nats://a:4222", "nats://b:4222"}: blanks trimmed, empty entries dropped.
std::vector<std::string> split_server_list(const std::string& urls);

}  // namespace chance::messaging
