#include "chance/http/middleware.hpp"

#include <chrono>
#include <unordered_map>
#include <vector>

#include "chance/core/log.hpp"
#include "chance/core/metrics.hpp"
#include "chance/core/uuid.hpp"
#include "chance/http/client.hpp"

namespace chance::http {

namespace {
bool sane_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}
}  // namespace

Middleware request_id_middleware() {
    return [](Request& req, const Handler& next) {
        auto incoming = req.headers.get("X-Request-Id");
        // A request handed from the I/O thread to the worker pool (WouldBlock) passes here twice: one id.
        if (req.request_id.empty()) req.request_id = incoming && sane_id(*incoming) ? *incoming : uuid_v7();
        log::RequestScope scope(req.request_id);
        set_current_traceparent(req.headers.get("traceparent").value_or(""));
        Response res = next(req);
        res.headers.set("X-Request-Id", req.request_id);
        set_current_traceparent("");
        return res;
    };
}

namespace {
// Series lookups take the registry lock; each thread remembers the series it has used, by method and route
// (one key built per request) and then by status.
struct Series {
    metrics::Histogram* latency = nullptr;
    std::vector<std::pair<int, metrics::Counter*>> by_status;
};
}  // namespace

Middleware access_log_middleware() {
    return [](Request& req, const Handler& next) {
        thread_local std::unordered_map<std::string, Series> cache;
        auto start = std::chrono::steady_clock::now();
        Response res = next(req);
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        auto& reg = metrics::Registry::global();
        std::string key;
        key.reserve(req.method.size() + 1 + req.route.size());
        key.append(req.method).append(1, ' ').append(req.route);
        auto& series = cache[key];
        if (series.latency == nullptr)
            series.latency = &reg.histogram("http_request_duration_seconds", "HTTP request latency by route",
                                            {{"method", req.method}, {"route", req.route}});
        series.latency->observe(seconds);
        metrics::Counter* counter = nullptr;
        for (const auto& [status, c] : series.by_status)
            if (status == res.status) counter = c;
        if (counter == nullptr) {
            counter =
                &reg.counter("http_requests_total", "HTTP requests by route and status",
                             {{"method", req.method}, {"route", req.route}, {"status", std::to_string(res.status)}});
            series.by_status.emplace_back(res.status, counter);
        }
        counter->inc();
        if (log::enabled(log::Level::info) && req.route != "/healthz" && req.route != "/readyz" &&
            req.route != "/metrics") {
            log::info("request", {{"method", req.method},
                                  {"path", req.path},
                                  {"route", req.route},
                                  {"status", res.status},
                                  {"ms", seconds * 1000.0},
                                  {"remote", req.remote_addr}});
        }
        return res;
    };
}

}  // namespace chance::http
