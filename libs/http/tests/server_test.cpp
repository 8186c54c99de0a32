#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/http/client.hpp"
#include "chance/http/middleware.hpp"
#include "chance/http/server.hpp"

using namespace chance::http;
using namespace std::chrono_literals;

namespace {
struct Fixture {
    Router router;
    std::unique_ptr<Server> server;
    std::unique_ptr<Client> client;

    explicit Fixture(ServerOptions opt = {}) {
        router.use(request_id_middleware());
        router.use(access_log_middleware());
        router.get("/hello/:name", [](Request& r) {
            return Response::json(
                boost::json::object{{"hello", r.param("name")}, {"q", r.query_param("q").value_or("")}});
        });
        router.post("/echo", [](Request& r) { return Response::text(200, r.body); });
        router.post("/echo/large", [](Request& r) { return Response::text(200, r.body); });
        router.get("/headers", [](Request& r) {
            std::string out = r.method + " " + r.target + "\n";
            for (const auto& [k, v] : r.headers.all()) out.append(k).append(": ").append(v).append("\n");
            return Response::text(200, out);
        });
        router.get("/slow", [](Request&) {
            std::this_thread::sleep_for(300ms);
            return Response::text(200, "done");
        });
        opt.port = 0;
        server = std::make_unique<Server>(opt, router);
        server->start();
        client = std::make_unique<Client>("http://127.0.0.1:" + std::to_string(server->port()));
    }
};

int raw_connect(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
    return fd;
}
}  // namespace

TEST(Server, ServesJsonWithPathAndQuery) {
    Fixture f;
    auto res = f.client->send("GET", "/hello/%D0%9C%D0%B0%D1%83%D0%B7%D0%B5%D1%80?q=%D1%8F");
    EXPECT_EQ(res.status, 200);
    auto body = boost::json::parse(res.body).as_object();
    EXPECT_EQ(body["hello"].as_string(), "Маузер");
    EXPECT_EQ(body["q"].as_string(), "я");
    EXPECT_TRUE(res.headers.get("X-Request-Id").has_value());
}

TEST(Server, PropagatesASaneRequestIdAndReplacesAnInsaneOne) {
    Fixture f;
    Headers h;
    h.set("X-Request-Id", "abc-123");
    EXPECT_EQ(f.client->send("GET", "/hello/x", h).headers.get("X-Request-Id").value_or(""), "abc-123");
    Headers bad;
    bad.set("X-Request-Id", "<script>");
    EXPECT_NE(f.client->send("GET", "/hello/x", bad).headers.get("X-Request-Id").value_or(""), "<script>");
}

TEST(Server, BodyOverTheLimitIs413) {
    ServerOptions opt;
    opt.body_limit = 1024;
    Fixture f(opt);
    auto ok = f.client->send("POST", "/echo", {}, std::string(1000, 'a'));
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body.size(), 1000u);
    auto big = f.client->send("POST", "/echo", {}, std::string(5000, 'a'));
    EXPECT_EQ(big.status, 413);
    EXPECT_NE(big.headers.get("Content-Type").value_or("").find("problem+json"), std::string::npos);
}

TEST(Server, ALargeBodyIsTakenOnlyOnItsOwnPaths) {
    ServerOptions opt;
    opt.body_limit = 1024;
    opt.large_bodies = {{"/echo/large", 8192}};
    Fixture f(opt);
    EXPECT_EQ(f.client->send("POST", "/echo/large", {}, std::string(5000, 'a')).status, 200);
    EXPECT_EQ(f.client->send("POST", "/echo/large?dry_run=true", {}, std::string(8192, 'a')).status, 200);
    EXPECT_EQ(f.client->send("POST", "/echo/large", {}, std::string(9000, 'a')).status, 413);
    EXPECT_EQ(f.client->send("POST", "/echo", {}, std::string(5000, 'a')).status, 413);  // the others keep theirs
    EXPECT_EQ(f.client->send("POST", "/echo", {}, std::string(1000, 'a')).status, 200);
}

// Reads until the server closes the connection (or 10 s pass); returns what arrived and how long it took.
std::pair<std::string, std::chrono::steady_clock::duration> read_until_closed(int fd) {
    timeval tv{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    auto start = std::chrono::steady_clock::now();
    std::string got;
    char buf[1024];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<size_t>(n));
    }
    return {got, std::chrono::steady_clock::now() - start};
}

