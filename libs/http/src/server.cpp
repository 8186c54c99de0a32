#include "chance/http/server.hpp"

#include <csignal>
#include <pthread.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "chance/core/log.hpp"

namespace chance::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

namespace {
struct Conn {
    explicit Conn(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    std::atomic<bool> busy{false};
};

constexpr auto kTuple = net::as_tuple(net::use_awaitable);

Request to_request(bhttp::request<bhttp::string_body>&& in, const std::string& remote) {
    Request r;
    r.method = std::string(in.method_string());
    r.target = std::string(in.target());
    auto q = r.target.find('?');
    r.path = percent_decode(std::string_view(r.target).substr(0, q), false);
    if (q != std::string::npos) {
        r.query_string = r.target.substr(q + 1);
        r.query = parse_query(r.query_string);
    }
    for (const auto& f : in) r.headers.add(std::string(f.name_string()), std::string(f.value()));
    r.body = std::move(in.body());
    r.remote_addr = remote;
    return r;
}

bhttp::response<bhttp::string_body> to_beast(Response&& res, unsigned version, bool keep_alive) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
    for (const auto& [k, v] : res.headers.all()) out.insert(k, v);
    out.body() = std::move(res.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    return out;
}

bhttp::response<bhttp::string_body> simple_problem(const Problem& p, unsigned version) {
    auto out = to_beast(Response::problem(p), version, false);
    return out;
}
}  // namespace

struct Server::Impl {
    Impl(ServerOptions o, const Router& r)
        : opt(std::move(o)), router(r), ioc(opt.io_threads), workers(static_cast<size_t>(opt.worker_threads)),
          acceptor(net::make_strand(ioc)) {}

    ServerOptions opt;
    const Router& router;
    net::io_context ioc;
    net::thread_pool workers;
    tcp::acceptor acceptor;
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
            auto [ec, sock] = co_await acceptor.async_accept(net::make_strand(ioc), kTuple);
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
            net::co_spawn(conn->stream.get_executor(), session(conn), [this, conn](std::exception_ptr e) {
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

    net::awaitable<void> write(const std::shared_ptr<Conn>& c, bhttp::response<bhttp::string_body>& out,
                               bool head_only, beast::error_code& ec) {
        c->stream.expires_after(opt.write_timeout);
        if (head_only) {
            bhttp::response_serializer<bhttp::string_body> sr{out};
            auto [e, n] = co_await bhttp::async_write_header(c->stream, sr, kTuple);
            ec = e;
        } else {
            auto [e, n] = co_await bhttp::async_write(c->stream, out, kTuple);
            ec = e;
        }
    }

    net::awaitable<void> session(std::shared_ptr<Conn> c) {
        beast::flat_buffer buffer;
        std::string remote;
        {
            beast::error_code ec;
            auto ep = c->stream.socket().remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }
        bool first = true;
        while (!stopping) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
            parser.body_limit(opt.body_limit);
            c->stream.expires_after(first ? opt.header_timeout : opt.idle_timeout);
            first = false;
            auto [ec, n] = co_await bhttp::async_read_header(c->stream, buffer, parser, kTuple);
            if (ec) {
                if (ec == bhttp::error::body_limit) {  // Content-Length alone already exceeds the limit
                    auto out = simple_problem(
                        Problem(413, "Слишком большой запрос",
                                "Тело запроса больше " + std::to_string(opt.body_limit) + " байт"),
                        11);
                    beast::error_code wec;
                    co_await write(c, out, false, wec);
                } else if (ec == bhttp::error::header_limit) {
                    auto out = simple_problem(Problem(431, "Слишком большие заголовки запроса"), 11);
                    beast::error_code wec;
                    co_await write(c, out, false, wec);
                } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                           ec != net::error::operation_aborted && ec != net::error::connection_reset &&
                           ec != net::error::eof && ec != net::error::bad_descriptor) {
                    auto out = simple_problem(bad_request("Некорректный HTTP-запрос"), 11);
                    beast::error_code wec;
                    co_await write(c, out, false, wec);
                }
                break;
            }
            c->busy = true;
            if (!parser.is_done()) {
                auto expect = parser.get()[bhttp::field::expect];
                if (beast::iequals(expect, "100-continue")) {
                    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, parser.get().version()};
                    c->stream.expires_after(opt.write_timeout);
                    auto [wec, wn] = co_await bhttp::async_write(c->stream, cont, kTuple);
                    if (wec) break;
                }
                c->stream.expires_after(opt.body_timeout);
                auto [ec2, n2] = co_await bhttp::async_read(c->stream, buffer, parser, kTuple);
                if (ec2) {
                    if (ec2 == bhttp::error::body_limit) {
                        auto out = simple_problem(
                            Problem(413, "Слишком большой запрос",
                                    "Тело запроса больше " + std::to_string(opt.body_limit) + " байт"),
                            parser.get().version());
                        beast::error_code wec;
                        co_await write(c, out, false, wec);
                    }
                    break;
                }
            }
            auto in = parser.release();
            unsigned version = in.version();
            bool keep_alive = in.keep_alive();
            bool head_only = in.method() == bhttp::verb::head;
            Request req = to_request(std::move(in), remote);
            Response res = co_await net::co_spawn(
                workers.get_executor(), [&]() -> net::awaitable<Response> { co_return router.handle(req); },
                net::use_awaitable);
            keep_alive = keep_alive && !stopping;
            auto out = to_beast(std::move(res), version, keep_alive);
            beast::error_code wec;
            co_await write(c, out, head_only, wec);
            c->busy = false;
            if (wec || !keep_alive) break;
        }
        beast::error_code ignore;
        c->stream.socket().shutdown(tcp::socket::shutdown_send, ignore);
        c->stream.close();
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
                net::post(c->stream.get_executor(), [c] {
                    boost::system::error_code ignore;
                    c->stream.socket().cancel(ignore);
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
    bhttp::request_parser<bhttp::string_body> parser;
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
    return to_request(parser.release(), "127.0.0.1");
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
