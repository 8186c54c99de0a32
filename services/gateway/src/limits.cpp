#include "gateway/limits.hpp"

#include <cmath>
#include <thread>

#include "chance/core/log.hpp"

namespace chance::gateway {

namespace {
constexpr size_t kMaxKeys = 100000;  // bounded memory under an address sweep

// The counts of every limiter, in a stable order (name, key, window) so that two replicas flushing the same rows
// lock them in the same order.
constexpr pg::Query kFlush{
    "rate_limit_flush",
    "INSERT INTO rate_limit_windows (name, key, window_no, n, expires_at) "
    "SELECT u.name, u.key, u.window_no, u.n, to_timestamp((u.window_no + 2) * u.window_ms / 1000.0) "
    "FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[]) "
    "AS u(name, key, window_no, n, window_ms) ORDER BY 1, 2, 3 "
    "ON CONFLICT (name, key, window_no) DO UPDATE SET n = rate_limit_windows.n + excluded.n "
    "RETURNING name, key, window_no, n"};
constexpr pg::Query kPurgeWindows{"rate_limit_purge", "DELETE FROM rate_limit_windows WHERE expires_at < now()"};
constexpr pg::Query kPurgeFailures{"login_failures_purge",
                                   "DELETE FROM login_failures WHERE failed_at < now() - interval '1 day'"};

constexpr pg::Query kFailed{"login_failures_insert",
                            "INSERT INTO login_failures (scope, key) VALUES ('account', $1), ('address', $2)"};
constexpr pg::Query kFailures{
    "login_failures_read",
    "SELECT scope, count(*) AS n, extract(epoch FROM now() - max(failed_at))::double precision AS since "
    "FROM login_failures WHERE ((scope = 'account' AND key = $1) OR (scope = 'address' AND key = $2)) "
    "AND failed_at > now() - interval '1 day' GROUP BY scope"};
constexpr pg::Query kSucceeded{"login_failures_forget",
                               "DELETE FROM login_failures WHERE scope = 'account' AND key = $1"};

std::string int_array(const std::vector<int64_t>& items) {
    std::string out = "{";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(items[i]);
    }
    return out + "}";
}
}  // namespace

WindowLimiter::WindowLimiter(std::string name, double rate, double burst) {
    if (rate <= 0 || burst < 1) throw std::invalid_argument("a rate limit needs rate > 0 and burst >= 1");
    auto ms = std::max(1000.0, std::ceil(burst / rate * 1000.0));
    window_ = std::chrono::milliseconds(static_cast<int64_t>(ms));
    name_ = std::move(name) + "/" + std::to_string(window_.count());
    allowance_ = static_cast<int64_t>(std::max(std::floor(burst), std::floor(rate * ms / 1000.0)));
}

int WindowLimiter::take(const std::string& key, Clock::time_point now) {
    const auto span = window_.count();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    int64_t w = ms / span;
    double frac = static_cast<double>(ms % span) / static_cast<double>(span);
    std::lock_guard lock(mu_);
    if (entries_.size() > kMaxKeys) {
        std::erase_if(entries_, [w](const auto& e) { return e.second.window < w - 1; });
        if (entries_.size() > kMaxKeys) entries_.clear();
    }
    auto& e = entries_[key];
    if (e.window > w) {
        frac = 0;  // the clock went back: stay in the window already counted, at its start
    } else if (e.window == w - 1) {
        e.previous = e.current;
        e.current = {};
        e.window = w;
    } else if (e.window < w - 1) {
        e = Entry{w, {}, {}};
    }
    const auto a = static_cast<double>(allowance_);
    const auto prev = static_cast<double>(e.previous.count());
    const auto cur = static_cast<double>(e.current.count());
    if (prev * (1.0 - frac) + cur + 1.0 <= a + 1e-9) {
        ++e.current.local;
        ++e.current.pending;
        return 0;
    }
    // When the estimate will have dropped low enough for one more request.
    const double seconds = static_cast<double>(span) / 1000.0;
    double wait = 0;
    if (cur + 1.0 <= a)
        wait = ((1.0 - (a - cur - 1.0) / prev) - frac) * seconds;
    else
        wait = (1.0 - frac) * seconds + (1.0 - (a - 1.0) / cur) * seconds;
    return std::max(1, static_cast<int>(std::ceil(wait)));
}

std::vector<WindowLimiter::Count> WindowLimiter::drain() {
    std::vector<Count> out;
    std::lock_guard lock(mu_);
    for (auto& [key, e] : entries_) {
        if (e.previous.pending > 0) out.push_back({key, e.window - 1, std::exchange(e.previous.pending, 0)});
        if (e.current.pending > 0) out.push_back({key, e.window, std::exchange(e.current.pending, 0)});
    }
    return out;
}

