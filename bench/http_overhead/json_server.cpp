// The HTTP stack of our services with one JSON endpoint and the standard middleware chain (request id,
// access metrics), for comparison with nginx returning a fixed response.
#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>

#include "chance/core/log.hpp"
#include "chance/http/middleware.hpp"
#include "chance/http/server.hpp"

int main(int argc, char** argv) {
    chance::http::block_termination_signals();
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_json_server PORT [IO_THREADS] [WORKERS]\n");
        return 2;
    }
    chance::log::init("bench", chance::log::Level::warn);
    chance::http::Router router;
    router.use(chance::http::request_id_middleware());
    router.use(chance::http::access_log_middleware());
    router.get(
        "/api/v1/ping",
        [](chance::http::Request&) {
            return chance::http::Response::json(boost::json::object{{"ok", true}, {"service", "bench"}});
        },
        chance::http::Dispatch::non_blocking);
    // The same answer through the worker pool, as every handler that may block is served.
    router.get("/api/v1/ping-pooled", [](chance::http::Request&) {
        return chance::http::Response::json(boost::json::object{{"ok", true}, {"service", "bench"}});
    });
    chance::http::ServerOptions opt;
    opt.port = static_cast<uint16_t>(std::atoi(argv[1]));
    opt.io_threads = argc > 2 ? std::atoi(argv[2]) : 1;
    opt.worker_threads = argc > 3 ? std::atoi(argv[3]) : 2;
    chance::http::Server server(opt, router);
    server.start();
    chance::http::wait_for_termination();
    server.shutdown();
    return 0;
}
