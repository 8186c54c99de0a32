#pragma once
// A blocking HTTP client for calls between services (libcurl). Keeps a pool of keep-alive handles per
// upstream, a deadline per call, and retries only calls that are safe to repeat: GET/HEAD, or any call
// that carries an Idempotency-Key. Propagates X-Request-Id and traceparent of the current request.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "chance/core/error.hpp"
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

// Another service's failed answer as a local problem, for a typed client to throw. A problem+json body keeps its
// status, type, title, detail, field errors and extra members, so that a caller that only passes it on answers
// exactly as the service did; anything else (not a problem, not JSON) becomes a 503 "unavailable" and only the
// log sees what the service answered. `service` names it in the log.
Problem upstream_problem(const ClientResponse& r, std::string_view service);

// The trace context of the request the current thread serves (W3C traceparent).
void set_current_traceparent(std::string tp);
const std::string& current_traceparent();
// A child traceparent: same trace id, new span id (or a new trace when there is none).
std::string child_traceparent(const std::string& parent);

}  // namespace chance::http
