#pragma once
// Prometheus text exposition: counters, gauges and histograms with labels. Lock-free on the hot path
// once a series exists; creating a series takes a lock.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace chance::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
  public:
    void inc(double v = 1.0);
    double value() const { return value_.load(); }

  private:
    std::atomic<double> value_{0};
};

class Gauge {
  public:
    void set(double v) { value_.store(v); }
    void add(double v);
    double value() const { return value_.load(); }

  private:
    std::atomic<double> value_{0};
};

class Histogram {
  public:
    explicit Histogram(std::vector<double> bounds);
    void observe(double v);
    const std::vector<double>& bounds() const { return bounds_; }
    std::vector<uint64_t> cumulative() const;
    double sum() const { return sum_.load(); }
    uint64_t count() const { return count_.load(); }

  private:
    std::vector<double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
    std::atomic<double> sum_{0};
    std::atomic<uint64_t> count_{0};
};

class Registry {
  public:
    static Registry& global();
    Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
    Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
    Histogram& histogram(const std::string& name, const std::string& help, const Labels& labels = {},
                         const std::vector<double>& bounds = default_latency_bounds());
    std::string render() const;

    static const std::vector<double>& default_latency_bounds();  // seconds, 0.5 ms .. 10 s

  private:
    struct Family {
        std::string type;
        std::string help;
        std::map<std::string, std::unique_ptr<Counter>> counters;
        std::map<std::string, std::unique_ptr<Gauge>> gauges;
        std::map<std::string, std::unique_ptr<Histogram>> histograms;
    };
    Family& family(const std::string& name, const std::string& type, const std::string& help);
    mutable std::mutex mutex_;
    std::map<std::string, Family> families_;
};

std::string render_labels(const Labels& labels);

}  // namespace chance::metrics
