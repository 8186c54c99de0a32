#include <boost/json.hpp>

#include "chance/http/client.hpp"
#include "notifications/channel.hpp"

namespace chance::notifications {

namespace {

// "http://host:port/path" → the base the client connects to and the path it posts to ("/send" when none).
std::string base_of(const std::string& url) { return url.substr(0, url.find('/', 8)); }
std::string path_of(const std::string& url) {
    auto slash = url.find('/', 8);
    return slash == std::string::npos ? "/send" : url.substr(slash);
}

}  // namespace

SmsChannel::SmsChannel(const std::string& sms_url)
    : client_(std::make_unique<http::Client>(base_of(sms_url))), path_(path_of(sms_url)) {}

SmsChannel::~SmsChannel() = default;

SendResult SmsChannel::send(const Delivery& d) {
    try {
        http::Headers h;
        h.set("Content-Type", "application/json");
        h.set("Idempotency-Key", d.id);
        auto body = boost::json::object{{"to", d.recipient}, {"text", d.text}, {"id", d.id}};
        auto r = client_->send("POST", path_, h, boost::json::serialize(body));
        if (r.status != 200) return SendResult::failed("sms gateway answered " + std::to_string(r.status));
        return SendResult::ok();
    } catch (const std::exception& ex) {
        return SendResult::failed(ex.what());
    }
}

}  // namespace chance::notifications
