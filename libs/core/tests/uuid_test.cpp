#include <gtest/gtest.h>

#include <set>

#include "chance/core/uuid.hpp"

TEST(Uuid, V7HasVersionVariantAndSortsByTime) {
    using namespace std::chrono;
    auto t0 = system_clock::time_point(milliseconds(1700000000000));
    auto a = chance::uuid_v7(t0);
    auto b = chance::uuid_v7(t0 + milliseconds(1));
    EXPECT_TRUE(chance::is_uuid(a));
    EXPECT_EQ(a[14], '7');
    EXPECT_NE(std::string("89ab").find(a[19]), std::string::npos);
    EXPECT_LT(a, b);
    EXPECT_EQ(a.substr(0, 13), "018bcfe5-6800");
}

TEST(Uuid, ManyAreDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 10000; ++i) seen.insert(chance::uuid_v7());
    EXPECT_EQ(seen.size(), 10000u);
}

TEST(Uuid, Validation) {
    EXPECT_FALSE(chance::is_uuid("not-a-uuid"));
    EXPECT_FALSE(chance::is_uuid("018bcfe5-6800-7000-8000-00000000000g"));
    EXPECT_TRUE(chance::is_uuid("018bcfe5-6800-7000-8000-000000000000"));
}
