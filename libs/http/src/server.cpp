#include "chance/http/server.hpp"

#include <pthread.h>
#include <csignal>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "chance/core/blocking.hpp"
#include "chance/core/log.hpp"

namespace chance::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {
using Clock = std::chrono::steady_clock;

// One connection. Deadlines are a time point that the session moves before each read or write and a
// watchdog timer that closes the socket once the time point has passed: moving it costs a store, where a
// timer armed and cancelled around every operation (beast::tcp_stream) cost a tenth of a small request.
struct Conn {
    explicit Conn(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
    tcp::socket socket;
    net::steady_timer timer;
    // Touched only on the connection's executor.
    Clock::time_point deadline = Clock::time_point::max();
    Clock::time_point armed = Clock::time_point::max();  // what the watchdog's timer waits for
    bool finished = false;

    void set_deadline(Clock::time_point d) {
        deadline = d;
        if (d < armed) timer.cancel();  // the watchdog wakes and waits for the nearer deadline
    }
    std::atomic<bool> busy{false};
};

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

// Reads one request straight into a Request: Beast's parser finds the request line, the fields and the body, and
// each field is copied once, into our headers. Beast's own request_parser would first store every field in its
// fields container (an allocation and an ordered insert each) for us to copy again: for a signed-in browser's
// request (cookie, origin, CSRF token, accept) that was ~0.8 µs of ~1.7 µs of parsing, the gateway's whole extra
// cost over a service answering the same kept search. Limits, framing (Content-Length, chunked), keep-alive and
// obs-fold stay Beast's.
class RequestReader final : public bhttp::basic_parser<true> {
  public:
    Request& request() { return req_; }
    unsigned version() const { return version_; }
    bool head() const { return head_; }

  private:
    void on_request_impl(bhttp::verb method, beast::string_view method_text, beast::string_view target, int version,
                         beast::error_code&) override {
        req_.method.assign(method_text.data(), method_text.size());
        req_.target.assign(target.data(), target.size());
        version_ = static_cast<unsigned>(version);
        head_ = method == bhttp::verb::head;
    }
    void on_response_impl(int, beast::string_view, int, beast::error_code& ec) override {
        ec = bhttp::error::bad_version;  // never called: this parser reads requests
    }
    void on_field_impl(bhttp::field, beast::string_view name, beast::string_view value, beast::error_code&) override {
        req_.headers.add(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
    }
    void on_header_impl(beast::error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& length, beast::error_code&) override {
        if (length) req_.body.reserve(static_cast<size_t>(*length));  // the parser held it to the body limit
    }
    std::size_t on_body_impl(beast::string_view body, beast::error_code&) override {
        req_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view body, beast::error_code&) override {
        req_.body.append(body.data(), body.size());
        return body.size();
    }
    void on_finish_impl(beast::error_code&) override {}

    Request req_;
    unsigned version_ = 11;
    bool head_ = false;
};

// What the reader leaves to us: the decoded path, the query and the client's address.
void complete(Request& r, const std::string& remote) {
    auto q = r.target.find('?');
    r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
    if (q != std::string::npos) {
        r.query_string = r.target.substr(q + 1);
        r.query = parse_query(r.query_string);
    }
    r.remote_addr = remote;
}

bool no_body_status(int status) { return status < 200 || status == 204 || status == 304; }

// The response's head as bytes: status line, the prepared header lines, the handler's headers, Content-Length and
// Connection; the body (res.payload()) is written after it from where it lies, without a copy. Written by hand
// rather than by Beast's serializer, which cost a tenth of a small request's CPU.
std::string serialize_head(const Response& res, unsigned version, bool keep_alive) {
    std::string out;
    out.reserve(160 + (res.prepared ? res.prepared->header_lines.size() : 0) + res.headers.all().size() * 48);
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(res.status);
    out += ' ';
    out += bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
    out += "\r\n";
    if (res.prepared) out += res.prepared->header_lines;
    for (const auto& [k, v] : res.headers.all())
        if (!is_framing_header(k)) append_header_line(out, k, v);
    if (!no_body_status(res.status)) {
        out += "Content-Length: ";
        out += std::to_string(res.payload().size());
        out += "\r\n";
    }
    if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
    if (version != 10 && !keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
    return out;
}

// The body that follows the head: none for HEAD or a status that has none.
std::string_view body_to_send(const Response& res, bool head_only) {
    return head_only || no_body_status(res.status) ? std::string_view() : res.payload();
}

// Over the header limit: 414 when the request line did not fit (Beast consumes the request line once it has
// parsed it and gives the message its target) or takes half of the limit or more — a URL that long is the
// fault —, 431 otherwise.
Problem header_limit_problem(std::string_view target, size_t header_limit) {
    if (target.empty() || target.size() >= header_limit / 2)
        return Problem(414, "Слишком длинный адрес",
                       "Адрес запроса длиннее " + std::to_string(header_limit / 2) + " байт")
            .with_type("uri-too-long");
    return Problem(431, "Слишком большие заголовки запроса");
}

std::string simple_problem(const Problem& p, unsigned version) {
    auto res = Response::problem(p);
    auto out = serialize_head(res, version, false);
    out += res.payload();
    return out;
}
}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Router& r)
        : opt(std::move(o)),
          router(r),
          ioc(opt.io_threads),
          workers(static_cast<size_t>(opt.worker_threads)),
          acceptor(net::make_strand(ioc)),
          largest_body(opt.body_limit) {
        for (const auto& [prefix, limit] : opt.large_bodies) largest_body = std::max(largest_body, limit);
    }

