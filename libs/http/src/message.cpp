#include "chance/http/message.hpp"

#include <boost/json.hpp>

namespace chance::http {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

bool is_framing_header(std::string_view name) {
    return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

namespace {
void append_sanitized(std::string& out, std::string_view v) {
    // Whole runs between CRs and LFs are appended at once; a header value almost never has one.
    for (;;) {
        auto cut = v.find_first_of("\r\n");
        if (cut == std::string_view::npos) {
            out.append(v);
            return;
        }
        out.append(v.substr(0, cut)).append(1, ' ');
        v.remove_prefix(cut + 1);
    }
}
}  // namespace

void append_header_line(std::string& out, std::string_view name, std::string_view value) {
    append_sanitized(out, name);
    out.append(": ");
    append_sanitized(out, value);
    out.append("\r\n");
}

std::optional<std::string> Headers::get(std::string_view name) const {
    for (const auto& [k, v] : items_)
        if (iequals(k, name)) return v;
    return std::nullopt;
}

std::vector<std::string> Headers::get_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : items_)
        if (iequals(k, name)) out.push_back(v);
    return out;
}

void Headers::set(std::string name, std::string value) {
    remove(name);
    add(std::move(name), std::move(value));
}

void Headers::add(std::string name, std::string value) {
    if (items_.capacity() == 0) items_.reserve(8);  // a typical message's headers in one allocation, not four
    items_.emplace_back(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
    std::erase_if(items_, [&](const auto& kv) { return iequals(kv.first, name); });
}

namespace {
int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string percent_decode(std::string_view s, bool plus_as_space) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            int h = hexval(s[i + 1]);
            int l = hexval(s[i + 2]);
            if (h >= 0 && l >= 0) {
                out += static_cast<char>(h * 16 + l);
                i += 2;
                continue;
            }
        }
        out += (plus_as_space && c == '+') ? ' ' : c;
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_query(std::string_view qs) {
    std::map<std::string, std::string> out;
    while (!qs.empty()) {
        auto amp = qs.find('&');
        auto part = qs.substr(0, amp);
        qs = amp == std::string_view::npos ? std::string_view{} : qs.substr(amp + 1);
        if (part.empty()) continue;
        auto eq = part.find('=');
        auto key = percent_decode(part.substr(0, eq), true);
        auto val = eq == std::string_view::npos ? std::string{} : percent_decode(part.substr(eq + 1), true);
        out[std::move(key)] = std::move(val);
    }
    return out;
}

std::optional<std::string> Request::query_param(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

const std::string& Request::param(const std::string& key) const {
    static const std::string kEmpty;
    auto it = params.find(key);
    return it == params.end() ? kEmpty : it->second;
}

std::optional<std::string> Request::context_value(const std::string& key) const {
    auto it = context.find(key);
    if (it == context.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    for (const auto& header : headers.get_all("Cookie")) {
        std::string_view rest = header;
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto part = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
        }
    }
    return std::nullopt;
}

std::optional<std::string> Response::header(std::string_view name) const {
    if (auto v = headers.get(name)) return v;
    if (!prepared) return std::nullopt;
    std::string_view lines = prepared->header_lines;
    while (!lines.empty()) {
        auto end = lines.find("\r\n");
        auto line = lines.substr(0, end);
        auto colon = line.find(": ");
        if (colon != std::string_view::npos && iequals(line.substr(0, colon), name))
            return std::string(line.substr(colon + 2));
        if (end == std::string_view::npos) break;
        lines.remove_prefix(end + 2);
    }
    return std::nullopt;
}

std::shared_ptr<const Response::Prepared> Response::prepare() const {
    auto out = std::make_shared<Prepared>();
    if (prepared) out->header_lines = prepared->header_lines;
    for (const auto& [k, v] : headers.all())
        if (!is_framing_header(k)) append_header_line(out->header_lines, k, v);
    out->body = std::string(payload());
    return out;
}

Response Response::json(int status, const boost::json::value& v) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", "application/json; charset=utf-8");
    r.body = boost::json::serialize(v);
    return r;
}

Response Response::problem(const Problem& p) {
    Response r;
    r.status = p.status();
    r.headers.set("Content-Type", "application/problem+json; charset=utf-8");
    for (const auto& [k, v] : p.headers()) r.headers.set(k, v);
    r.body = boost::json::serialize(p.to_json());
    return r;
}

Response Response::text(int status, std::string body, std::string content_type) {
    Response r;
    r.status = status;
    r.headers.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    return r;
}

}  // namespace chance::http
