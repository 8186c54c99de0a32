#pragma once
// Building the email itself (pure; unit-tested): RFC 2047 encoded headers, multipart/alternative with
// base64 text and HTML parts, and a deterministic Message-ID per delivery.
#include <string>

namespace chance::notifications {

struct Email {
    std::string from_name, from_address;
    std::string to_name, to_address;
    std::string subject;
    std::string text, html;
    std::string message_id;       // without angle brackets
    std::string date;             // RFC 5322 date
    std::string unsubscribe_url;  // when set: List-Unsubscribe with List-Unsubscribe-Post (one click, RFC 8058)
};

std::string encode_header_word(const std::string& utf8);  // =?UTF-8?B?...?=
std::string base64_lines(const std::string& data);        // wrapped at 76 columns, CRLF
std::string build_mime(const Email& e, const std::string& boundary);
std::string rfc5322_date(long long unix_seconds);
std::string html_escape(const std::string& s);

}  // namespace chance::notifications
