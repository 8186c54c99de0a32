// What the gateway keeps of the services' answers, and for how long: only public answers to public GETs.
#include <gtest/gtest.h>

#include "gateway/public_cache.hpp"

using namespace chance;
using namespace chance::gateway;

namespace {
http::Request get(const std::string& target, const std::string& if_none_match = "") {
    http::Request r;
    r.method = "GET";
    r.target = target;
    r.path = target.substr(0, target.find('?'));
    if (!if_none_match.empty()) r.headers.set("If-None-Match", if_none_match);
    return r;
}

http::Response answer(const std::string& cache_control, const std::string& body = R"({"id":1})",
                      const std::string& etag = "\"e1\"") {
    http::Response res;
    res.headers.set("Content-Type", "application/json; charset=utf-8");
    if (!cache_control.empty()) res.headers.set("Cache-Control", cache_control);
    if (!etag.empty()) res.headers.set("ETag", etag);
    res.body = body;
    return res;
}

constexpr PublicCache::Clock::time_point kT0{std::chrono::hours(1)};
}  // namespace

TEST(PublicCache, OnlyPublicAnswersWithAMaxAgeAreKeepable) {
    EXPECT_EQ(PublicCache::keepable_for(answer("public, max-age=1")), 1);
    EXPECT_EQ(PublicCache::keepable_for(answer("max-age=60, PUBLIC")), 60);
    EXPECT_EQ(PublicCache::keepable_for(answer("public")), 0);      // no lifetime: revalidate
    EXPECT_EQ(PublicCache::keepable_for(answer("max-age=60")), 0);  // not said to be public
    EXPECT_EQ(PublicCache::keepable_for(answer("public, max-age=60, private")), 0);
    EXPECT_EQ(PublicCache::keepable_for(answer("private, max-age=60")), 0);  // a signed media answer
    EXPECT_EQ(PublicCache::keepable_for(answer("public, no-store, max-age=5")), 0);
    EXPECT_EQ(PublicCache::keepable_for(answer("public, no-cache, max-age=5")), 0);
    EXPECT_EQ(PublicCache::keepable_for(answer("public, max-age=abc")), 0);
    EXPECT_EQ(PublicCache::keepable_for(answer("public, max-age=99999999999")), 0);
    EXPECT_EQ(PublicCache::keepable_for(answer("")), 0);
    auto with_cookie = answer("public, max-age=5");
    with_cookie.headers.add("Set-Cookie", "a=b");
    EXPECT_EQ(PublicCache::keepable_for(with_cookie), 0);
    auto error = answer("public, max-age=5");
    error.status = 404;
    EXPECT_EQ(PublicCache::keepable_for(error), 0);
}

TEST(PublicCache, AppliesToPublicCatalogGetsOnly) {
    EXPECT_TRUE(PublicCache::applies(get("/api/v1/premiere/1")));
    EXPECT_TRUE(PublicCache::applies(get("/api/v1/search/?q=x")));
    EXPECT_TRUE(PublicCache::applies(get("/api/v1/rent/1?period=24")));
    for (auto target : {"/api/v1/rentals", "/api/v1/cart", "/api/v1/billing/amount/", "/api/v1/me", "/api/v1/orders/5",
                        "/media/1/index.m3u8", "/api/v1/admin/premieres"})
        EXPECT_FALSE(PublicCache::applies(get(target))) << target;
    auto post = get("/api/v1/rent/");
    post.method = "POST";
    EXPECT_FALSE(PublicCache::applies(post));
    auto head = get("/api/v1/premiere/1");
    head.method = "HEAD";
    EXPECT_FALSE(PublicCache::applies(head));
}

TEST(PublicCache, AKeptAnswerIsServedUntilItsMaxAgeThenAskedAgain) {
    PublicCache cache;
    auto req = get("/api/v1/premiere/1");
    EXPECT_FALSE(cache.get(req, kT0));
    cache.put(req, answer("public, max-age=2"), kT0);
    auto hit = cache.get(req, kT0 + std::chrono::milliseconds(1500));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->status, 200);
    EXPECT_EQ(hit->payload(), R"({"id":1})");
    EXPECT_EQ(hit->header("ETag"), "\"e1\"");
    EXPECT_EQ(hit->header("Age"), "1");
    EXPECT_FALSE(cache.get(req, kT0 + std::chrono::seconds(2)));
    EXPECT_EQ(cache.size(), 0u);
    // Another target is another answer.
    cache.put(req, answer("public, max-age=2"), kT0);
    EXPECT_FALSE(cache.get(get("/api/v1/premiere/2"), kT0));
    EXPECT_FALSE(cache.get(get("/api/v1/premiere/1?x=1"), kT0));
}

TEST(PublicCache, NothingPrivateIsKept) {
    PublicCache cache;
    auto rentals = get("/api/v1/rentals");
    cache.put(rentals, answer("public, max-age=60"), kT0);  // even if a service said so by mistake
    EXPECT_FALSE(cache.get(rentals, kT0));
    auto page = get("/api/v1/premiere/1");
    cache.put(page, answer("no-store"), kT0);
    cache.put(page, answer("private, max-age=60"), kT0);
    EXPECT_FALSE(cache.get(page, kT0));
    EXPECT_EQ(cache.size(), 0u);
}

TEST(PublicCache, IfNoneMatchWithTheKeptTagIsA304WithoutABody) {
    PublicCache cache;
    cache.put(get("/api/v1/premiere/1"), answer("public, max-age=5"), kT0);
    for (auto tag : {"\"e1\"", "W/\"e1\"", "\"zz\", \"e1\"", "*"}) {
        auto hit = cache.get(get("/api/v1/premiere/1", tag), kT0);
        ASSERT_TRUE(hit) << tag;
        EXPECT_EQ(hit->status, 304) << tag;
        EXPECT_EQ(hit->payload(), "") << tag;
        EXPECT_EQ(hit->header("ETag"), "\"e1\"");
    }
    auto other = cache.get(get("/api/v1/premiere/1", "\"e2\""), kT0);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->status, 200);
    EXPECT_EQ(PublicCache::conditional(get("/x", "\"e1\""), answer("public, max-age=5")).status, 304);
    EXPECT_EQ(PublicCache::conditional(get("/x", "\"e1\""), answer("public, max-age=5", "{}", "")).status, 200);
}

TEST(PublicCache, BoundedInEntriesAndBodySize) {
    PublicCache cache({.entries = 3, .body_bytes = 10});
    cache.put(get("/api/v1/premiere/9"), answer("public, max-age=5", std::string(11, 'x')), kT0);
    EXPECT_EQ(cache.size(), 0u);
    for (int i = 1; i <= 3; ++i)
        cache.put(get("/api/v1/premiere/" + std::to_string(i)), answer("public, max-age=5"), kT0);
    EXPECT_EQ(cache.size(), 3u);
    cache.put(get("/api/v1/premiere/4"), answer("public, max-age=5"), kT0);
    EXPECT_LE(cache.size(), 3u);
    EXPECT_TRUE(cache.get(get("/api/v1/premiere/4"), kT0));
    cache.clear();
    EXPECT_EQ(cache.size(), 0u);
}
