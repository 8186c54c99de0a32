#include "gateway/protection.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace chance::gateway {

std::string session_cookie(const std::string& token, std::optional<std::chrono::seconds> max_age) {
    std::string c = std::string(kSessionCookie) + "=" + token + "; Path=/; Secure; HttpOnly; SameSite=Lax";
    if (max_age) c += "; Max-Age=" + std::to_string(max_age->count());
    return c;
}

std::string clear_session_cookie() {
    return std::string(kSessionCookie) + "=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0";
}

bool same_origin(const http::Request& req, const std::string& public_origin) {
    if (auto origin = req.headers.get("Origin")) return *origin == public_origin;
    if (auto referer = req.headers.get("Referer"))
        return referer->rfind(public_origin + "/", 0) == 0 || *referer == public_origin;
    return false;
}

bool same_origin(const http::Request& req, const std::vector<std::string>& origins) {
    return std::any_of(origins.begin(), origins.end(), [&req](const std::string& o) { return same_origin(req, o); });
}

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split_list(std::string_view list) {
    std::vector<std::string_view> out;
    while (true) {
        auto comma = list.find(',');
        out.push_back(trim(list.substr(0, comma)));
        if (comma == std::string_view::npos) return out;
        list.remove_prefix(comma + 1);
    }
}

bool valid_origin(std::string_view o) {
    std::string_view rest;
    if (o.rfind("http://", 0) == 0)
        rest = o.substr(7);
    else if (o.rfind("https://", 0) == 0)
        rest = o.substr(8);
    else
        return false;
    if (rest.empty()) return false;
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == ':' || c == '[' ||
               c == ']';
    });
}
}  // namespace

std::vector<std::string> parse_origins(std::string_view list) {
    std::vector<std::string> out;
    for (auto entry : split_list(list)) {
        if (entry.empty()) continue;
        if (!valid_origin(entry)) throw std::invalid_argument(std::string(entry));
        out.emplace_back(entry);
    }
    return out;
}

std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;
    std::string s(text);
    std::array<uint8_t, 16> out{};
    if (s.find(':') == std::string::npos) {
        std::array<uint8_t, 4> v4{};
        if (inet_pton(AF_INET, s.c_str(), v4.data()) != 1) return std::nullopt;
        out[10] = out[11] = 0xff;
        std::copy(v4.begin(), v4.end(), out.begin() + 12);
        return out;
    }
    if (inet_pton(AF_INET6, s.c_str(), out.data()) != 1) return std::nullopt;
    return out;
}

TrustedProxies TrustedProxies::parse(std::string_view list) {
    TrustedProxies t;
    for (auto entry : split_list(list)) {
        if (entry.empty()) continue;
        auto slash = entry.find('/');
        auto ip = parse_ip(entry.substr(0, slash));
        if (!ip) throw std::invalid_argument(std::string(entry));
        bool v4 = entry.substr(0, slash).find(':') == std::string_view::npos;
        int prefix = 128;
        if (slash != std::string_view::npos) {
            auto bits = entry.substr(slash + 1);
            int max = v4 ? 32 : 128;
            if (bits.empty() || bits.size() > 3 ||
                !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; }))
                throw std::invalid_argument(std::string(entry));
            int n = std::stoi(std::string(bits));
            if (n > max) throw std::invalid_argument(std::string(entry));
            prefix = v4 ? n + 96 : n;
        }
        t.nets_.push_back({*ip, prefix});
    }
    return t;
}

bool TrustedProxies::contains(std::string_view address) const {
    auto ip = parse_ip(address);
    if (!ip) return false;
    return std::any_of(nets_.begin(), nets_.end(), [&ip](const Net& n) {
        int full = n.prefix / 8;
        if (std::memcmp(ip->data(), n.bytes.data(), static_cast<size_t>(full)) != 0) return false;
        int rest = n.prefix % 8;
        if (rest == 0) return true;
        auto mask = static_cast<uint8_t>(0xff << (8 - rest));
        return ((*ip)[static_cast<size_t>(full)] & mask) == (n.bytes[static_cast<size_t>(full)] & mask);
    });
}

std::string client_address(const http::Request& req, const TrustedProxies& trusted) {
    if (trusted.empty() || !trusted.contains(req.remote_addr)) return req.remote_addr;
    // Several X-Forwarded-For lines are one list, in order (RFC 9110 §5.3).
    std::vector<std::string_view> hops;
    auto lines = req.headers.get_all("X-Forwarded-For");
    for (const auto& line : lines)
        for (auto hop : split_list(line)) hops.push_back(hop);
    if (hops.empty()) return req.remote_addr;
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        if (!parse_ip(*it)) return req.remote_addr;
        if (!trusted.contains(*it)) return std::string(*it);
    }
    return std::string(hops.front());
}

