// loadgen: an HTTP/1.1 load generator for the benchmarks, in C++ so that the load costs the box little
// next to the services it measures (the Python clients it replaces spent more CPU per purchase than any
// service). Keep-alive connections on one thread; either closed loop (each connection sends its next request
// when the last one answered) or open loop at a fixed rate, where request k is due at start + k / rate and its
// latency counts from that moment — a request that waits for a free connection is late, not ignored
// (coordinated omission).
//
//   loadgen --port P [--host 127.0.0.1] --mix mix.json [--connections 16] [--duration 10] [--rate 0]
//           [--requests N] [--log requests.tsv]
//
// mix.json:
//   {"sessions": [{"Cookie": "…", "X-CSRF-Token": "…"}, …],   connection i sends session i % n's headers
//    "requests": [{"name": "browse", "weight": 10, "method": "GET", "targets": ["/a", "/b"],
//                  "bodies": ["{…}"], "headers": {"Idempotency-Key": "{uuid}"}}, …]}
// Targets and bodies rotate per request of that name; "{uuid}" in a header or body becomes a fresh UUID.
// Prints one JSON object: counts by status, achieved rate, latency percentiles overall and per name.
// --log writes one line per request: connection, session, name, rotation index, sent and answered (Unix
// seconds), status (0 = connection error).
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "chance/core/uuid.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using chance::uuid_v7;

namespace {

struct Kind {
    std::string name, method;
    double weight = 1;
    std::vector<std::string> targets, bodies;
    std::vector<std::pair<std::string, std::string>> headers;
    size_t next = 0;  // rotation over targets/bodies
};

struct Options {
    std::string host = "127.0.0.1", mix, log;
    unsigned short port = 0;
    int connections = 16;
    double duration = 10, rate = 0;
    long requests = 0;  // 0 = until the duration ends
};

struct Sample {
    int conn, session, kind;
    size_t index;
    double sent, done, latency_ms;
    int status;
};

std::mt19937_64 rng{std::random_device{}()};  // NOLINT(cert-err58-cpp): no entropy, no benchmark

std::string fill(const std::string& text) {
    std::string out;
    size_t from = 0;
    for (size_t at; (at = text.find("{uuid}", from)) != std::string::npos; from = at + 6)
        out.append(text, from, at - from).append(uuid_v7());
    return out.append(text, from);
}

double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(static_cast<double>(v.size()) * p))];
}

class Run {
  public:
    Run(Options o, std::vector<Kind> kinds, std::vector<std::vector<std::pair<std::string, std::string>>> sessions)
        : o_(std::move(o)), kinds_(std::move(kinds)), sessions_(std::move(sessions)) {
        double total = 0;
        for (auto& k : kinds_) total += k.weight;
        double acc = 0;
        for (auto& k : kinds_) cumulative_.push_back(acc += k.weight / total);
        if (sessions_.empty()) sessions_.emplace_back();
    }

