#pragma once
// A blocking HTTP client for calls between services (libcurl). Keeps a pool of keep-alive handles per
// upstream, a deadline per call, and retries only calls that are safe to repeat: GET/HEAD, or any call
// that carries an Idempotency-Key. Propagates X-Request-Id and traceparent of the current request.
#include <chrono>
#include <memory>
#include <string>

#include "chance/http/message.hpp"

namespace chance::http {

struct ClientOptions {
    std::chrono::milliseconds timeout{5000};
    std::chrono::milliseconds connect_timeout{1000};
    int retries = 2;  // extra attempts for retry-safe calls
    std::chrono::milliseconds retry_backoff{50};
};

struct ClientResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

class Client {
  public:
    explicit Client(std::string base_url, ClientOptions options = {});
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // Throws chance::Problem 503 when the upstream cannot be reached within the deadline.
    ClientResponse send(const std::string& method, const std::string& path_and_query, const Headers& headers = {},
                        const std::string& body = {}) const;
    const std::string& base_url() const { return base_url_; }

  private:
    struct Pool;
    std::string base_url_;
    ClientOptions options_;
    std::unique_ptr<Pool> pool_;
};

// The trace context of the request the current thread serves (W3C traceparent).
void set_current_traceparent(std::string tp);
const std::string& current_traceparent();
// A child traceparent: same trace id, new span id (or a new trace when there is none).
std::string child_traceparent(const std::string& parent);

}  // namespace chance::http
