#include "chance/messaging/nats.hpp"

#include <nats/nats.h>

#include <algorithm>

#include "chance/core/log.hpp"

namespace chance::messaging {

std::vector<std::string> split_server_list(const std::string& urls) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= urls.size()) {
        auto end = urls.find(',', start);
        if (end == std::string::npos) end = urls.size();
        auto first = urls.find_first_not_of(" \t", start);
        if (first != std::string::npos && first < end) {
            auto last = urls.find_last_not_of(" \t", end - 1);
            out.push_back(urls.substr(first, last - first + 1));
        }
        start = end + 1;
    }
    return out;
}

Nats::Nats(std::string url, std::string client_name, int stream_replicas)
    : url_(std::move(url)), name_(std::move(client_name)), stream_replicas_(std::max(1, stream_replicas)) {}

Nats::~Nats() { stop(); }

void Nats::start() {
    std::lock_guard lock(mu_);
    if (conn_) return;
    natsOptions* opts = nullptr;
    natsOptions_Create(&opts);
    // Every server of the list (a cluster): the client connects to one at random and, when it is lost,
    // reconnects to another, forever (also to servers the cluster announces).
    auto servers = split_server_list(url_);
    std::vector<const char*> server_ptrs;
    server_ptrs.reserve(servers.size());
    for (const auto& s : servers) server_ptrs.push_back(s.c_str());
    if (server_ptrs.empty()) server_ptrs.push_back(url_.c_str());
    natsOptions_SetServers(opts, server_ptrs.data(), static_cast<int>(server_ptrs.size()));
    natsOptions_SetName(opts, name_.c_str());
    natsOptions_SetMaxReconnect(opts, -1);
    natsOptions_SetReconnectWait(opts, 250);
    natsOptions_SetReconnectJitter(opts, 100, 0);
    natsOptions_SetTimeout(opts, 1000);
    natsOptions_SetReconnectBufSize(opts, 0);  // never buffer publishes while disconnected: the outbox does
    natsOptions_SetRetryOnFailedConnect(opts, true, nullptr, nullptr);
    natsStatus s = natsConnection_Connect(&conn_, opts);
    natsOptions_Destroy(opts);
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        log::warn("NATS connect failed", {{"url", url_}, {"error", natsStatus_GetText(s)}});
        conn_ = nullptr;
        return;
    }
    natsConnection_JetStream(&js_, conn_, nullptr);
}

void Nats::stop() {
    std::lock_guard batch(batch_mu_);
    std::lock_guard lock(mu_);
    if (js_async_) jsCtx_Destroy(js_async_);
    js_async_ = nullptr;
    if (js_) jsCtx_Destroy(js_);
    js_ = nullptr;
    if (conn_) {
        natsConnection_Close(conn_);
        natsConnection_Destroy(conn_);
    }
    conn_ = nullptr;
}

bool Nats::connected() const {
    std::lock_guard lock(mu_);
    return conn_ && natsConnection_Status(conn_) == NATS_CONN_STATUS_CONNECTED;
}

void Nats::ensure_stream(const StreamSpec& spec) {
    if (!connected()) throw NatsError("NATS is not connected");
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    cfg.Name = spec.name.c_str();
    std::vector<const char*> subjects;
    for (const auto& s : spec.subjects) subjects.push_back(s.c_str());
    cfg.Subjects = subjects.data();
    cfg.SubjectsLen = static_cast<int>(subjects.size());
    cfg.Storage = js_FileStorage;
    cfg.Duplicates = std::chrono::duration_cast<std::chrono::nanoseconds>(spec.duplicate_window).count();
    cfg.Replicas = spec.replicas > 0 ? spec.replicas : stream_replicas_;
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_AddStream(&si, js_, &cfg, nullptr, &err);
    if (s != NATS_OK && err == JSStreamReplicasNotSupportedErr && cfg.Replicas > 1) {
        // A single server (development): one copy is all it can keep. Said once, not at every declaration.
        if (!single_server_noted_.exchange(true))
            log::warn("NATS is not clustered: the stream keeps one replica",
                      {{"stream", spec.name}, {"replicas", static_cast<int64_t>(cfg.Replicas)}});
        cfg.Replicas = 1;
        s = js_AddStream(&si, js_, &cfg, nullptr, &err);
    }
    if (s != NATS_OK && err == JSStreamNameExistErr) {
        // The stream exists with another configuration (another duplicate window, another replica count):
        // bring it to this one. nats-server 2.9 scales replicas by an update; if it refuses, the existing stream
        // still carries the messages, so it is kept and the refusal logged.
        jsErrCode uerr = static_cast<jsErrCode>(0);
        natsStatus us = js_UpdateStream(&si, js_, &cfg, nullptr, &uerr);
        if (us != NATS_OK) {
            jsStreamInfo* existing = nullptr;
            jsErrCode gerr = static_cast<jsErrCode>(0);
            if (js_GetStreamInfo(&existing, js_, spec.name.c_str(), nullptr, &gerr) == NATS_OK) {
                log::warn("stream exists with another configuration and cannot be updated; using it as it is",
                          {{"stream", spec.name},
                           {"replicas_wanted", static_cast<int64_t>(cfg.Replicas)},
                           {"replicas", static_cast<int64_t>(existing->Config ? existing->Config->Replicas : 0)},
                           {"error", std::string(natsStatus_GetText(us)) + " (" +
                                         std::to_string(static_cast<int>(uerr)) + ")"}});
                jsStreamInfo_Destroy(existing);
                us = NATS_OK;
            }
        }
        s = us;
        err = uerr;
    }
    if (si) jsStreamInfo_Destroy(si);
    if (s != NATS_OK) {
        // A declaration can fail while the stream is there and working: in a cluster with a server down the meta
        // leader refuses to place an R3 configuration (no peers). Publishing must not wait for that server: if the
        // stream answers, it is used as it is.
        jsStreamInfo* existing = nullptr;
        jsErrCode gerr = static_cast<jsErrCode>(0);
        if (js_GetStreamInfo(&existing, js_, spec.name.c_str(), nullptr, &gerr) == NATS_OK) {
            jsStreamInfo_Destroy(existing);
            log::warn(
                "stream declaration refused; using the existing stream",
                {{"stream", spec.name},
                 {"error", std::string(natsStatus_GetText(s)) + " (" + std::to_string(static_cast<int>(err)) + ")"}});
            return;
        }
        throw NatsError("stream " + spec.name + ": " + natsStatus_GetText(s) + " (" + std::to_string(err) + ")");
    }
}

