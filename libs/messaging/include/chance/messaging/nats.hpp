#pragma once
// NATS JetStream through libnats. The connection is made in the background and keeps reconnecting;
// readiness reports whether it is up right now.
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
};

// The spec's notification queue: premieres and billing publish to it, notifications consumes it.
inline StreamSpec send_notify_stream() { return {"SendNotify", {"notify.>"}}; }

class Nats {
  public:
    Nats(std::string url, std::string client_name);
    ~Nats();
    Nats(const Nats&) = delete;
    Nats& operator=(const Nats&) = delete;

    void start();  // returns at once; connects in the background
    void stop();
    bool connected() const;
    const std::string& url() const { return url_; }

    // Creates the stream or updates its configuration. Throws when NATS is unreachable.
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

}  // namespace chance::messaging