WindowLimiter::Slot* WindowLimiter::slot_of(const std::string& key, int64_t window) {
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    auto& e = it->second;
    if (window == e.window) return &e.current;
    if (window == e.window - 1) return &e.previous;
    return nullptr;
}

void WindowLimiter::learn(const std::vector<Count>& totals) {
    std::lock_guard lock(mu_);
    for (const auto& t : totals)
        if (auto* slot = slot_of(t.key, t.window)) slot->global = std::max(slot->global, t.n);
}

void WindowLimiter::restore(const std::vector<Count>& counts) {
    std::lock_guard lock(mu_);
    for (const auto& c : counts)
        if (auto* slot = slot_of(c.key, c.window)) slot->pending += c.n;
}

LimitFlusher::LimitFlusher(pg::Pool& pool, std::vector<std::shared_ptr<WindowLimiter>> limiters)
    : pool_(pool), limiters_(std::move(limiters)) {}

bool LimitFlusher::flush() {
    std::vector<std::vector<WindowLimiter::Count>> drained;
    std::vector<std::string> names, keys;
    std::vector<int64_t> windows, counts, spans;
    for (auto& l : limiters_) {
        drained.push_back(l->drain());
        for (const auto& c : drained.back()) {
            names.push_back(l->name());
            keys.push_back(c.key);
            windows.push_back(c.window);
            counts.push_back(c.n);
            spans.push_back(l->window().count());
        }
    }
    try {
        if (!names.empty()) {
            auto r = pool_.exec(kFlush, pg::Params(pg::text_array(names), pg::text_array(keys), int_array(windows),
                                                   int_array(counts), int_array(spans)));
            std::map<std::string, std::vector<WindowLimiter::Count>> totals;
            for (int i = 0; i < r.rows(); ++i)
                totals[r.text(i, "name")].push_back({r.text(i, "key"), r.int64(i, "window_no"), r.int64(i, "n")});
            for (auto& l : limiters_)
                if (auto it = totals.find(l->name()); it != totals.end()) l->learn(it->second);
        }
        auto now = std::chrono::steady_clock::now();
        if (now - last_purge_ > std::chrono::seconds(10)) {
            last_purge_ = now;
            pool_.exec(kPurgeWindows);
            pool_.exec(kPurgeFailures);
        }
    } catch (const std::exception& e) {
        for (size_t i = 0; i < limiters_.size(); ++i) limiters_[i]->restore(drained[i]);
        if (!down_) log::warn("rate limits are local until the database is back", {{"error", e.what()}});
        down_ = true;
        return false;
    }
    if (down_) log::info("rate limits are shared again");
    down_ = false;
    return true;
}

void LimitFlusher::run(const std::stop_token& st, std::chrono::milliseconds interval) {
    while (!st.stop_requested()) {
        auto next = std::chrono::steady_clock::now() + interval;
        flush();
        while (!st.stop_requested() && std::chrono::steady_clock::now() < next)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int SharedLoginGuard::wait_for(const LoginGuard::Policy& p, int64_t failures, double seconds_since_last) {
    double wait = 0;
    if (failures >= p.lockout_after)
        wait = static_cast<double>(p.lockout.count()) - seconds_since_last;
    else if (failures > p.free_attempts)
        wait = static_cast<double>(1 << std::min<int64_t>(failures - p.free_attempts, 8)) - seconds_since_last;
    return wait > 0 ? static_cast<int>(std::ceil(wait)) : 0;
}

int SharedLoginGuard::retry_after(const std::string& account, const std::string& address) {
    try {
        auto r = pool_.exec(kFailures, pg::Params(account, address));
        int shared = 0;
        for (int i = 0; i < r.rows(); ++i) {
            auto n = r.int64(i, "n");
            if (r.text(i, "scope") == "address") n /= 4;
            shared = std::max(shared, wait_for(policy_, n, r.number(i, "since")));
        }
        return shared;
    } catch (const std::exception& e) {
        log::warn("login guard: the database cannot be reached, this replica's counts decide", {{"error", e.what()}});
        return local_.retry_after(account, address);
    }
}

void SharedLoginGuard::failed(const std::string& account, const std::string& address) {
    local_.failed(account, address);
    try {
        pool_.exec(kFailed, pg::Params(account, address));
    } catch (const std::exception& e) {
        log::warn("login guard: a failed login was not recorded", {{"error", e.what()}});
    }
}

void SharedLoginGuard::succeeded(const std::string& account) {
    local_.succeeded(account);
    try {
        pool_.exec(kSucceeded, pg::Params(account));
    } catch (const std::exception& e) {
        log::warn("login guard: a successful login was not recorded", {{"error", e.what()}});
    }
}

}  // namespace chance::gateway
