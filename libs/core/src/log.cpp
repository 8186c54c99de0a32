#include "chance/core/log.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "chance/core/text.hpp"
#include "chance/core/time.hpp"

namespace chance::log {
namespace {
std::string g_service = "chance";  // NOLINT(cert-err58-cpp): fits the small-string buffer, never allocates
Level g_min = Level::info;
std::mutex g_mutex;
thread_local std::string t_request_id;

const char* level_name(Level l) {
    switch (l) {
        case Level::debug:
            return "debug";
        case Level::info:
            return "info";
        case Level::warn:
            return "warn";
        case Level::error:
            return "error";
    }
    return "info";
}

bool looks_secret(std::string_view key) {
    static constexpr std::string_view kWords[] = {"password", "token", "secret", "cookie",   "authorization",
                                                  "session",  "card",  "cvc",    "signature"};
    auto lower = text::ascii_lower(key);
    for (auto w : kWords)
        if (lower.find(w) != std::string::npos) return true;
    return false;
}
}  // namespace

void init(std::string service, Level min_level) {
    std::lock_guard lock(g_mutex);
    g_service = std::move(service);
    g_min = min_level;
}

Level parse_level(std::string_view s) {
    if (s == "debug") return Level::debug;
    if (s == "warn") return Level::warn;
    if (s == "error") return Level::error;
    return Level::info;
}

void redact(boost::json::object& fields) {
    for (auto& [k, v] : fields) {
        if (looks_secret(k)) {
            v = "***";
        } else if (v.is_object()) {
            redact(v.as_object());
        }
    }
}

bool enabled(Level level) { return level >= g_min; }

void write(Level level, std::string_view msg, boost::json::object fields) {
    if (level < g_min) return;
    redact(fields);
    boost::json::object line;
    line["ts"] = time::format_rfc3339(std::chrono::system_clock::now(), true);
    line["level"] = level_name(level);
    line["service"] = g_service;
    line["msg"] = msg;
    if (!t_request_id.empty()) line["request_id"] = t_request_id;
    for (auto& [k, v] : fields) line[k] = std::move(v);
    std::string text = boost::json::serialize(line);
    text += '\n';
    std::lock_guard lock(g_mutex);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

RequestScope::RequestScope(std::string request_id) : previous_(std::move(t_request_id)) {
    t_request_id = std::move(request_id);
}
RequestScope::~RequestScope() { t_request_id = std::move(previous_); }
const std::string& current_request_id() { return t_request_id; }

}  // namespace chance::log
