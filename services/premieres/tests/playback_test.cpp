#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <fstream>
#include "chance/core/error.hpp"

#include "premieres/rentals/failures.hpp"
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

TEST(Playback, OnlyFilesTheScreeningNamesAreTheStoresToServe) {
    namespace fs = std::filesystem;
    auto root = fs::temp_directory_path() / ("screening-" + std::to_string(::getpid()));
    fs::create_directories(root / "v0");
    std::ofstream(root / "master.m3u8")
        << "#EXTM3U\r\n#EXT-X-STREAM-INF:BANDWIDTH=1\r\nv0/index.m3u8\r\nv1/index.m3u8\n";
    std::ofstream(root / "v0" / "index.m3u8") << "#EXTM3U\n#EXTINF:4,\nseg_000.ts\n#EXTINF:4,\nseg_001.ts\n";
    using chance::premieres::screening_names;
    EXPECT_TRUE(screening_names(root.string(), "master.m3u8"));
    EXPECT_TRUE(screening_names(root.string(), "v0/index.m3u8"));
    EXPECT_TRUE(screening_names(root.string(), "v1/index.m3u8"));  // named by the master, even though it is missing
    EXPECT_TRUE(screening_names(root.string(), "v0/seg_001.ts"));
    EXPECT_FALSE(screening_names(root.string(), "v0/seg_002.ts"));
    EXPECT_FALSE(screening_names(root.string(), "v1/seg_000.ts"));  // its playlist is missing: nothing to go on
    EXPECT_FALSE(screening_names(root.string(), "seg_000.ts"));
    EXPECT_FALSE(screening_names(root.string(), "#EXTM3U"));
    fs::remove_all(root);
    EXPECT_TRUE(screening_names(root.string(), "master.m3u8"));  // the URL the store itself hands out
    EXPECT_FALSE(screening_names(root.string(), "v0/index.m3u8"));
}

TEST(Playback, AProblemReportHasWordsAndAtMostAStreamOfItsOwn) {
    using chance::premieres::rentals::read_problem_report;
    auto r = read_problem_report(R"({"text":"Не грузится","session":"Abc-_0123456789abcdefg"})");
    EXPECT_EQ(r.text, "Не грузится");
    EXPECT_EQ(r.session, "Abc-_0123456789abcdefg");
    EXPECT_FALSE(read_problem_report(R"({"text":"Нет звука"})").session);
    for (auto body : {R"({})", R"({"text":""})", R"({"text":5})", R"({"text":"a","session":"short"})"})
        EXPECT_THROW(read_problem_report(body), chance::Problem) << body;
    EXPECT_THROW(read_problem_report(R"({"text":")" + std::string(1001, 'x') + R"("})"), chance::Problem);
    EXPECT_NO_THROW(read_problem_report(R"({"text":")" + std::string(1000, 'x') + R"("})"));
}
