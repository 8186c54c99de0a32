#pragma once
// Pure pieces of the gateway's protection, unit-tested without a socket: the session cookie, the CSRF
// check, allowed origins, the client address behind trusted proxies, the in-process login guard, which routes are
// public, security headers, and resolving a static file path safely.
#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chance/http/message.hpp"

namespace chance::gateway {

inline constexpr const char* kSessionCookie = "__Host-session";

std::string session_cookie(const std::string& token, std::optional<std::chrono::seconds> max_age);
std::string clear_session_cookie();

// Origin (or Referer) must be the public origin. Returns false when it is missing or foreign.
bool same_origin(const http::Request& req, const std::string& public_origin);
// Origin (or Referer) must be one of `origins` (the public origin and the setting allowed-origins).
bool same_origin(const http::Request& req, const std::vector<std::string>& origins);
// The setting allowed-origins: comma-separated origins (scheme://host[:port], no path, no trailing slash).
// Throws std::invalid_argument naming the first bad entry. Empty entries are skipped.
std::vector<std::string> parse_origins(std::string_view list);

// The networks of the proxies in front of the gateway (setting trusted-proxies): IPv4/IPv6 addresses or CIDRs.
class TrustedProxies {
  public:
    TrustedProxies() = default;
    // Comma-separated "10.0.0.1, 10.1.0.0/16, ::1, fd00::/8"; throws std::invalid_argument naming a bad entry.
    static TrustedProxies parse(std::string_view list);
    bool contains(std::string_view address) const;
    bool empty() const { return nets_.empty(); }

  private:
    struct Net {
        std::array<uint8_t, 16> bytes;  // IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d)
        int prefix;                     // bits of `bytes` that must match
    };
    std::vector<Net> nets_;
};

// An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), or nullopt when `text` is not one.
std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text);

// The customer's address: the TCP peer, unless the peer is a trusted proxy; then X-Forwarded-For is walked from
// the right, skipping trusted addresses, and the first untrusted one is the client (the leftmost when all are
// trusted). An entry that is not an address, reached on that walk, makes the header worthless: the peer is used.
std::string client_address(const http::Request& req, const TrustedProxies& trusted);
bool is_state_changing(const std::string& method);

// Anonymous customers may browse: search, suggestions, premiere pages, posters, price quotes; and a mail program
// may post a reminder's signed one-click unsubscribe.
bool is_public(const std::string& method, const std::string& path);

// Content-Security-Policy (a page's policy for HTML and untyped responses, `default-src 'none'` for anything else),
// nosniff, the referrer policy, no framing, and HSTS when the store is served over https.
void add_security_headers(http::Response& res, bool https);

// Failed logins per account and per IP in this process: free attempts, then a growing delay, then a lockout.
// The gateway decides with SharedLoginGuard (limits.hpp), which falls back to this without its database.
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
