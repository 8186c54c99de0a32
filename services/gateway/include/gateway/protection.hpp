#pragma once
// Pure pieces of the gateway's protection, unit-tested without a socket: the session cookie, the CSRF
// check, rate limiting with an injectable clock, which routes are public, security headers, and
// resolving a static file path safely.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "chance/http/message.hpp"

namespace chance::gateway {

inline constexpr const char* kSessionCookie = "__Host-session";

std::string session_cookie(const std::string& token, std::optional<std::chrono::seconds> max_age);
std::string clear_session_cookie();

// Origin (or Referer) must be the public origin. Returns false when it is missing or foreign.
bool same_origin(const http::Request& req, const std::string& public_origin);
bool is_state_changing(const std::string& method);

// Anonymous customers may browse: search, suggestions, premiere pages, posters, price quotes.
bool is_public(const std::string& method, const std::string& path);

void add_security_headers(http::Response& res, bool https);

// Token bucket per key (IP): rate per second, burst.
class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    // Seconds to wait, or 0 when allowed.
    int take(const std::string& key, Clock::time_point now = Clock::now());

  private:
    struct Bucket {
        double tokens;
        Clock::time_point at;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::map<std::string, Bucket> buckets_;
};

// Failed logins per account and per IP: free attempts, then a growing delay, then a lockout.
class LoginGuard {
  public:
    using Clock = std::chrono::steady_clock;
    struct Policy {
        int free_attempts = 5;
        int lockout_after = 10;
        std::chrono::seconds lockout{15 * 60};
    };
    explicit LoginGuard(Policy p) : policy_(p) {}
    LoginGuard() : LoginGuard(Policy{}) {}
    // Seconds the caller must wait before trying again (0 = may try now).
    int retry_after(const std::string& account, const std::string& ip, Clock::time_point now = Clock::now());
    void failed(const std::string& account, const std::string& ip, Clock::time_point now = Clock::now());
    void succeeded(const std::string& account);

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point next_allowed{};
    };
    int wait(Entry& e, Clock::time_point now);
    void bump(Entry& e, Clock::time_point now);
    Policy policy_;
    std::mutex mu_;
    std::map<std::string, Entry> accounts_, ips_;
};

// Maps a URL path to a file under root; nullopt for anything that could leave the root.
std::optional<std::string> static_file(const std::string& root, const std::string& url_path);
// Whether a path the SPA does not have as a file is a page of the SPA (answered with index.html) rather than a
// missing file (404): nothing under /assets/, nothing whose last segment has an extension.
bool is_navigation_path(std::string_view path);
std::string content_type_for(const std::string& path);

}  // namespace chance::gateway