    // The body limit of a request for `target` (its path and query).
    size_t body_limit_for(std::string_view target) const {
        for (const auto& [prefix, limit] : opt.large_bodies)
            if (target.substr(0, prefix.size()) == prefix) return limit;
        return opt.body_limit;
    }

    // With one I/O thread nothing runs concurrently on a connection, so it needs no strand.
    net::any_io_executor connection_executor() {
        if (opt.io_threads == 1) return ioc.get_executor();
        return net::make_strand(ioc);
    }

    ServerOptions opt;
    const Router& router;
    net::io_context ioc;
    net::thread_pool workers;
    tcp::acceptor acceptor;
    size_t largest_body;  // the largest of the limits: what the request line may announce before its path is known
    std::vector<std::thread> threads;
    mutable std::mutex mu;
    std::condition_variable cv;
    std::set<std::shared_ptr<Conn>> conns;
    std::atomic<bool> stopping{false};
    bool stopped = false;
    uint16_t bound_port = 0;

    void forget(const std::shared_ptr<Conn>& c) {
        std::lock_guard lock(mu);
        conns.erase(c);
        cv.notify_all();
    }

    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, sock] = co_await acceptor.async_accept(connection_executor(), kTuple);
            if (ec) {
                if (stopping || ec == net::error::operation_aborted) co_return;
                log::warn("accept failed", {{"error", ec.message()}});
                continue;
            }
            auto conn = std::make_shared<Conn>(std::move(sock));
            {
                std::lock_guard lock(mu);
                if (stopping) co_return;
                conns.insert(conn);
            }
            net::co_spawn(conn->socket.get_executor(), watchdog(conn), net::detached);
            net::co_spawn(conn->socket.get_executor(), session(conn), [this, conn](const std::exception_ptr& e) {
                if (e) {
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& ex) {
                        log::error("connection failed", {{"error", ex.what()}});
                    }
                }
                forget(conn);
            });
        }
    }

    // Closes the socket when the connection's deadline passes; the pending read or write then fails.
    static net::awaitable<void> watchdog(std::shared_ptr<Conn> c) {
        while (!c->finished) {
            auto deadline = c->deadline;
            if (deadline <= Clock::now()) {
                beast::error_code ignore;
                c->socket.close(ignore);
                co_return;
            }
            c->armed = deadline;
            c->timer.expires_at(deadline);
            co_await c->timer.async_wait(kTuple);
            c->armed = Clock::time_point::max();
        }
    }

    net::awaitable<void> write(const std::shared_ptr<Conn>& c, const std::string& out, beast::error_code& ec,
                               std::string_view body = {}) {
        c->set_deadline(Clock::now() + opt.write_timeout);
        // Head and body in one gathered write: the body is sent from the response (or the prepared part it
        // shares), not copied behind the head.
        std::array<net::const_buffer, 2> buffers{net::buffer(out), net::buffer(body.data(), body.size())};
        auto [e, n] = co_await net::async_write(c->socket, buffers, kTuple);
        ec = e;
    }

    net::awaitable<void> session(std::shared_ptr<Conn> c) {
        beast::flat_buffer buffer;
        std::string remote;
        {
            beast::error_code ec;
            auto ep = c->socket.remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }
        bool first = true;
        while (!stopping) {
            RequestReader parser;
            parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
            parser.body_limit(largest_body);  // the path's own limit is set once the request line is read
            c->set_deadline(Clock::now() + (first ? opt.header_timeout : opt.idle_timeout));
            first = false;
            auto [ec, n] = co_await bhttp::async_read_header(c->socket, buffer, parser, kTuple);
            if (ec) {
                if (ec == bhttp::error::body_limit) {  // Content-Length alone already exceeds every limit
                    auto out = simple_problem(Problem(413, "Слишком большой запрос",
                                                      "Тело запроса больше " + std::to_string(largest_body) + " байт"),
                                              11);
                    beast::error_code wec;
                    co_await write(c, out, wec);
                } else if (ec == bhttp::error::header_limit) {
                    auto out = simple_problem(header_limit_problem(parser.request().target, opt.header_limit), 11);
                    beast::error_code wec;
                    co_await write(c, out, wec);
                } else if (ec != bhttp::error::end_of_stream &&  // the watchdog closing the socket aborts the read
                           ec != net::error::operation_aborted && ec != net::error::connection_reset &&
                           ec != net::error::eof && ec != net::error::bad_descriptor) {
                    auto out = simple_problem(bad_request("Некорректный HTTP-запрос"), 11);
                    beast::error_code wec;
                    co_await write(c, out, wec);
                }
                break;
            }
            c->busy = true;
            size_t limit = body_limit_for(parser.request().target);
            if (auto length = parser.content_length(); length && *length > limit) {
                auto out = simple_problem(
                    Problem(413, "Слишком большой запрос", "Тело запроса больше " + std::to_string(limit) + " байт"),
                    parser.version());
                beast::error_code wec;
                co_await write(c, out, wec);
                break;
            }
            parser.body_limit(limit);
            if (!parser.is_done()) {
                auto expect = parser.request().headers.get("Expect");
                if (expect && beast::iequals(*expect, "100-continue")) {
                    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.version()};
                    c->set_deadline(Clock::now() + opt.write_timeout);
                    auto [wec, wn] = co_await bhttp::async_write(c->socket, cont, kTuple);
                    if (wec) break;
                }
                c->set_deadline(Clock::now() + opt.body_timeout);
                auto [ec2, n2] = co_await bhttp::async_read(c->socket, buffer, parser, kTuple);
                if (ec2) {
                    if (ec2 == bhttp::error::body_limit) {
                        auto out = simple_problem(Problem(413, "Слишком большой запрос",
                                                          "Тело запроса больше " + std::to_string(limit) + " байт"),
                                                  parser.version());
                        beast::error_code wec;
                        co_await write(c, out, wec);
                    }
                    break;
                }
            }
            c->set_deadline(Clock::time_point::max());  // a handler takes as long as it takes
            unsigned version = parser.version();
            bool keep_alive = parser.keep_alive();
            bool head_only = parser.head();
            Request req = std::move(parser.request());
            complete(req, remote);
            Response res;
            bool answered = false;
            if (router.runs_inline(req)) {
                NoBlockingScope no_blocking;
                try {
                    res = router.handle(req);
                    answered = true;
                } catch (const WouldBlock&) {
                    // it would have waited: the worker pool handles the request from the start
                }
            }
            if (!answered)
                res = co_await net::co_spawn(
                    workers.get_executor(), [&]() -> net::awaitable<Response> { co_return router.handle(req); },
                    net::use_awaitable);
            keep_alive = keep_alive && !stopping;
            auto head = serialize_head(res, version, keep_alive);
            beast::error_code wec;
            co_await write(c, head, wec, body_to_send(res, head_only));
            c->busy = false;
            if (wec || !keep_alive) break;
        }
        beast::error_code ignore;
        c->finished = true;
        c->timer.cancel();
        c->socket.shutdown(tcp::socket::shutdown_send, ignore);
        c->socket.close(ignore);
    }
};

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() { shutdown(); }

