#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gateway/protection.hpp"
#include "gateway/proxy.hpp"

using namespace chance;
using namespace chance::gateway;
using namespace std::chrono_literals;

TEST(Cookie, HostPrefixedSecureHttpOnlyLax) {
    auto c = session_cookie("tok", std::nullopt);
    EXPECT_EQ(c, "__Host-session=tok; Path=/; Secure; HttpOnly; SameSite=Lax");
    EXPECT_NE(session_cookie("tok", 30s).find("Max-Age=30"), std::string::npos);
    EXPECT_NE(clear_session_cookie().find("Max-Age=0"), std::string::npos);
}

TEST(Csrf, OriginMustBeTheStore) {
    http::Request r;
    EXPECT_FALSE(same_origin(r, "http://localhost:8080"));
    r.headers.set("Origin", "http://evil.example");
    EXPECT_FALSE(same_origin(r, "http://localhost:8080"));
    r.headers.set("Origin", "http://localhost:8080");
    EXPECT_TRUE(same_origin(r, "http://localhost:8080"));
    http::Request ref;
    ref.headers.set("Referer", "http://localhost:8080.evil.example/x");
    EXPECT_FALSE(same_origin(ref, "http://localhost:8080"));
    ref.headers.set("Referer", "http://localhost:8080/cart");
    EXPECT_TRUE(same_origin(ref, "http://localhost:8080"));
}

TEST(Routing, PublicRoutesAndOwners) {
    EXPECT_TRUE(is_public("GET", "/api/v1/search/"));
    EXPECT_TRUE(is_public("GET", "/api/v1/premiere/5"));
    EXPECT_TRUE(is_public("GET", "/api/v1/rent/5"));
    EXPECT_FALSE(is_public("POST", "/api/v1/rent/"));
    EXPECT_TRUE(is_public("POST", "/api/v1/notifications/unsubscribe"));  // signed, posted by a mail program
    EXPECT_FALSE(is_public("POST", "/api/v1/notifications/1/read"));
    EXPECT_FALSE(is_public("GET", "/api/v1/notifications/unsubscribe"));
    EXPECT_FALSE(is_public("GET", "/api/v1/cart"));
    EXPECT_FALSE(is_public("GET", "/api/v1/billing/amount/"));
    EXPECT_TRUE(route_for("/api/v1/billing/withdraw/")->internal_only);
    EXPECT_TRUE(route_for("/api/v1/billing/refund")->internal_only);
    EXPECT_EQ(route_for("/api/v1/billing/amount/")->upstream, Upstream::billing);
    EXPECT_EQ(route_for("/api/v1/me/notifications")->upstream, Upstream::notifications);
    EXPECT_EQ(route_for("/api/v1/cart/items/3")->upstream, Upstream::premieres);
    EXPECT_EQ(route_for("/pay/pay_1/confirm")->upstream, Upstream::payment_page);
    EXPECT_EQ(route_for("/api/v1/admin/orders/0193a1b2-0000-7000-8000-000000000001/refunds")->upstream,
              Upstream::premieres);
    EXPECT_EQ(route_for("/api/v1/admin/reports/sales")->upstream, Upstream::premieres);
    EXPECT_FALSE(route_for("/api/v1/admin/ordersx"));
    EXPECT_EQ(route_for("/api/v1/payments/webhook")->upstream, Upstream::billing);
    EXPECT_FALSE(route_for("/api/v1/searchx"));
    EXPECT_FALSE(route_for("/api/v2/search"));
}

TEST(Csrf, AnyAllowedOriginWithTheSameStrictness) {
    auto origins = parse_origins(" http://127.0.0.1:8080 ,https://shop.example.ru,");
    ASSERT_EQ(origins, (std::vector<std::string>{"http://127.0.0.1:8080", "https://shop.example.ru"}));
    origins.insert(origins.begin(), "http://localhost:8080");
    http::Request r;
    EXPECT_FALSE(same_origin(r, origins));
    for (const auto* o : {"http://localhost:8080", "http://127.0.0.1:8080", "https://shop.example.ru"}) {
        r.headers.set("Origin", o);
        EXPECT_TRUE(same_origin(r, origins)) << o;
    }
    for (const auto* o : {"http://127.0.0.1:8081", "http://shop.example.ru", "null", "http://127.0.0.1:8080.evil"}) {
        r.headers.set("Origin", o);
        EXPECT_FALSE(same_origin(r, origins)) << o;
    }
    http::Request ref;
    ref.headers.set("Referer", "http://127.0.0.1:8080/register");
    EXPECT_TRUE(same_origin(ref, origins));
    ref.headers.set("Referer", "http://127.0.0.1:80800/register");
    EXPECT_FALSE(same_origin(ref, origins));
    EXPECT_TRUE(parse_origins("").empty());
    EXPECT_THROW(parse_origins("http://localhost:8080/"), std::invalid_argument);
    EXPECT_THROW(parse_origins("localhost:8080"), std::invalid_argument);
    EXPECT_THROW(parse_origins("http://a.ru, ftp://b.ru"), std::invalid_argument);
}

