#include <gtest/gtest.h>

#include "gateway/limits.hpp"

using namespace chance::gateway;
using namespace std::chrono_literals;

namespace {
// The start of a window of `l`, so that tests know where they are in it.
WindowLimiter::Clock::time_point window_start(const WindowLimiter& l, int64_t n = 1'000'000) {
    return WindowLimiter::Clock::time_point(n * l.window());
}

int allowed(WindowLimiter& l, const std::string& key, int tries, WindowLimiter::Clock::time_point at) {
    int n = 0;
    for (int i = 0; i < tries; ++i) n += l.take(key, at) == 0 ? 1 : 0;
    return n;
}
}  // namespace

TEST(WindowLimiter, WindowAndAllowanceFromRateAndBurst) {
    WindowLimiter api("api", 20, 100);
    EXPECT_EQ(api.window(), 5s);
    EXPECT_EQ(api.allowance(), 100);
    WindowLimiter reg("register", 0.2, 10);
    EXPECT_EQ(reg.window(), 50s);
    EXPECT_EQ(reg.allowance(), 10);
    WindowLimiter fast("api", 10000, 10000);
    EXPECT_EQ(fast.window(), 1s);
    EXPECT_EQ(fast.allowance(), 10000);
    WindowLimiter no_burst("api", 50, 10);  // a window is at least a second: its allowance a second's rate
    EXPECT_EQ(no_burst.window(), 1s);
    EXPECT_EQ(no_burst.allowance(), 50);
    EXPECT_THROW(WindowLimiter("x", 0, 10), std::invalid_argument);
}

TEST(WindowLimiter, BurstThenTheRateAsThePreviousWindowSlidesOut) {
    WindowLimiter l("api", 1, 3);  // windows of 3 s, 3 requests
    auto t = window_start(l);
    EXPECT_EQ(allowed(l, "a", 5, t), 3);
    EXPECT_GE(l.take("a", t), 1);
    EXPECT_EQ(allowed(l, "b", 1, t), 1);  // another key has its own allowance
    EXPECT_EQ(allowed(l, "a", 5, t + 2s), 0);
    // Next window: the previous one's 3 count for the part of it still inside the sliding window.
    EXPECT_EQ(allowed(l, "a", 5, t + 3s), 0);
    EXPECT_EQ(allowed(l, "a", 5, t + 4100ms), 1);  // 3 * (1 - 0.37) = 1.9: one more
    EXPECT_EQ(allowed(l, "a", 5, t + 5100ms), 1);
    EXPECT_EQ(allowed(l, "a", 5, t + 9s), 3);  // two windows later: all of it again
}

TEST(WindowLimiter, RetryAfterIsWhenTheNextRequestPasses) {
    WindowLimiter l("register", 0.2, 10);  // 50 s windows
    auto t = window_start(l);
    EXPECT_EQ(allowed(l, "a", 10, t), 10);
    int wait = l.take("a", t);
    EXPECT_GE(wait, 50);
    EXPECT_LE(wait, 56);
    EXPECT_NE(l.take("a", t + std::chrono::seconds(wait - 2)), 0);
    EXPECT_EQ(l.take("a", t + std::chrono::seconds(wait)), 0);
}

TEST(WindowLimiter, TheClusterCountDecidesWhenItIsHigher) {
    // Two replicas exchanging counts by hand, as LimitFlusher does through the database.
    WindowLimiter one("api", 10, 10);
    WindowLimiter two("api", 10, 10);
    auto t = window_start(one);
    EXPECT_EQ(allowed(one, "a", 6, t), 6);
    auto pushed = one.drain();
    ASSERT_EQ(pushed.size(), 1u);
    EXPECT_EQ(pushed[0].n, 6);
    EXPECT_TRUE(one.drain().empty());
    EXPECT_EQ(allowed(two, "a", 1, t), 1);  // two has not heard of one yet
    two.drain();
    two.learn({{"a", pushed[0].window, 7}});  // the table's total: 6 from one, 1 from two
    EXPECT_EQ(allowed(two, "a", 10, t + 100ms), 3);
    one.learn({{"a", pushed[0].window, 10}});
    EXPECT_EQ(allowed(one, "a", 10, t + 100ms), 0);
    // A failed flush keeps the counts for the next one.
    WindowLimiter three("api", 10, 10);
    EXPECT_EQ(allowed(three, "a", 2, t), 2);
    auto lost = three.drain();
    three.restore(lost);
    ASSERT_EQ(three.drain().size(), 1u);
}

TEST(SharedLoginGuard, FreeAttemptsGrowingDelayLockout) {
    LoginGuard::Policy p;
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 5, 0), 0);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 6, 0), 2);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 6, 1.5), 1);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 6, 3), 0);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 9, 0), 16);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 10, 0), 900);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 25, 60), 840);
    EXPECT_EQ(SharedLoginGuard::wait_for(p, 25, 901), 0);
}
