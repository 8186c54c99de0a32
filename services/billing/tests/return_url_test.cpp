#include <gtest/gtest.h>

#include <string>

#include "billing/return_url.hpp"

using chance::billing::is_store_path;

TEST(ReturnUrl, OnlyAPathOnTheStoresOwnOrigin) {
    EXPECT_TRUE(is_store_path("/checkout"));
    EXPECT_TRUE(is_store_path("/billing?tab=history"));
    EXPECT_TRUE(is_store_path("/"));
    EXPECT_TRUE(is_store_path("/премьеры/1"));
    EXPECT_FALSE(is_store_path(""));
    EXPECT_FALSE(is_store_path("checkout"));
    EXPECT_FALSE(is_store_path("https://evil.example/"));
    EXPECT_FALSE(is_store_path("//evil.example"));
    EXPECT_FALSE(is_store_path("/\\evil.example"));
    EXPECT_FALSE(is_store_path("/\t/evil.example"));
    EXPECT_FALSE(is_store_path("/checkout\r\nSet-Cookie: x=1"));
    EXPECT_FALSE(is_store_path("/\n/evil.example"));
    EXPECT_FALSE(is_store_path(std::string("/a\0b", 4)));
    EXPECT_FALSE(is_store_path("/a\x7f"));
}