// Connects, sends `bytes` and reads until the server closes the connection (see read_until_closed).
std::pair<std::string, std::chrono::steady_clock::duration> send_until_closed(uint16_t port, std::string_view bytes) {
    int fd = raw_connect(port);
    if (fd < 0) throw std::runtime_error("cannot connect to the test server");
    if (::send(fd, bytes.data(), bytes.size(), 0) <= 0) {
        ::close(fd);
        throw std::runtime_error("cannot send to the test server");
    }
    auto out = read_until_closed(fd);
    ::close(fd);
    return out;
}

TEST(Server, SlowLorisIsDisconnectedAfterTheHeaderDeadline) {
    ServerOptions opt;
    opt.header_timeout = 300ms;
    Fixture f(opt);
    auto [got, waited] = send_until_closed(f.server->port(), "GET /hello/x HTTP/1.1\r\nHost: x\r\n");
    EXPECT_EQ(got, "");
    EXPECT_LT(waited, 5s);
}

TEST(Server, AStalledBodyIsCutOffAtTheBodyDeadlineThoughTheHeaderOneIsLater) {
    ServerOptions opt;
    opt.header_timeout = 60s;
    opt.body_timeout = 300ms;
    Fixture f(opt);
    auto [got, waited] =
        send_until_closed(f.server->port(), "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
    EXPECT_EQ(got, "");
    EXPECT_LT(waited, 5s);  // closed at the body deadline, not the header one a minute later
}

TEST(Server, AnIdleKeepAliveConnectionIsClosedAfterTheIdleDeadline) {
    ServerOptions opt;
    opt.header_timeout = 60s;
    opt.idle_timeout = 300ms;
    Fixture f(opt);
    auto [got, waited] = send_until_closed(f.server->port(), "GET /hello/x HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(got.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << got;
    EXPECT_NE(got.find("Content-Length: "), std::string::npos);
    EXPECT_EQ(got.find("Connection: close"), std::string::npos);  // kept alive, then closed as idle
    EXPECT_LT(waited, 5s);
}

TEST(Server, AHandlerSlowerThanEveryDeadlineStillAnswers) {
    ServerOptions opt;
    opt.header_timeout = 100ms;
    opt.idle_timeout = 100ms;
    opt.write_timeout = 100ms;
    Fixture f(opt);
    auto res = f.client->send("GET", "/slow");  // 300 ms in the handler
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "done");
}

TEST(Server, HeadGetsTheLengthOfTheBodyButNoBodyAndHandlerFramingIsIgnored) {
    Router router;
    router.get("/doc", [](Request&) {
        auto res = Response::text(200, "twelve bytes");
        res.headers.set("Content-Length", "999");           // framing is the server's, not the handler's
        res.headers.set("X-Note", "a\r\nSet-Cookie: x=1");  // no header injection through a value
        return res;
    });
    Server server(ServerOptions{}, router);
    server.start();
    auto [got, waited] = send_until_closed(server.port(), "HEAD /doc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    server.shutdown();
    EXPECT_NE(got.find("Content-Length: 12\r\n"), std::string::npos) << got;
    EXPECT_EQ(got.find("999"), std::string::npos);
    EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos);
    EXPECT_EQ(got.find("\r\nSet-Cookie"), std::string::npos);
    EXPECT_EQ(got.substr(got.size() - 4), "\r\n\r\n");  // headers only
}

TEST(Server, APreparedResponseGoesOutAsTheResponseItWasPreparedFrom) {
    auto original = Response::text(200, std::string(5000, 'x') + "end");
    original.headers.set("ETag", "\"e1\"");
    original.headers.set("Content-Length", "1");             // framing is left out of the prepared lines too
    original.headers.set("X-Note", "a\r\nSet-Cookie: x=1");  // and values are sanitised once, when prepared
    auto shared = original.prepare();
    Router router;
    router.get("/plain", [&](Request&) { return original; });
    router.get("/prepared", [&](Request&) {
        Response res;
        res.prepared = shared;
        return res;
    });
    Server server(ServerOptions{}, router);
    server.start();
    auto [plain, w1] = send_until_closed(server.port(), "GET /plain HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto [prepared, w2] =
        send_until_closed(server.port(), "GET /prepared HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto [head, w3] =
        send_until_closed(server.port(), "HEAD /prepared HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    server.shutdown();
    EXPECT_EQ(prepared, plain);
    EXPECT_NE(prepared.find("Content-Length: 5003\r\n"), std::string::npos) << prepared;
    EXPECT_EQ(prepared.find("\r\nSet-Cookie"), std::string::npos);
    EXPECT_EQ(prepared.substr(prepared.size() - 3), "end");
    EXPECT_EQ(head, plain.substr(0, plain.find("\r\n\r\n") + 4));
    Response reader;
    reader.prepared = shared;
    reader.headers.set("Age", "3");
    EXPECT_EQ(reader.header("ETag"), "\"e1\"");
    EXPECT_EQ(reader.header("Age"), "3");
    EXPECT_EQ(reader.header("Content-Length"), std::nullopt);
    EXPECT_EQ(reader.payload().size(), 5003u);
}

TEST(Server, ATooLongUrlIs414AndTooManyHeadersAre431) {
    ServerOptions opt;
    opt.header_limit = 2048;
    Fixture f(opt);
    auto [url, w1] =
        send_until_closed(f.server->port(), "GET /hello/" + std::string(3000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(url.substr(0, 12), "HTTP/1.1 414");
    EXPECT_NE(url.find("/problems/uri-too-long"), std::string::npos);
    auto [half, w2] = send_until_closed(f.server->port(),
                                        "GET /hello/" + std::string(1100, 'a') +
                                            " HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(1000, 'b') + "\r\n\r\n");
    EXPECT_EQ(half.substr(0, 12), "HTTP/1.1 414");  // the request line is over half the limit: the URL's fault
    auto [headers, w3] = send_until_closed(
        f.server->port(), "GET /hello/x HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(3000, 'b') + "\r\n\r\n");
    EXPECT_EQ(headers.substr(0, 12), "HTTP/1.1 431");
    auto fine = f.client->send("GET", "/hello/" + std::string(900, 'a'), {});
    EXPECT_EQ(fine.status, 200);
}

// The server reads a request straight into its Request (not through Beast's fields): every field in the order
// sent, repeats kept, names as written; a chunked body and one sent after «100 Continue» arrive whole.
TEST(Server, FieldsChunkedBodiesAndAnExpectedContinueReachTheHandlerAsSent) {
    Fixture f;
    auto [fields, w1] = send_until_closed(f.server->port(),
                                          "GET /headers?a=1 HTTP/1.1\r\nHost: x\r\nX-Tag: один\r\ncookie: a=1\r\n"
                                          "X-Tag: два\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(fields.substr(0, 12), "HTTP/1.1 200");
    EXPECT_NE(
        fields.find("\r\n\r\nGET /headers?a=1\nHost: x\nX-Tag: один\ncookie: a=1\nX-Tag: два\nConnection: close\n"),
        std::string::npos)
        << fields;
    auto [chunked, w2] = send_until_closed(f.server->port(),
                                           "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                           "Connection: close\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
    EXPECT_EQ(chunked.substr(0, 12), "HTTP/1.1 200");
    EXPECT_EQ(chunked.substr(chunked.size() - 11), "hello world");
    auto [continued, w3] = send_until_closed(f.server->port(),
                                             "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                             "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
    EXPECT_EQ(continued.substr(0, 25), "HTTP/1.1 100 Continue\r\n\r\n");
    EXPECT_NE(continued.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_EQ(continued.substr(continued.size() - 5), "hello");
    auto [old, w4] = send_until_closed(f.server->port(), "GET /headers HTTP/1.0\r\nHost: x\r\n\r\n");
    EXPECT_EQ(old.substr(0, 12), "HTTP/1.0 200");  // HTTP/1.0 without keep-alive: answered, then closed
}

TEST(Server, GarbageRequestGets400) {
    Fixture f;
    int fd = raw_connect(f.server->port());
    ASSERT_GE(fd, 0);
    const char* junk = "\x01\x02 nonsense\r\n\r\n";
    ::send(fd, junk, strlen(junk), 0);
    char buf[1024] = {};
    ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    ASSERT_GT(n, 0);
    EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 400");
}

TEST(Server, GracefulShutdownFinishesInFlightRequests) {
    Fixture f;
    auto pending = std::async(std::launch::async, [&] { return f.client->send("GET", "/slow"); });
    std::this_thread::sleep_for(100ms);
    f.server->shutdown();
    auto res = pending.get();
    EXPECT_EQ(res.status, 200);
    EXPECT_EQ(res.body, "done");
    // After shutdown nothing is accepted.
    Client fresh("http://127.0.0.1:" + std::to_string(f.server->port()), ClientOptions{500ms, 200ms, 0, 10ms});
    EXPECT_THROW(fresh.send("GET", "/hello/x"), chance::Problem);
}

TEST(Server, NonBlockingRoutesAnswerWhileEveryWorkerIsBusy) {
    // One worker, held by /gate until /open runs. /open is non-blocking, so it runs on the I/O thread and
    // releases the gate; had it been queued for the worker, the gate would wait out its 5 s and say so.
    Router router;
    router.use(request_id_middleware());
    router.use(access_log_middleware());
    std::promise<void> opened;
    auto opened_future = opened.get_future().share();
    router.get("/gate", [opened_future](Request&) {
        bool ok = opened_future.wait_for(5s) == std::future_status::ready;
        return Response::text(200, ok ? "opened" : "timed out");
    });
    std::once_flag once;
    router.get(
        "/open",
        [&](Request&) {
            std::call_once(once, [&] { opened.set_value(); });
            return Response::text(200, "ok");
        },
        Dispatch::non_blocking);
    ServerOptions opt;
    opt.worker_threads = 1;
    Server server(opt, router);
    server.start();
    Client client("http://127.0.0.1:" + std::to_string(server.port()));
    Client other("http://127.0.0.1:" + std::to_string(server.port()));
    auto gate = std::async(std::launch::async, [&] { return client.send("GET", "/gate"); });
    std::this_thread::sleep_for(100ms);  // let /gate take the worker (if it has not, /open still passes)
    auto open = other.send("GET", "/open");
    EXPECT_EQ(open.status, 200);
    EXPECT_TRUE(open.headers.get("X-Request-Id").has_value());  // the middleware chain ran
    EXPECT_EQ(gate.get().body, "opened");
    server.shutdown();
}

TEST(Server, ANonBlockingRouteThatWouldWaitIsHandledAgainOnTheWorkerPool) {
    Router router;
    router.use(request_id_middleware());
    std::mutex mu;
    std::vector<std::pair<bool, std::string>> passes;  // (on the I/O thread, request id) of each pass
    router.get(
        "/maybe-cached/:key",
        [&](Request& r) {
            {
                std::lock_guard lock(mu);
                passes.emplace_back(chance::must_not_block(), r.request_id);
            }
            if (r.param("key") == "miss") chance::may_block();  // as a cache miss reaching for the database does
            return Response::text(200, chance::must_not_block() ? "from the I/O thread" : "from the pool");
        },
        Dispatch::non_blocking);
    Server server(ServerOptions{}, router);
    server.start();
    Client client("http://127.0.0.1:" + std::to_string(server.port()));
    auto hit = client.send("GET", "/maybe-cached/hit");
    EXPECT_EQ(hit.body, "from the I/O thread");
    auto miss = client.send("GET", "/maybe-cached/miss");
    EXPECT_EQ(miss.status, 200);
    EXPECT_EQ(miss.body, "from the pool");
    server.shutdown();
    ASSERT_EQ(passes.size(), 3u);
    EXPECT_TRUE(passes[0].first);
    EXPECT_TRUE(passes[1].first);                   // the miss tried the I/O thread first,
    EXPECT_FALSE(passes[2].first);                  // then ran again on the pool,
    EXPECT_EQ(passes[1].second, passes[2].second);  // as the same request
    EXPECT_EQ(miss.headers.get("X-Request-Id").value_or(""), passes[2].second);
}

TEST(Server, PortInUseIsAClearError) {
    Fixture f;
    Router r;
    ServerOptions opt;
    opt.port = f.server->port();
    Server second(opt, r);
    try {
        second.start();
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(std::to_string(opt.port)), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("CHANCE_HTTP_PORT"), std::string::npos);
    }
}

TEST(Client, UnreachableUpstreamIs503Problem) {
    Client c("http://127.0.0.1:1", ClientOptions{300ms, 200ms, 1, 10ms});
    try {
        c.send("GET", "/x");
        FAIL();
    } catch (const chance::Problem& p) {
        EXPECT_EQ(p.status(), 503);
    }
}

TEST(Client, AnUpstreamProblemBecomesTheSameLocalProblem) {
    ClientResponse r;
    r.status = 409;
    r.headers.set("Content-Type", "application/problem+json");
    r.body = R"({"type":"/problems/email-taken","title":"Адрес уже занят","status":409,"detail":"Уже есть",)"
             R"("errors":[{"field":"email","message":"Этот адрес уже зарегистрирован"}],"hint":7})";
    auto p = upstream_problem(r, "identity");
    EXPECT_EQ(p.status(), 409);
    EXPECT_EQ(p.type(), "email-taken");
    EXPECT_EQ(p.title(), "Адрес уже занят");
    ASSERT_EQ(p.errors().size(), 1u);
    EXPECT_EQ(p.errors()[0].field, "email");
    EXPECT_EQ(boost::json::serialize(p.to_json()), r.body);  // passed on, it answers exactly as the service did

    ClientResponse plain;
    plain.status = 404;
    plain.headers.set("Content-Type", "text/html");
    plain.body = "<h1>nope</h1>";
    auto q = upstream_problem(plain, "identity");
    EXPECT_EQ(q.status(), 503);
    EXPECT_EQ(q.type(), "unavailable");
    EXPECT_EQ(q.to_json().at("detail").as_string().find("nope"), boost::json::string::npos);
}