    void go() {
        start_ = Clock::now();
        end_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.duration));
        for (int i = 0; i < o_.connections; ++i) asio::co_spawn(io_, connection(i), asio::detached);
        io_.run();
        elapsed_ = std::chrono::duration<double>(last_done_ - start_).count();
    }

    void report(std::ostream& out) {
        std::map<int, long> by_status;
        std::vector<double> all;
        std::map<std::string, std::vector<double>> by_name;
        for (auto& s : samples_) {
            by_status[s.status]++;
            all.push_back(s.latency_ms);
            by_name[kinds_[static_cast<size_t>(s.kind)].name].push_back(s.latency_ms);
        }
        json::object status, names;
        long ok = 0;
        for (auto& [code, n] : by_status) {
            status[code == 0 ? "error" : std::to_string(code)] = n;
            if (code >= 200 && code < 300) ok += n;
        }
        auto summary = [](const std::vector<double>& v) {
            return json::object{{"count", v.size()},
                                {"p50_ms", pct(v, 0.50)},
                                {"p95_ms", pct(v, 0.95)},
                                {"p99_ms", pct(v, 0.99)},
                                {"max_ms", pct(v, 1.0)}};
        };
        for (auto& [name, v] : by_name) names[name] = summary(v);
        json::object r = summary(all);
        r["ok"] = ok;
        r["status"] = std::move(status);
        r["elapsed_s"] = elapsed_;
        r["rate"] = elapsed_ > 0 ? static_cast<double>(samples_.size()) / elapsed_ : 0.0;
        r["ok_rate"] = elapsed_ > 0 ? static_cast<double>(ok) / elapsed_ : 0.0;
        r["offered_rate"] = o_.rate;
        r["by_name"] = std::move(names);
        out << json::serialize(r) << "\n";
    }

    void write_log(const std::string& path) {
        std::ofstream f(path);
        char line[256];
        for (auto& s : samples_) {
            std::snprintf(line, sizeof line, "%d\t%d\t%s\t%zu\t%.6f\t%.6f\t%d\n", s.conn, s.session,
                          kinds_[static_cast<size_t>(s.kind)].name.c_str(), s.index, s.sent, s.done, s.status);
            f << line;
        }
    }

  private:
    // The next request to send and when it is due; false when the run is over.
    bool next(Clock::time_point& due) {
        if (o_.requests && issued_ >= o_.requests) return false;
        auto now = Clock::now();
        if (o_.rate > 0) {
            due = start_ + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(static_cast<double>(issued_) / o_.rate));
        } else {
            due = now;
        }
        if (!o_.requests && due >= end_) return false;
        ++issued_;
        return true;
    }

    int pick() {
        double x = std::uniform_real_distribution<double>(0, 1)(rng);
        for (size_t i = 0; i < cumulative_.size(); ++i)
            if (x < cumulative_[i]) return static_cast<int>(i);
        return static_cast<int>(cumulative_.size() - 1);
    }

    asio::awaitable<void> connection(int id) {
        auto ex = co_await asio::this_coro::executor;
        asio::ip::tcp::resolver resolver(ex);
        auto endpoints = co_await resolver.async_resolve(o_.host, std::to_string(o_.port), asio::use_awaitable);
        std::optional<beast::tcp_stream> stream;
        beast::flat_buffer buffer;
        asio::steady_timer timer(ex);
        int session = id % static_cast<int>(sessions_.size());
        Clock::time_point due;
        while (next(due)) {
            if (due > Clock::now()) {
                timer.expires_at(due);
                co_await timer.async_wait(asio::use_awaitable);
            }
            auto k = pick();
            auto& kind = kinds_[static_cast<size_t>(k)];
            size_t index = kind.next++;
            bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(kind.method),
                                                   kind.targets[index % kind.targets.size()], 11};
            req.set(bhttp::field::host, o_.host + ":" + std::to_string(o_.port));
            for (auto& [n, v] : sessions_[static_cast<size_t>(session)]) req.set(n, v);
            for (auto& [n, v] : kind.headers) req.set(n, fill(v));
            if (!kind.bodies.empty()) {
                req.set(bhttp::field::content_type, "application/json");
                req.body() = fill(kind.bodies[index % kind.bodies.size()]);
            }
            req.prepare_payload();
            double sent = unix_now();
            int status = 0;
            try {
                if (!stream) {
                    stream.emplace(ex);
                    co_await stream->async_connect(endpoints, asio::use_awaitable);
                    stream->socket().set_option(asio::ip::tcp::no_delay(true));
                    buffer.clear();
                }
                stream->expires_after(std::chrono::seconds(30));
                co_await bhttp::async_write(*stream, req, asio::use_awaitable);
                bhttp::response<bhttp::string_body> res;
                co_await bhttp::async_read(*stream, buffer, res, asio::use_awaitable);
                status = static_cast<int>(res.result_int());
                if (!res.keep_alive()) stream.reset();
            } catch (const std::exception&) {
                stream.reset();
            }
            auto now = Clock::now();
            last_done_ = std::max(last_done_, now);
            samples_.push_back({id, session, k, index, sent, unix_now(),
                                std::chrono::duration<double, std::milli>(now - due).count(), status});
        }
    }

    Options o_;
    std::vector<Kind> kinds_;
    std::vector<std::vector<std::pair<std::string, std::string>>> sessions_;
    std::vector<double> cumulative_;
    asio::io_context io_{1};
    Clock::time_point start_, end_, last_done_;
    long issued_ = 0;
    double elapsed_ = 0;
    std::vector<Sample> samples_;
};

std::vector<std::string> strings(const json::value* v) {
    std::vector<std::string> out;
    if (v)
        for (auto& x : v->as_array()) out.emplace_back(x.as_string());
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i], value = argv[i + 1];
        if (flag == "--host")
            o.host = value;
        else if (flag == "--port")
            o.port = static_cast<unsigned short>(std::stoi(value));
        else if (flag == "--mix")
            o.mix = value;
        else if (flag == "--log")
            o.log = value;
        else if (flag == "--connections")
            o.connections = std::stoi(value);
        else if (flag == "--duration")
            o.duration = std::stod(value);
        else if (flag == "--rate")
            o.rate = std::stod(value);
        else if (flag == "--requests")
            o.requests = std::stol(value);
        else {
            std::cerr << "unknown flag " << flag << "\n";
            return 2;
        }
    }
    if (!o.port || o.mix.empty()) {
        std::cerr << "usage: loadgen --port P --mix mix.json [--host H] [--connections N] [--duration S] "
                     "[--rate R] [--requests N] [--log file]\n";
        return 2;
    }
    std::ifstream f(o.mix);
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto mix = json::parse(text).as_object();
    std::vector<Kind> kinds;
    for (auto& v : mix.at("requests").as_array()) {
        auto& r = v.as_object();
        Kind k;
        k.name = json::value_to<std::string>(r.at("name"));
        k.method = r.contains("method") ? json::value_to<std::string>(r.at("method")) : "GET";
        k.weight = r.contains("weight") ? r.at("weight").to_number<double>() : 1.0;
        k.targets = strings(r.if_contains("targets"));
        k.bodies = strings(r.if_contains("bodies"));
        if (auto* h = r.if_contains("headers"))
            for (auto& [n, val] : h->as_object()) k.headers.emplace_back(n, json::value_to<std::string>(val));
        if (k.targets.empty()) {
            std::cerr << "request " << k.name << " has no targets\n";
            return 2;
        }
        kinds.push_back(std::move(k));
    }
    std::vector<std::vector<std::pair<std::string, std::string>>> sessions;
    if (auto* s = mix.if_contains("sessions"))
        for (auto& v : s->as_array()) {
            auto& h = sessions.emplace_back();
            for (auto& [n, val] : v.as_object()) h.emplace_back(n, json::value_to<std::string>(val));
        }
    Run run(o, std::move(kinds), std::move(sessions));
    run.go();
    run.report(std::cout);
    if (!o.log.empty()) run.write_log(o.log);
    return 0;
}
