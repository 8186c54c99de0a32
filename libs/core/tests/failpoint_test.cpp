#include <gtest/gtest.h>

#include <cstdlib>

#include "chance/core/failpoint.hpp"

TEST(Failpoint, DoesNothingUnlessArmedThenEndsTheProcessAtTheNamedPoint) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    // Each statement runs in a death test's child process, alone: setenv and exit are safe there.
    // NOLINTBEGIN(concurrency-mt-unsafe)
    EXPECT_EXIT(
        {
            unsetenv("CHANCE_FAILPOINTS");
            chance::failpoint("consumer-before-ack");
            std::exit(0);
        },
        ::testing::ExitedWithCode(0), "");
    EXPECT_EXIT(
        {
            setenv("CHANCE_FAILPOINTS", "other,consumer-before-ack", 1);
            chance::failpoint("consumer");  // a prefix is not the name
            chance::failpoint("consumer-before-ack");
            std::exit(0);
        },
        ::testing::ExitedWithCode(86), "failpoint reached");
    // NOLINTEND(concurrency-mt-unsafe)
}
