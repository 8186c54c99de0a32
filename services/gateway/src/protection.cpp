#include "gateway/protection.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

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

bool is_state_changing(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool is_public(const std::string& method, const std::string& path) {
    if (method != "GET" && method != "HEAD") return false;
    // Media URLs carry their own short-lived signature (bound to the customer and the rental).
    for (const char* p : {"/api/v1/search", "/api/v1/premiere/", "/api/v1/rent/", "/media/"})
        if (path.rfind(p, 0) == 0) return true;
    return false;
}

void add_security_headers(http::Response& res, bool https) {
    res.headers.set("Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
                    "form-action 'self'; object-src 'none'");
    res.headers.set("X-Content-Type-Options", "nosniff");
    res.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
    res.headers.set("X-Frame-Options", "DENY");
    if (https) res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}

int RateLimiter::take(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mu_);
    if (buckets_.size() > 100000) buckets_.clear();  // bounded memory under an address sweep
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    auto& b = it->second;
    if (!fresh) {
        double elapsed = std::chrono::duration<double>(now - b.at).count();
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.at = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max(1, static_cast<int>(std::ceil((1.0 - b.tokens) / rate_)));
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
