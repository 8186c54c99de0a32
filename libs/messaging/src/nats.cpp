#include "chance/messaging/nats.hpp"

#include <nats/nats.h>

#include <algorithm>

#include "chance/core/log.hpp"

namespace chance::messaging {

Nats::Nats(std::string url, std::string client_name) : url_(std::move(url)), name_(std::move(client_name)) {}

Nats::~Nats() { stop(); }

void Nats::start() {
    std::lock_guard lock(mu_);
    if (conn_) return;
    natsOptions* opts = nullptr;
    natsOptions_Create(&opts);
    natsOptions_SetURL(opts, url_.c_str());
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
    jsStreamInfo* si = nullptr;
    jsErrCode err = static_cast<jsErrCode>(0);
    natsStatus s = js_AddStream(&si, js_, &cfg, nullptr, &err);
    if (s != NATS_OK && err == JSStreamNameExistErr) s = js_UpdateStream(&si, js_, &cfg, nullptr, &err);
    if (si) jsStreamInfo_Destroy(si);
    if (s != NATS_OK)
        throw NatsError("stream " + spec.name + ": " + natsStatus_GetText(s) + " (" + std::to_string(err) + ")");
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