void Server::start() {
    auto& im = *impl_;
    boost::system::error_code ec;
    auto addr = net::ip::make_address(im.opt.host, ec);
    if (ec) throw std::runtime_error("invalid listen address '" + im.opt.host + "'");
    tcp::endpoint ep(addr, im.opt.port);
    im.acceptor.open(ep.protocol());
    im.acceptor.set_option(net::socket_base::reuse_address(true));
    im.acceptor.bind(ep, ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + im.opt.host + ":" + std::to_string(im.opt.port) + ": " +
                                 ec.message() + " (change the port with --http-port or CHANCE_HTTP_PORT)");
    }
    im.acceptor.listen(net::socket_base::max_listen_connections);
    im.bound_port = im.acceptor.local_endpoint().port();
    net::co_spawn(im.acceptor.get_executor(), im.accept_loop(), net::detached);
    for (int i = 0; i < im.opt.io_threads; ++i) im.threads.emplace_back([&im] { im.ioc.run(); });
}

uint16_t Server::port() const { return impl_->bound_port; }

size_t Server::open_connections() const {
    std::lock_guard lock(impl_->mu);
    return impl_->conns.size();
}

void Server::shutdown() {
    auto& im = *impl_;
    {
        std::lock_guard lock(im.mu);
        if (im.stopped) return;
        im.stopped = true;
    }
    im.stopping = true;
    if (!im.threads.empty()) {
        net::post(im.acceptor.get_executor(), [&im] {
            boost::system::error_code ec;
            im.acceptor.close(ec);
        });
        {
            std::unique_lock lock(im.mu);
            for (const auto& c : im.conns) {
                if (c->busy) continue;
                net::post(c->socket.get_executor(), [c] {
                    boost::system::error_code ignore;
                    c->socket.cancel(ignore);
                });
            }
            im.cv.wait_for(lock, im.opt.shutdown_timeout, [&im] { return im.conns.empty(); });
            if (!im.conns.empty())
                log::warn("shutdown timeout: closing connections", {{"open", static_cast<int64_t>(im.conns.size())}});
        }
    }
    im.ioc.stop();
    for (auto& t : im.threads) t.join();
    im.threads.clear();
    im.workers.join();
}

std::optional<Request> parse_raw_request(std::string_view raw, size_t body_limit, size_t header_limit) {
    RequestReader parser;
    parser.header_limit(static_cast<std::uint32_t>(header_limit));
    parser.body_limit(body_limit);
    parser.eager(true);
    beast::error_code ec;
    size_t used = parser.put(net::buffer(raw.data(), raw.size()), ec);
    if (ec || used == 0) return std::nullopt;
    if (!parser.is_done()) {
        parser.put_eof(ec);
        if (ec || !parser.is_done()) return std::nullopt;
    }
    Request req = std::move(parser.request());
    complete(req, "127.0.0.1");
    return req;
}

void block_termination_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int wait_for_termination() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int sig = 0;
    sigwait(&set, &sig);
    return sig;
}

}  // namespace chance::http
