#pragma once
// The delivery channels: one class per way a claimed delivery row leaves the service, behind one interface.
// The delivery worker picks the channel by the row's `channel` column ('email', 'sms'); in-app notices are
// not deliveries (they are written in the consumer's transaction and read through the API).
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace chance::http {
class Client;
}

namespace chance::notifications {

// What a channel sends: one row of `deliveries` as the worker claimed it.
struct Delivery {
    std::string id;         // the delivery's UUID: Message-ID and idempotency key
    std::string recipient;  // an email address or a phone number
    std::string subject;
    std::string text;             // the plain text (the SMS text for SMS)
    std::string html;             // empty for SMS
    long long created = 0;        // unix seconds, the email's Date
    std::string unsubscribe_url;  // a reminder email's List-Unsubscribe (one click, RFC 8058); empty otherwise
};

// The outcome of one attempt: sent, or why not (kept as the delivery's last_error; the worker retries with
// backoff). A channel reports every failure of its transport here instead of throwing.
struct SendResult {
    bool sent = false;
    std::string error;

    static SendResult ok() { return {true, {}}; }
    static SendResult failed(std::string why) { return {false, std::move(why)}; }
};

class Channel {
  public:
    virtual ~Channel() = default;
    virtual std::string_view name() const = 0;  // the `channel` column's value
    // Called by several delivery threads at once.
    virtual SendResult send(const Delivery& d) = 0;
};

// Email over SMTP through libcurl: multipart text + HTML (build_mime), Message-ID <delivery-id@chance-video.local>.
// Each delivery thread keeps one libcurl handle, so the SMTP connection stays open between messages.
class EmailChannel : public Channel {
  public:
    EmailChannel(std::string smtp_url, std::string from_address);
    std::string_view name() const override { return "email"; }
    SendResult send(const Delivery& d) override;

  private:
    std::string smtp_url_;
    std::string from_address_;
};

// SMS through the provider's HTTP API: POST {"to", "text", "id"} as JSON with Idempotency-Key: <delivery id>;
// anything but 200 is a failure. `sms_url` is the endpoint's full URL (no path: "/send").
class SmsChannel : public Channel {
  public:
    explicit SmsChannel(const std::string& sms_url);
    ~SmsChannel() override;
    std::string_view name() const override { return "sms"; }
    SendResult send(const Delivery& d) override;

  private:
    std::unique_ptr<http::Client> client_;
    std::string path_;
};

}  // namespace chance::notifications