namespace {
http::Request from(const std::string& peer, std::initializer_list<std::string> forwarded = {}) {
    http::Request r;
    r.remote_addr = peer;
    for (const auto& f : forwarded) r.headers.add("X-Forwarded-For", f);
    return r;
}
}  // namespace

TEST(ClientAddress, UntrustedPeerIsTheClientWhateverItForwards) {
    auto none = TrustedProxies::parse("");
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(client_address(from("203.0.113.7", {"1.2.3.4"}), none), "203.0.113.7");
    auto lb = TrustedProxies::parse("10.0.0.5");
    EXPECT_EQ(client_address(from("203.0.113.7", {"1.2.3.4"}), lb), "203.0.113.7");
}

TEST(ClientAddress, TrustedProxyNamesTheClientFromTheRight) {
    auto t = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1");
    EXPECT_EQ(client_address(from("127.0.0.1", {"198.51.100.9"}), t), "198.51.100.9");
    EXPECT_EQ(client_address(from("::ffff:127.0.0.1", {"198.51.100.9"}), t), "198.51.100.9");  // dual-stack peer
    // The client may write anything on the left; the last untrusted hop is what our proxies saw.
    EXPECT_EQ(client_address(from("127.0.0.1", {"6.6.6.6, 198.51.100.9, 10.1.2.3"}), t), "198.51.100.9");
    EXPECT_EQ(client_address(from("127.0.0.1", {"6.6.6.6", "198.51.100.9", " 10.1.2.3 "}), t), "198.51.100.9");
    EXPECT_EQ(client_address(from("127.0.0.1", {"not-an-ip, 198.51.100.9"}), t), "198.51.100.9");
    // Only proxies: the leftmost.
    EXPECT_EQ(client_address(from("127.0.0.1", {"10.9.9.9, 10.1.2.3"}), t), "10.9.9.9");
    // No header: the proxy itself.
    EXPECT_EQ(client_address(from("127.0.0.1"), t), "127.0.0.1");
}

TEST(ClientAddress, MalformedHeaderFallsBackToThePeer) {
    auto t = TrustedProxies::parse("127.0.0.1");
    for (const auto* bad : {"", "garbage", "198.51.100.9:4711", "198.51.100.9, ", "[2001:db8::1]", "1.2.3.4.5",
                            "198.51.100.9, 10.0.0.1/8", "unknown"})
        EXPECT_EQ(client_address(from("127.0.0.1", {bad}), t), "127.0.0.1") << bad;
}

TEST(ClientAddress, Ipv6AndCidrs) {
    auto t = TrustedProxies::parse("fd00::/8,::1, 192.168.0.0/23");
    EXPECT_TRUE(t.contains("::1"));
    EXPECT_TRUE(t.contains("fd12:3456::1"));
    EXPECT_FALSE(t.contains("fe80::1"));
    EXPECT_TRUE(t.contains("192.168.1.200"));
    EXPECT_FALSE(t.contains("192.168.2.1"));
    EXPECT_TRUE(t.contains("::ffff:192.168.0.1"));
    EXPECT_FALSE(t.contains("garbage"));
    EXPECT_EQ(client_address(from("fd00::1", {"2001:db8::42, fd00::2"}), t), "2001:db8::42");
    EXPECT_EQ(client_address(from("::1", {"2001:DB8::42"}), t), "2001:DB8::42");
    EXPECT_FALSE(TrustedProxies::parse("0.0.0.0/0").contains("2001:db8::1"));
    EXPECT_TRUE(TrustedProxies::parse("0.0.0.0/0").contains("8.8.8.8"));
    EXPECT_TRUE(TrustedProxies::parse("::/0").contains("2001:db8::1"));
    EXPECT_TRUE(TrustedProxies::parse("10.0.0.0/12").contains("10.15.255.255"));
    EXPECT_FALSE(TrustedProxies::parse("10.0.0.0/12").contains("10.16.0.0"));
}

