#pragma once
// An HTTP/1.1 server on Boost.Beast + Asio coroutines. I/O threads read and write; handlers run on a
// separate worker pool so that a blocking call (libpq, an upstream call) never stalls other connections.
// Routes registered as Dispatch::non_blocking (and 404/405 answers) are handled on the I/O thread.
// Deadlines on header read, body read, idle keep-alive and write; header and body limits.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chance/http/router.hpp"

namespace chance::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    uint16_t port = 0;  // 0 = any free port (tests)
    int io_threads = 1;
    int worker_threads = 8;
    size_t body_limit = size_t{1024} * 1024;
    // Larger limits for the paths that start with these prefixes (an admin's catalog file), checked once the
    // request line is read; every other path keeps body_limit.
    std::vector<std::pair<std::string, size_t>> large_bodies;
    size_t header_limit = size_t{16} * 1024;
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds body_timeout{30'000};
    std::chrono::milliseconds idle_timeout{60'000};
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds shutdown_timeout{10'000};
};

class Server {
  public:
    Server(ServerOptions options, const Router& router);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts the threads. Throws std::runtime_error naming the port when it is taken.
    void start();
    uint16_t port() const;
    // Stops accepting, lets in-flight requests finish up to shutdown_timeout, then closes the rest.
    void shutdown();
    size_t open_connections() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Parses one complete HTTP/1.1 request the way the server does (same limits); nullopt when the server
// would answer 400/413/431. For fuzzing and tests.
std::optional<Request> parse_raw_request(std::string_view raw, size_t body_limit = size_t{1024} * 1024,
                                         size_t header_limit = size_t{16} * 1024);

// Call first in main(), before any thread starts, so that SIGINT/SIGTERM reach wait_for_termination().
void block_termination_signals();
// Blocks until SIGINT or SIGTERM; returns the signal number.
int wait_for_termination();

}  // namespace chance::http
