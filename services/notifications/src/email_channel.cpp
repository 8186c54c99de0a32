#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "notifications/channel.hpp"
#include "notifications/mime.hpp"

namespace chance::notifications {

namespace {

size_t read_cb(char* buf, size_t size, size_t n, void* user) {
    auto* src = static_cast<std::pair<const std::string*, size_t>*>(user);
    size_t left = src->first->size() - src->second;
    size_t take = std::min(left, size * n);
    std::memcpy(buf, src->first->data() + src->second, take);
    src->second += take;
    return take;
}

}  // namespace

EmailChannel::EmailChannel(std::string smtp_url, std::string from_address)
    : smtp_url_(std::move(smtp_url)), from_address_(std::move(from_address)) {}

SendResult EmailChannel::send(const Delivery& d) {
    try {
        Email e{"Шанс-видео",
                from_address_,
                "",
                d.recipient,
                d.subject,
                d.text,
                d.html,
                d.id + "@chance-video.local",
                rfc5322_date(d.created),
                d.unsubscribe_url};
        std::string mime = build_mime(e, "=_chance_" + d.id);
        // One handle per delivery thread, reused: libcurl keeps the SMTP connection open between messages.
        thread_local std::unique_ptr<CURL, void (*)(CURL*)> handle(curl_easy_init(), curl_easy_cleanup);
        CURL* c = handle.get();
        if (!c) return SendResult::failed("curl init failed");
        curl_easy_reset(c);
        std::pair<const std::string*, size_t> src{&mime, 0};
        curl_slist* rcpt = curl_slist_append(nullptr, ("<" + d.recipient + ">").c_str());
        curl_easy_setopt(c, CURLOPT_URL, smtp_url_.c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from_address_ + ">").c_str());
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, &read_cb);
        curl_easy_setopt(c, CURLOPT_READDATA, &src);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
        CURLcode rc = curl_easy_perform(c);
        curl_slist_free_all(rcpt);
        if (rc != CURLE_OK) return SendResult::failed(std::string("smtp: ") + curl_easy_strerror(rc));
        return SendResult::ok();
    } catch (const std::exception& ex) {
        return SendResult::failed(ex.what());
    }
}

}  // namespace chance::notifications
