#include "chance/core/metrics.hpp"

#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <string_view>

namespace chance::metrics {

void Counter::inc(double v) {
    double cur = value_.load();
    while (!value_.compare_exchange_weak(cur, cur + v)) {
    }
}

void Gauge::add(double v) {
    double cur = value_.load();
    while (!value_.compare_exchange_weak(cur, cur + v)) {
    }
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i] = 0;
}

void Histogram::observe(double v) {
    size_t i = 0;
    while (i < bounds_.size() && v > bounds_[i]) ++i;
    buckets_[i].fetch_add(1);
    count_.fetch_add(1);
    double cur = sum_.load();
    while (!sum_.compare_exchange_weak(cur, cur + v)) {
    }
}

std::vector<uint64_t> Histogram::cumulative() const {
    std::vector<uint64_t> out(bounds_.size() + 1);
    uint64_t acc = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        acc += buckets_[i].load();
        out[i] = acc;
    }
    return out;
}

Registry& Registry::global() {
    static Registry r;
    return r;
}

const std::vector<double>& Registry::default_latency_bounds() {
    static const std::vector<double> b{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return b;
}

namespace {
std::string escape(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}
std::string num(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
void append(std::string& out, std::initializer_list<std::string_view> parts) {
    for (auto part : parts) out += part;
}
}  // namespace

std::string render_labels(const Labels& labels) {
    if (labels.empty()) return "";
    std::string out = "{";
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i) out += ",";
        out += labels[i].first + "=\"" + escape(labels[i].second) + "\"";
    }
    return out + "}";
}

Registry::Family& Registry::family(const std::string& name, const std::string& type, const std::string& help) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
        it->second.type = type;
        it->second.help = help;
    } else if (it->second.type != type) {
        throw std::logic_error("metric " + name + " registered with two types");
    }
    return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& f = family(name, "counter", help);
    auto& slot = f.counters[render_labels(labels)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& f = family(name, "gauge", help);
    auto& slot = f.gauges[render_labels(labels)];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, const Labels& labels,
                               const std::vector<double>& bounds) {
    std::lock_guard lock(mutex_);
    auto& f = family(name, "histogram", help);
    auto& slot = f.histograms[render_labels(labels)];
    if (!slot) slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

std::string Registry::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, f] : families_) {
        append(out, {"# HELP ", name, " ", f.help, "\n# TYPE ", name, " ", f.type, "\n"});
        for (const auto& [labels, c] : f.counters) append(out, {name, labels, " ", num(c->value()), "\n"});
        for (const auto& [labels, g] : f.gauges) append(out, {name, labels, " ", num(g->value()), "\n"});
        for (const auto& [labels, h] : f.histograms) {
            auto cum = h->cumulative();
            // Insert le="..." into the existing label set.
            std::string prefix = labels.empty() ? "{" : labels.substr(0, labels.size() - 1) + ",";
            for (size_t i = 0; i < h->bounds().size(); ++i)
                append(out,
                       {name, "_bucket", prefix, "le=\"", num(h->bounds()[i]), "\"} ", std::to_string(cum[i]), "\n"});
            append(out, {name, "_bucket", prefix, "le=\"+Inf\"} ", std::to_string(cum.back()), "\n"});
            append(out, {name, "_sum", labels, " ", num(h->sum()), "\n"});
            append(out, {name, "_count", labels, " ", std::to_string(h->count()), "\n"});
        }
    }
    return out;
}

}  // namespace chance::metrics
