#include <gtest/gtest.h>

#include "chance/core/text.hpp"

using namespace chance::text;

TEST(Text, HtmlEscapeCoversMarkupAndQuotes) {
    EXPECT_EQ(html_escape("<a href=\"x\" title='y'>Tom & Jerry</a>"),
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    EXPECT_EQ(html_escape("Маузер"), "Маузер");
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
