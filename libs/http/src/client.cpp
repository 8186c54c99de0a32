#include "chance/http/client.hpp"

#include <curl/curl.h>

#include <boost/json.hpp>

#include <mutex>
#include <thread>
#include <vector>

#include "chance/core/blocking.hpp"
#include "chance/core/log.hpp"
#include "chance/core/uuid.hpp"

namespace chance::http {

namespace {
thread_local std::string t_traceparent;

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t on_body(char* ptr, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(ptr, size * n);
    return size * n;
}

size_t on_header(char* ptr, size_t size, size_t n, void* user) {
    auto* out = static_cast<ClientResponse*>(user);
    std::string_view line(ptr, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        out->headers = Headers{};  // a new response (after 100 Continue or a redirect)
        return size * n;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        auto name = line.substr(0, colon);
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        out->headers.add(std::string(name), std::string(value));
    }
    return size * n;
}
}  // namespace

void set_current_traceparent(std::string tp) { t_traceparent = std::move(tp); }
const std::string& current_traceparent() { return t_traceparent; }

std::string child_traceparent(const std::string& parent) {
    std::string trace;
    if (parent.size() == 55 && parent[2] == '-' && parent[35] == '-') trace = parent.substr(3, 32);
    if (trace.empty()) trace = random_hex(16);
    return "00-" + trace + "-" + random_hex(8) + "-01";
}

struct Client::Pool {
    std::mutex mu;
    std::vector<CURL*> free;
    ~Pool() {
        for (auto* h : free) curl_easy_cleanup(h);
    }
    CURL* take() {
        {
            std::lock_guard lock(mu);
            if (!free.empty()) {
                auto* h = free.back();
                free.pop_back();
                return h;
            }
        }
        return curl_easy_init();
    }
    void give(CURL* h) {
        std::lock_guard lock(mu);
        if (free.size() < 64) {
            free.push_back(h);
            return;
        }
        curl_easy_cleanup(h);
    }
};

Client::Client(std::string base_url, ClientOptions options)
    : base_url_(std::move(base_url)), options_(options), pool_(std::make_unique<Pool>()) {
    static CurlGlobal global;
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Client::~Client() = default;

ClientResponse Client::send(const std::string& method, const std::string& path_and_query, const Headers& headers,
                            const std::string& body) const {
    may_block();  // an upstream call never runs on an HTTP I/O thread
    bool retry_safe = method == "GET" || method == "HEAD" || headers.has("Idempotency-Key");
    int attempts = retry_safe ? 1 + options_.retries : 1;
    std::string url = base_url_ + path_and_query;
    std::string last_error;
    for (int attempt = 0; attempt < attempts; ++attempt) {
        if (attempt > 0) std::this_thread::sleep_for(options_.retry_backoff * (1 << (attempt - 1)));
        CURL* h = pool_->take();
        if (h == nullptr) throw unavailable("Внутренняя ошибка соединения");
        curl_easy_reset(h);
        ClientResponse out;
        curl_slist* list = nullptr;
        for (const auto& [k, v] : headers.all()) {
            std::string line = k;
            line.append(": ").append(v);
            list = curl_slist_append(list, line.c_str());
        }
        if (!headers.has("X-Request-Id") && !log::current_request_id().empty())
            list = curl_slist_append(list, ("X-Request-Id: " + log::current_request_id()).c_str());
        if (!headers.has("traceparent"))
            list = curl_slist_append(list, ("traceparent: " + child_traceparent(t_traceparent)).c_str());
        list = curl_slist_append(list, "Expect:");
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
        if (method == "HEAD") curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        }
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &out.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &out);
        curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
        CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(list);
        if (rc == CURLE_OK) {
            pool_->give(h);
            out.status = static_cast<int>(status);
            if (out.status == 503 && attempt + 1 < attempts) continue;
            return out;
        }
        curl_easy_cleanup(h);
        last_error = curl_easy_strerror(rc);
        // A request that may have reached the upstream is not repeated unless it is retry-safe.
        if (!retry_safe) break;
    }
    log::warn("upstream call failed", {{"url", base_url_}, {"method", method}, {"error", last_error}});
    throw unavailable("Сервис временно недоступен, попробуйте ещё раз через несколько секунд", 2);
}

Problem upstream_problem(const ClientResponse& r, std::string_view service) {
    auto type = r.headers.get("Content-Type").value_or("");
    if (r.status >= 400 && type.find("problem+json") != std::string::npos) {
        boost::system::error_code ec;
        auto v = boost::json::parse(r.body, ec);
        if (!ec && v.is_object()) {
            const auto& o = v.as_object();
            auto text = [&](const char* key) {
                const auto* f = o.if_contains(key);
                return f && f->is_string() ? std::string(f->as_string()) : std::string();
            };
            std::vector<FieldError> errors;
            if (const auto* es = o.if_contains("errors"); es && es->is_array())
                for (const auto& e : es->as_array()) {
                    if (!e.is_object()) continue;
                    const auto* field = e.as_object().if_contains("field");
                    const auto* message = e.as_object().if_contains("message");
                    errors.push_back({field && field->is_string() ? std::string(field->as_string()) : "",
                                      message && message->is_string() ? std::string(message->as_string()) : ""});
                }
            auto slug = problem_type_slug(text("type"));
            Problem p = Problem(r.status, text("title"), text("detail"), std::move(errors))
                            .with_type(slug.empty() ? default_problem_type(r.status) : slug);
            for (const auto& [k, val] : o)
                if (k != "type" && k != "title" && k != "status" && k != "detail" && k != "errors") p.extra()[k] = val;
            if (auto retry = r.headers.get("Retry-After")) p.headers().emplace_back("Retry-After", *retry);
            return p;
        }
    }
    log::error("upstream answered unexpectedly", {{"service", std::string(service)}, {"status", r.status}});
    return unavailable("Сервис временно недоступен, попробуйте ещё раз через несколько секунд", 2);
}

}  // namespace chance::http
