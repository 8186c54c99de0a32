#include <gtest/gtest.h>

#include "chance/core/error.hpp"
#include "premieres/rentals/playback.hpp"
#include "premieres/rentals/viewing.hpp"

using namespace chance::premieres;

TEST(Playback, SignedGrantVerifiesAndIsBoundToItsFields) {
    const std::string key(32, 'm');
    auto token = sign_media({7, 42, "u1", 2000, "AAAAAAAAAAAAAAAAAAAAAA"}, key);
    auto g = verify_media(token, key, 1999);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->premiere_id, 7);
    EXPECT_EQ(g->rental_id, 42);
    EXPECT_EQ(g->user_id, "u1");
    EXPECT_EQ(g->session, "AAAAAAAAAAAAAAAAAAAAAA");
    EXPECT_FALSE(verify_media(token, key, 2001));                   // expired
    EXPECT_FALSE(verify_media(token, std::string(32, 'x'), 1999));  // another key
    auto other = sign_media({8, 42, "u1", 2000, "AAAAAAAAAAAAAAAAAAAAAA"}, key);
    auto spliced = other.substr(0, other.find('.')) + token.substr(token.find('.'));
    EXPECT_FALSE(verify_media(spliced, key, 1999));  // another premiere, old signature
    auto tampered = token;
    tampered.back() = tampered.back() == 'a' ? 'b' : 'a';
    EXPECT_FALSE(verify_media(tampered, key, 1999));
    EXPECT_FALSE(verify_media("garbage", key, 0));
}

namespace {
std::vector<std::string> fields_of(std::string_view body) {
    try {
        chance::premieres::rentals::read_beacon(body);
    } catch (const chance::Problem& p) {
        std::vector<std::string> out;
        for (const auto& e : p.errors()) out.push_back(e.field);
        return out;
    }
    return {};
}
}  // namespace

TEST(Playback, ABeaconCarriesItsSessionAPositionAndAnErrorEachChecked) {
    using chance::premieres::rentals::read_beacon;
    auto b = read_beacon(R"({"session":"Abc-_0123456789abcdefg","position":125,"error":"segment 404"})");
    EXPECT_EQ(b.session, "Abc-_0123456789abcdefg");
    EXPECT_EQ(b.position, 125);
    EXPECT_EQ(b.error, "segment 404");
    EXPECT_FALSE(read_beacon(R"({"session":"Abc-_0123456789abcdefg"})").position);
    EXPECT_EQ(fields_of(R"({"position":1})"), std::vector<std::string>{"session"});
    EXPECT_EQ(fields_of(R"({"session":"short","position":1})"), std::vector<std::string>{"session"});
    EXPECT_EQ(fields_of(R"({"session":"Abc.+0123456789abcdefg"})"), std::vector<std::string>{"session"});
    EXPECT_EQ(fields_of(R"({"session":"Abc-_0123456789abcdefg","position":-1})"), std::vector<std::string>{"position"});
    EXPECT_EQ(fields_of(R"({"session":"Abc-_0123456789abcdefg","position":"12"})"),
              std::vector<std::string>{"position"});
    EXPECT_EQ(fields_of(R"({"session":"Abc-_0123456789abcdefg","error":""})"), std::vector<std::string>{"error"});
    EXPECT_EQ(fields_of(R"({"session":"Abc-_0123456789abcdefg","error":")" + std::string(201, 'x') + R"("})"),
              std::vector<std::string>{"error"});
    EXPECT_THROW(read_beacon("[1]"), chance::Problem);
}

TEST(Playback, ADeviceIsKeptAsPrintableAsciiUpTo200Characters) {
    using chance::premieres::rentals::device_label;
    EXPECT_EQ(device_label("Mozilla/5.0 (X11; Linux x86_64)"), "Mozilla/5.0 (X11; Linux x86_64)");
    EXPECT_EQ(device_label("a\x01"
                           "b\xd0\x96"
                           "c\n"),
              "abc");
    EXPECT_EQ(device_label(std::string(500, 'z')).size(), 200u);
}
