#include "notifications/mime.hpp"

#include <ctime>

#include "chance/core/text.hpp"

namespace chance::notifications {

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(const std::string& in) {
    std::string out;
    size_t i = 0;
    while (i + 2 < in.size()) {
        unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += kB64[(n >> 18) & 63];
        out += kB64[(n >> 12) & 63];
        out += kB64[(n >> 6) & 63];
        out += kB64[n & 63];
        i += 3;
    }
    if (i + 1 == in.size()) {
        unsigned n = static_cast<unsigned char>(in[i]) << 16;
        out += kB64[(n >> 18) & 63];
        out += kB64[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += kB64[(n >> 18) & 63];
        out += kB64[(n >> 12) & 63];
        out += kB64[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

bool ascii_printable(const std::string& s) {
    for (unsigned char c : s)
        if (c < 32 || c > 126) return false;
    return true;
}
}  // namespace

std::string encode_header_word(const std::string& utf8) {
    if (ascii_printable(utf8)) return utf8;
    return "=?UTF-8?B?" + base64(utf8) + "?=";
}

std::string base64_lines(const std::string& data) {
    auto b = base64(data);
    std::string out;
    for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
    return out;
}

std::string html_escape(const std::string& s) { return text::html_escape(s); }

std::string rfc5322_date(long long unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string build_mime(const Email& e, const std::string& boundary) {
    auto addr = [](const std::string& name, const std::string& address) {
        return name.empty() ? "<" + address + ">" : encode_header_word(name) + " <" + address + ">";
    };
    std::string m;
    m += "From: " + addr(e.from_name, e.from_address) + "\r\n";
    m += "To: " + addr(e.to_name, e.to_address) + "\r\n";
    m += "Subject: " + encode_header_word(e.subject) + "\r\n";
    m += "Date: " + e.date + "\r\n";
    m += "Message-ID: <" + e.message_id + ">\r\n";
    if (!e.unsubscribe_url.empty()) {
        m += "List-Unsubscribe: <" + e.unsubscribe_url + ">\r\n";
        m += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    m += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(e.text);
    m += "--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    m += base64_lines(e.html);
    m += "--" + boundary + "--\r\n";
    return m;
}

}  // namespace chance::notifications
