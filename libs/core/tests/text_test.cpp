#include <gtest/gtest.h>

#include "chance/core/text.hpp"

using namespace chance::text;

TEST(Text, HtmlEscapeCoversMarkupAndQuotes) {
    EXPECT_EQ(html_escape("<a href=\"x\" title='y'>Tom & Jerry</a>"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    EXPECT_EQ(html_escape("Маузер"), "Маузер");
}

TEST(Text, AsciiLowerTouchesOnlyLatinCapitals) {
    EXPECT_EQ(ascii_lower("Anna@Example.RU"), "anna@example.ru");
    EXPECT_EQ(ascii_lower("No-Store, Max-Age=5"), "no-store, max-age=5");
    EXPECT_EQ(ascii_lower("ПАРОЛЬ Z"), "ПАРОЛЬ z");  // UTF-8 bytes left as they are
    EXPECT_EQ(ascii_lower(""), "");
}

TEST(Text, PositiveIds) {
    EXPECT_EQ(positive_id("42"), 42);
    EXPECT_EQ(positive_id("999999999999999999"), 999999999999999999);
    EXPECT_FALSE(positive_id("0"));
    EXPECT_FALSE(positive_id("-1"));
    EXPECT_FALSE(positive_id("1e3"));
    EXPECT_FALSE(positive_id("9999999999999999999"));
    EXPECT_FALSE(positive_id(""));
}

TEST(Text, Utf8ReadsStrictlyAndWritesBack) {
    const std::string text = "aЁж€😀";
    EXPECT_EQ(utf8_decode(text), std::u32string(U"aЁж€😀"));
    auto decoded = utf8_decode(text);
    ASSERT_TRUE(decoded);
    std::string again;
    for (char32_t c : *decoded) utf8_append(again, c);
    EXPECT_EQ(again, text);
    for (const char* bad : {"\xd0", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", "\xff"})
        EXPECT_FALSE(utf8_decode(bad)) << bad;
    size_t i = 0;
    char32_t cp = 0;
    EXPECT_FALSE(utf8_next("\xe2\x82", i, cp));
    EXPECT_EQ(i, 0u);  // left where it was
    EXPECT_TRUE(utf8_next("\xe2\x82\xac", i, cp));
    EXPECT_EQ(cp, U'€');
    EXPECT_EQ(i, 3u);
}