bool is_state_changing(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_public(const std::string& method, const std::string& path) {
    // A mail program's one-click unsubscribe (RFC 8058) posts without a session: its address is signed.
    if (method == "POST" && path == "/api/v1/notifications/unsubscribe") return true;
    if (method != "GET" && method != "HEAD") return false;
    // Media URLs carry their own short-lived signature (bound to the customer and the rental).
    for (const char* p : {"/api/v1/search", "/api/v1/premiere/", "/api/v1/rent/", "/api/v1/shows", "/media/"})
        if (path.rfind(p, 0) == 0) return true;
    return false;
}

void add_security_headers(http::Response& res, bool https) {
    // A page (HTML: the SPA, a receipt, the unsubscribe page) gets the policy a page of the store needs. Anything
    // else (JSON, problems, CSV, scripts, images, media) is never meant to be shown as a page: `default-src 'none'`
    // forbids everything should a browser ever render it (OWASP's advice for API responses), in 42 bytes instead
    // of 232 on every API answer. A response without a type (304, 204) keeps the page's policy: a browser may copy
    // a 304's headers onto the page it revalidated.
    auto type = res.headers.get("Content-Type");
    bool page = !type || type->rfind("text/html", 0) == 0;
    res.headers.set("Content-Security-Policy",
                    page ? "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
                           "data:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri "
                           "'self'; form-action 'self'; object-src 'none'"
                         : "default-src 'none'; frame-ancestors 'none'");
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    res.headers.set("X-Frame-Options", "DENY");
    if (https) res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

int LoginGuard::wait(Entry& e, Clock::time_point now) {
    if (now >= e.next_allowed) return 0;
    return std::max(1, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(e.next_allowed - now).count()));
}

void LoginGuard::bump(Entry& e, Clock::time_point now) {
    ++e.failures;
    if (e.failures >= policy_.lockout_after) {
        e.next_allowed = now + policy_.lockout;
    } else if (e.failures > policy_.free_attempts) {
        e.next_allowed = now + std::chrono::seconds(1 << std::min(e.failures - policy_.free_attempts, 8));
    }
}

int LoginGuard::retry_after(const std::string& account, const std::string& ip, Clock::time_point now) {
    std::lock_guard lock(mu_);
    int a = accounts_.contains(account) ? wait(accounts_[account], now) : 0;
    int i = ips_.contains(ip) ? wait(ips_[ip], now) : 0;
    return std::max(a, i);
}

void LoginGuard::failed(const std::string& account, const std::string& ip, Clock::time_point now) {
    std::lock_guard lock(mu_);
    if (accounts_.size() > 100000) accounts_.clear();
    if (ips_.size() > 100000) ips_.clear();
    bump(accounts_[account], now);
    // An address gets more room than one account: several customers may share it.
    auto& e = ips_[ip];
    if (++e.failures % 4 == 0) {
        --e.failures;
        bump(e, now);
    }
}

void LoginGuard::succeeded(const std::string& account) {
    std::lock_guard lock(mu_);
    accounts_.erase(account);
}

std::optional<std::string> static_file(const std::string& root, const std::string& url_path) {
    if (root.empty() || url_path.empty() || url_path[0] != '/') return std::nullopt;
    if (url_path.find('\0') != std::string::npos || url_path.find("..") != std::string::npos ||
        url_path.find('\\') != std::string::npos)
        return std::nullopt;
    std::error_code ec;
    auto base = std::filesystem::weakly_canonical(root, ec);
    if (ec) return std::nullopt;
    auto full = std::filesystem::weakly_canonical(base / url_path.substr(1), ec);
    if (ec) return std::nullopt;
    auto rel = full.lexically_relative(base);
    if (rel.empty() || rel.native().rfind("..", 0) == 0) return std::nullopt;
    if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
    return full.string();
}

std::string content_type_for(const std::string& path) {
    static const std::map<std::string, std::string> kTypes{{".html", "text/html; charset=utf-8"},
                                                           {".js", "text/javascript; charset=utf-8"},
                                                           {".css", "text/css; charset=utf-8"},
                                                           {".svg", "image/svg+xml"},
                                                           {".png", "image/png"},
                                                           {".ico", "image/x-icon"},
                                                           {".json", "application/json"},
                                                           {".woff2", "font/woff2"},
                                                           {".txt", "text/plain; charset=utf-8"},
                                                           {".webmanifest", "application/manifest+json"}};
    auto ext = std::filesystem::path(path).extension().string();
    auto it = kTypes.find(ext);
    return it == kTypes.end() ? "application/octet-stream" : it->second;
}

bool is_navigation_path(std::string_view path) {
    if (path.rfind("/assets/", 0) == 0) return false;
    auto last = path.substr(path.rfind('/') + 1);
    return last.find('.') == std::string_view::npos;
}

}  // namespace chance::gateway