TEST(ClientAddress, BadSettingsNameTheEntry) {
    for (const auto* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "localhost", "10.0.0.1/-1"}) {
        try {
            (void)TrustedProxies::parse(std::string("127.0.0.1, ") + bad);
            ADD_FAILURE() << bad;
        } catch (const std::invalid_argument& e) {
            EXPECT_EQ(std::string(e.what()), bad);
        }
    }
}

TEST(LoginGuard, GrowingDelayThenLockoutThatTheRightPasswordCannotSkip) {
    LoginGuard g;
    auto t = LoginGuard::Clock::now();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(g.retry_after("a@x", "1.1.1.1", t), 0);
        g.failed("a@x", "1.1.1.1", t);
    }
    g.failed("a@x", "1.1.1.1", t);
    int first = g.retry_after("a@x", "9.9.9.9", t);
    EXPECT_GE(first, 1);
    for (int i = 0; i < 20; ++i) g.failed("a@x", "1.1.1.1", t + std::chrono::seconds(i * 600));
    auto later = t + std::chrono::seconds(20 * 600);
    EXPECT_GE(g.retry_after("a@x", "9.9.9.9", later), 60);  // locked for the account, from any address
    EXPECT_EQ(g.retry_after("b@x", "9.9.9.9", later), 0);
    EXPECT_EQ(g.retry_after("a@x", "9.9.9.9", later + std::chrono::minutes(16)), 0);
}

TEST(StaticFiles, StaysInsideTheRoot) {
    auto root = std::filesystem::temp_directory_path() / "gw_static_test";
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<html>";
    std::ofstream(root / "assets" / "app.1234.js") << "x";
    EXPECT_TRUE(static_file(root.string(), "/index.html"));
    EXPECT_TRUE(static_file(root.string(), "/assets/app.1234.js"));
    EXPECT_FALSE(static_file(root.string(), "/../etc/passwd"));
    EXPECT_FALSE(static_file(root.string(), "/assets/../../etc/passwd"));
    EXPECT_FALSE(static_file(root.string(), std::string("/index.html\0x", 13)));
    EXPECT_FALSE(static_file(root.string(), "/missing.js"));
    EXPECT_FALSE(static_file(root.string(), "/assets"));
    EXPECT_EQ(content_type_for("a/b.js"), "text/javascript; charset=utf-8");
    std::filesystem::remove_all(root);
}

TEST(StaticFiles, OnlyNavigationPathsFallBackToTheSpa) {
    EXPECT_TRUE(is_navigation_path("/"));
    EXPECT_TRUE(is_navigation_path("/premiere/12"));
    EXPECT_TRUE(is_navigation_path("/admin/premieres/3"));
    EXPECT_FALSE(is_navigation_path("/assets/index-1a2b.js"));
    EXPECT_FALSE(is_navigation_path("/assets/fonts"));
    EXPECT_FALSE(is_navigation_path("/favicon.ico"));
    EXPECT_FALSE(is_navigation_path("/robots.txt"));
}

TEST(SecurityHeaders, CspWithoutInlineScripts) {
    http::Response r;
    r.headers.set("Content-Type", "text/html; charset=utf-8");
    add_security_headers(r, false);
    auto csp = r.headers.get("Content-Security-Policy").value_or("");
    EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
    EXPECT_FALSE(r.headers.has("Strict-Transport-Security"));
    add_security_headers(r, true);
    EXPECT_TRUE(r.headers.has("Strict-Transport-Security"));
    EXPECT_EQ(r.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
}

// What is not a page allows nothing if rendered; an untyped answer (a 304 that may refresh a page's headers) keeps
// the page's policy.
TEST(SecurityHeaders, AnswersThatAreNotPagesAllowNothingAndUntypedOnesKeepThePagePolicy) {
    for (const char* type : {"application/json", "application/problem+json", "text/csv; charset=utf-8",
                             "text/javascript", "image/svg+xml"}) {
        http::Response r;
        r.headers.set("Content-Type", type);
        add_security_headers(r, true);
        EXPECT_EQ(r.headers.get("Content-Security-Policy").value_or(""), "default-src 'none'; frame-ancestors 'none'")
            << type;
        EXPECT_EQ(r.headers.get("X-Frame-Options").value_or(""), "DENY");
        EXPECT_TRUE(r.headers.has("Strict-Transport-Security"));
    }
    http::Response not_modified;
    not_modified.status = 304;
    add_security_headers(not_modified, false);
    EXPECT_NE(not_modified.headers.get("Content-Security-Policy").value_or("").find("script-src 'self';"),
              std::string::npos);
}
