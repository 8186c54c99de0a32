#include <gtest/gtest.h>

#include "premieres/rentals/playback.hpp"

using namespace chance::premieres;

TEST(Playback, SignedGrantVerifiesAndIsBoundToItsFields) {
    const std::string key(32, 'm');
    auto token = sign_media({7, 42, "u1", 2000}, key);
    auto g = verify_media(token, key, 1999);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->premiere_id, 7);
    EXPECT_EQ(g->rental_id, 42);
    EXPECT_EQ(g->user_id, "u1");
    EXPECT_FALSE(verify_media(token, key, 2001));                   // expired
    EXPECT_FALSE(verify_media(token, std::string(32, 'x'), 1999));  // another key
    auto other = sign_media({8, 42, "u1", 2000}, key);
    auto spliced = other.substr(0, other.find('.')) + token.substr(token.find('.'));
    EXPECT_FALSE(verify_media(spliced, key, 1999));  // another premiere, old signature
    auto tampered = token;
    tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
    EXPECT_FALSE(verify_media(tampered, key, 1999));
    EXPECT_FALSE(verify_media("garbage", key, 0));
}
