#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chance/http/router.hpp"

using namespace chance::http;

namespace {
Request make(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return r;
}
}  // namespace

TEST(Router, PathParametersAndTrailingSlash) {
    Router router;
    router.get("/api/v1/premiere/:id", [](Request& r) { return Response::text(200, "p" + r.param("id")); });
    router.get("/api/v1/search/", [](Request&) { return Response::text(200, "search"); });
    auto a = make("GET", "/api/v1/premiere/42");
    EXPECT_EQ(router.handle(a).body, "p42");
    EXPECT_EQ(a.route, "/api/v1/premiere/:id");
    auto b = make("GET", "/api/v1/search");
    EXPECT_EQ(router.handle(b).body, "search");
    auto c = make("GET", "/api/v1/search/");
    EXPECT_EQ(router.handle(c).body, "search");
}

TEST(Router, UnknownRouteIs404ProblemJson) {
    Router router;
    router.get("/a", [](Request&) { return Response::text(200, "a"); });
    auto r = make("GET", "/nope");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 404);
    EXPECT_EQ(res.headers.get("Content-Type").value_or(""), "application/problem+json; charset=utf-8");
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body["status"].as_int64(), 404);
}

TEST(Router, WrongMethodIs405WithAllow) {
    Router router;
    router.get("/cart", [](Request&) { return Response::text(200, "get"); });
    router.post("/cart", [](Request&) { return Response::text(201, "post"); });
    auto r = make("DELETE", "/cart");
    auto res = router.handle(r);
    EXPECT_EQ(res.status, 405);
    EXPECT_EQ(res.headers.get("Allow").value_or(""), "GET, POST");
}

TEST(Router, SaysWhichRequestsMayRunOnTheIoThread) {
    Router router;
    router.get(
        "/metrics", [](Request&) { return Response::text(200, "m"); }, Dispatch::non_blocking);
    router.post("/item/:id", [](Request& r) { return Response::text(201, "post " + r.param("id")); });
    router.get(
        "/item/:id", [](Request& r) { return Response::text(200, "get " + r.param("id")); }, Dispatch::non_blocking);
    auto metrics = make("GET", "/metrics");
    EXPECT_TRUE(router.runs_inline(metrics));
    auto head = make("HEAD", "/item/7");
    EXPECT_TRUE(router.runs_inline(head));
    EXPECT_EQ(router.handle(head).body, "get 7");  // the route matched once is the one handled
    auto post = make("POST", "/item/7");
    EXPECT_FALSE(router.runs_inline(post));
    EXPECT_EQ(router.handle(post).body, "post 7");
    auto unknown = make("GET", "/nowhere");
    EXPECT_TRUE(router.runs_inline(unknown));  // a 404 waits for nothing
    EXPECT_EQ(router.handle(unknown).status, 404);
    auto wrong = make("DELETE", "/item/7");
    EXPECT_TRUE(router.runs_inline(wrong));
    auto res = router.handle(wrong);
    EXPECT_EQ(res.status, 405);
    EXPECT_EQ(res.headers.get("Allow").value_or(""), "POST, GET");
}

TEST(Router, ANonBlockingRouteMaySendARequestItWouldWaitForStraightToTheWorkers) {
    Router router;
    router.add(
        "GET", "/api/*", [](Request& r) { return Response::text(200, r.param("*")); }, Dispatch::non_blocking,
        [](const Request& r) { return r.path.rfind("/api/public/", 0) == 0; });
    auto kept = make("GET", "/api/public/search");
    EXPECT_TRUE(router.runs_inline(kept));
    auto forwarded = make("GET", "/api/cart");
    EXPECT_FALSE(router.runs_inline(forwarded));
    EXPECT_EQ(router.handle(forwarded).body, "cart");  // handled all the same, where the server runs it
}

TEST(Router, ProblemsKeepFieldsAndInternalErrorsHideDetail) {
    Router router;
    router.post("/bad", [](Request&) -> Response {
        throw chance::unprocessable("Сумма", {{"summ", "Должна быть положительной"}});
    });
    router.get("/boom", [](Request&) -> Response { throw std::runtime_error("SELECT secret FROM users"); });
    auto a = make("POST", "/bad");
    auto res = router.handle(a);
    EXPECT_EQ(res.status, 422);
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body["errors"].as_array()[0].as_object()["field"].as_string(), "summ");
    auto b = make("GET", "/boom");
    auto res2 = router.handle(b);
    EXPECT_EQ(res2.status, 500);
    EXPECT_EQ(res2.body.find("SELECT"), std::string::npos);
}

TEST(Router, MiddlewaresRunOutermostFirstAndSeeErrorsAsResponses) {
    Router router;
    std::string trace;
    router.use([&](Request& r, const Handler& next) {
        trace += "a";
        auto res = next(r);
        trace += std::to_string(res.status);
        return res;
    });
    router.use([&](Request& r, const Handler& next) -> Response {
        trace += "b";
        if (r.path == "/deny") throw chance::unauthorized();
        return next(r);
    });
    router.get("/ok", [&](Request&) {
        trace += "h";
        return Response::text(200, "ok");
    });
    auto a = make("GET", "/ok");
    router.handle(a);
    EXPECT_EQ(trace, "abh200");
    trace.clear();
    auto b = make("GET", "/deny");
    router.handle(b);
    EXPECT_EQ(trace, "ab401");
}

TEST(Router, WildcardCapturesTheRest) {
    Router router;
    router.get("/assets/*", [](Request& r) { return Response::text(200, r.param("*")); });
    auto a = make("GET", "/assets/js/app.123.js");
    EXPECT_EQ(router.handle(a).body, "js/app.123.js");
}

TEST(Query, DecodesPercentAndPlus) {
    auto q = parse_query("q=%D0%9C%D0%B0%D1%83%D0%B7%D0%B5%D1%80&page=2&x=a+b&empty");
    EXPECT_EQ(q["q"], "Маузер");
    EXPECT_EQ(q["page"], "2");
    EXPECT_EQ(q["x"], "a b");
    EXPECT_EQ(q["empty"], "");
    EXPECT_EQ(percent_decode("%zz%4", false), "%zz%4");
}

TEST(Cookies, FindsByName) {
    Request r;
    r.headers.add("Cookie", "a=1; __Host-session=abc; b=2");
    EXPECT_EQ(r.cookie("__Host-session").value_or(""), "abc");
    EXPECT_FALSE(r.cookie("session"));
}
