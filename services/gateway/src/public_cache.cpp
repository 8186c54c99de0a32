#include "gateway/public_cache.hpp"

#include "chance/core/text.hpp"
#include "gateway/protection.hpp"

namespace chance::gateway {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view opaque(std::string_view tag) { return tag.rfind("W/", 0) == 0 ? tag.substr(2) : tag; }

// If-None-Match (RFC 9110 §13.1.2): "*" or a list of tags, compared weakly.
bool none_match(std::string_view header, std::string_view etag) {
    if (etag.empty()) return false;
    while (!header.empty()) {
        auto comma = header.find(',');
        auto item = trim(header.substr(0, comma));
        if (item == "*" || (!item.empty() && opaque(item) == opaque(etag))) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}
}  // namespace

bool PublicCache::applies(const http::Request& req) {
    return req.method == "GET" && req.path.rfind("/api/v1/", 0) == 0 && is_public(req.method, req.path);
}

int PublicCache::keepable_for(const http::Response& res) {
    if (res.status != 200 || res.headers.has("Set-Cookie")) return 0;
    auto cc = res.headers.get("Cache-Control");
    if (!cc) return 0;
    bool is_public = false;
    int max_age = 0;
    std::string_view rest = *cc;
    while (!rest.empty()) {
        auto comma = rest.find(',');
        auto item = trim(rest.substr(0, comma));
        auto lower = text::ascii_lower(item);
        if (lower == "public") is_public = true;
        if (lower == "private" || lower == "no-store" || lower == "no-cache" || lower.rfind("private=", 0) == 0 ||
            lower.rfind("no-cache=", 0) == 0)
            return 0;
        if (lower.rfind("max-age=", 0) == 0) {
            auto digits = lower.substr(8);
            if (digits.empty() || digits.size() > 7 || digits.find_first_not_of("0123456789") != std::string::npos)
                return 0;
            max_age = std::stoi(digits);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    return is_public ? max_age : 0;
}

std::optional<http::Response> PublicCache::get(const http::Request& req, Clock::time_point now) {
    std::unique_lock lock(mu_);
    auto it = entries_.find(req.target);
    if (it == entries_.end()) return std::nullopt;
    if (now >= it->second.fresh_until) {
        entries_.erase(it);
        return std::nullopt;
    }
    auto age = std::chrono::duration_cast<std::chrono::seconds>(now - it->second.stored_at).count();
    http::Response out;
    out.prepared = it->second.answer;  // shared, not copied: its header lines and body are sent from here
    lock.unlock();
    out.headers.set("Age", std::to_string(age));
    return conditional(req, std::move(out));
}

http::Response PublicCache::conditional(const http::Request& req, http::Response res) {
    if (res.status != 200) return res;
    auto inm = req.headers.get("If-None-Match");
    if (!inm || !none_match(*inm, res.header("ETag").value_or(""))) return res;
    http::Response not_modified;
    not_modified.status = 304;
    for (auto name : {"ETag", "Cache-Control", "Age"})
        if (auto v = res.header(name)) not_modified.headers.set(name, *v);
    return not_modified;
}

void PublicCache::put(const http::Request& req, const http::Response& res, Clock::time_point now) {
    int keep = keepable_for(res);
    if (keep <= 0 || res.payload().size() > limits_.body_bytes || !applies(req)) return;
    auto kept = res.prepare();  // the header lines in wire form, once, rather than at every answer
    std::lock_guard lock(mu_);
    if (entries_.size() >= limits_.entries) {
        std::erase_if(entries_, [now](const auto& e) { return now >= e.second.fresh_until; });
        if (entries_.size() >= limits_.entries) entries_.clear();
    }
    entries_[req.target] = Entry{std::move(kept), now + std::chrono::seconds(keep), now};
}

void PublicCache::clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
}

size_t PublicCache::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

}  // namespace chance::gateway