void Nats::publish(const std::string& subject, const std::string& msg_id, const std::string& data,
                   std::chrono::milliseconds timeout) {
    if (!connected()) throw NatsError("NATS is not connected");
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = msg_id.c_str();
    po.MaxWait = timeout.count();
    jsPubAck* ack = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_Publish(&ack, js_, subject.c_str(), data.data(), static_cast<int>(data.size()), &po, &err);
    if (ack) jsPubAck_Destroy(ack);
    if (s != NATS_OK) throw NatsError(std::string("publish: ") + natsStatus_GetText(s));
}

namespace {
void on_pub_ack(jsCtx*, natsMsg* msg, jsPubAck* pa, jsPubAckErr*, void* closure) {
    if (pa != nullptr) {
        const char* id = nullptr;
        if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) {
            auto* nats = static_cast<Nats*>(closure);
            nats->record_ack(id);
        }
    }
    natsMsg_Destroy(msg);
}
}  // namespace

void Nats::record_ack(const char* msg_id) {
    std::lock_guard lock(acked_mu_);
    acked_.emplace_back(msg_id);
}

std::vector<bool> Nats::publish_many(const std::vector<Outgoing>& msgs, std::chrono::milliseconds timeout) {
    std::vector<bool> ok(msgs.size(), false);
    if (msgs.empty()) return ok;
    std::lock_guard batch(batch_mu_);
    if (!connected()) throw NatsError("NATS is not connected");
    if (!js_async_) {
        jsOptions o;
        jsOptions_Init(&o);
        o.PublishAsync.MaxPending = 4096;
        o.PublishAsync.AckHandler = on_pub_ack;
        o.PublishAsync.AckHandlerClosure = this;
        if (natsConnection_JetStream(&js_async_, conn_, &o) != NATS_OK) {
            js_async_ = nullptr;
            throw NatsError("cannot create a JetStream context");
        }
    }
    {
        std::lock_guard lock(acked_mu_);
        acked_.clear();
    }
    size_t sent = 0;
    for (; sent < msgs.size(); ++sent) {
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MsgId = msgs[sent].msg_id.c_str();
        natsStatus s = js_PublishAsync(js_async_, msgs[sent].subject.c_str(), msgs[sent].data.data(),
                                       static_cast<int>(msgs[sent].data.size()), &po);
        if (s != NATS_OK) break;  // the rest stay unacknowledged and go again later
    }
    jsPubOptions wait;
    jsPubOptions_Init(&wait);
    wait.MaxWait = timeout.count();
    natsStatus done = js_PublishAsyncComplete(js_async_, &wait);
    if (done != NATS_OK) {
        // Give up on what is still in flight; a late ack is harmless (the row is published again, deduplicated).
        natsMsgList pending{};
        if (js_PublishAsyncGetPendingList(&pending, js_async_) == NATS_OK) natsMsgList_Destroy(&pending);
    }
    std::vector<std::string> acked;
    {
        std::lock_guard lock(acked_mu_);
        acked.swap(acked_);
    }
    std::sort(acked.begin(), acked.end());
    for (size_t i = 0; i < sent; ++i) ok[i] = std::binary_search(acked.begin(), acked.end(), msgs[i].msg_id);
    return ok;
}

}  // namespace chance::messaging
