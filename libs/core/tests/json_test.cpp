#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "chance/core/json.hpp"

using chance::Problem;
using chance::json::Reader;

TEST(JsonReader, CollectsEveryFieldError) {
    Reader r(R"({"summ": "100", "period": 1.5, "name": ""})");
    r.int64("summ", true, 1, 100000000);
    r.int64("period", true);
    r.str("name", true, 100, 1);
    r.str("email", true);
    try {
        r.finish();
        FAIL();
    } catch (const Problem& p) {
        EXPECT_EQ(p.status(), 400);
        ASSERT_EQ(p.errors().size(), 4u);
        EXPECT_EQ(p.errors()[0].field, "summ");
        EXPECT_EQ(p.errors()[3].field, "email");
    }
}

TEST(JsonReader, RangeAndHugeNumbers) {
    Reader r(R"({"a": 0, "b": 18446744073709551615, "c": 100000001, "d": 5})");
    EXPECT_FALSE(r.int64("a", true, 1, 10));
    EXPECT_FALSE(r.int64("b", true));
    EXPECT_FALSE(r.int64("c", true, 1, 100000000));
    EXPECT_EQ(r.int64("d", true, 1, 10), 5);
    EXPECT_EQ(r.errors().size(), 3u);
}

TEST(JsonReader, RejectsNonObjectsAndBrokenJson) {
    EXPECT_THROW(Reader("[1,2]"), Problem);
    EXPECT_THROW(Reader("{\"a\":"), Problem);
    EXPECT_THROW(Reader(""), Problem);
    EXPECT_THROW(Reader("{\"a\": \"\xff\xfe\"}"), Problem);  // invalid UTF-8 inside a string
}

TEST(JsonReader, LengthCountsCodePointsNotBytes) {
    Reader r(R"({"name": "Маузер"})");
    EXPECT_EQ(r.str("name", true, 6), "Маузер");
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.str("name", true, 5));
}

TEST(Utf8, Validation) {
    EXPECT_TRUE(chance::json::valid_utf8("Маузер abc"));
    EXPECT_FALSE(chance::json::valid_utf8("\xC3"));
    EXPECT_FALSE(chance::json::valid_utf8("\xC0\xAF"));         // overlong
    EXPECT_FALSE(chance::json::valid_utf8("\xED\xA0\x80"));     // surrogate
    EXPECT_TRUE(chance::json::valid_utf8("\xF0\x9F\x8E\xAD"));  // emoji
}

TEST(Problem, TypeIsAStableKindRenderedAsAUriReference) {
    EXPECT_EQ(chance::unprocessable("x").type(), "validation");
    EXPECT_EQ(chance::bad_request("x").type(), "bad-request");
    EXPECT_EQ(Problem(402, "Недостаточно средств").type(), "http-402");
    auto p = Problem(402, "Недостаточно средств").with_type("insufficient-funds");
    EXPECT_EQ(p.type(), "insufficient-funds");
    auto body = p.to_json();
    EXPECT_EQ(body["type"].as_string(), "/problems/insufficient-funds");
    EXPECT_EQ(body["title"].as_string(), "Недостаточно средств");
    EXPECT_EQ(chance::problem_type_slug("/problems/insufficient-funds"), "insufficient-funds");
    EXPECT_EQ(chance::problem_type_slug("about:blank"), "");
    EXPECT_EQ(chance::problem_type_slug("/problems/"), "");
}

TEST(JsonOrNull, AnOptionalIsItsValueOrNull) {
    EXPECT_EQ(boost::json::serialize(chance::json::or_null(std::optional<std::string>("2026-12-07T19:00:00Z"))),
              R"("2026-12-07T19:00:00Z")");
    EXPECT_EQ(boost::json::serialize(chance::json::or_null(std::optional<int64_t>(7))), "7");
    EXPECT_TRUE(chance::json::or_null(std::optional<int64_t>()).is_null());
    EXPECT_TRUE(chance::json::or_null(std::optional<boost::json::object>()).is_null());
}
