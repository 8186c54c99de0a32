#include <gtest/gtest.h>

#include "chance/core/metrics.hpp"

using chance::metrics::Registry;

TEST(Metrics, RendersCountersAndHistogramsInPrometheusText) {
    Registry r;
    r.counter("http_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc();
    r.counter("http_requests_total", "Requests", {{"route", "/a"}, {"status", "200"}}).inc(2);
    auto& h = r.histogram("latency_seconds", "Latency", {{"route", "/a"}}, {0.1, 1});
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    auto text = r.render();
    EXPECT_NE(text.find("http_requests_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/a\",le=\"0.10000000000000001\"} 1"), std::string::npos)
        << text;
    EXPECT_NE(text.find("latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 3"), std::string::npos) << text;
    EXPECT_NE(text.find("latency_seconds_count{route=\"/a\"} 3"), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE latency_seconds histogram"), std::string::npos);
}

TEST(Metrics, OneNameCannotHaveTwoTypes) {
    Registry r;
    r.counter("x", "x");
    EXPECT_THROW(r.gauge("x", "x"), std::logic_error);
}
