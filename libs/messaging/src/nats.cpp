#include "chance/messaging/nats.hpp"

#include <nats/nats.h>

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
    std::lock_guard lock(mu_);
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

}  // namespace chance::messaging
