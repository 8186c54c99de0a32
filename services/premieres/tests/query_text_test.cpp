#include <gtest/gtest.h>

#include "premieres/search/query_text.hpp"

using namespace chance::premieres;

namespace {
std::vector<std::string> words(std::string_view text, size_t max = 200) { return text_words(text, max).value(); }

WordLexemes::Lexeme lexeme(std::string l) { return {WordLexemes::Kind::lexeme, std::move(l)}; }
}  // namespace

TEST(QueryText, LowersAndSplitsAsTheDatabaseDoes) {
    EXPECT_EQ(lower_text("Гамлет ЁЖ İstanbul ǅ"), "гамлет ёж istanbul ǆ");
    EXPECT_EQ(words("  Чайка, сад-4711!"), (std::vector<std::string>{"чайка", "сад", "4711"}));
    EXPECT_EQ(words("Hamlet_Running"), (std::vector<std::string>{"hamlet", "running"}));  // _ is not alphanumeric
    EXPECT_EQ(words("ÀB ﬁsh Straße"), (std::vector<std::string>{"àb", "ﬁsh", "straße"}));
    EXPECT_TRUE(words(" \t-- ").empty());
    // left(text, 200): characters, not bytes.
    EXPECT_EQ(words(std::string(150, 'a') + " " + std::string(60, 'b')),
              (std::vector<std::string>{std::string(150, 'a'), std::string(49, 'b')}));
    EXPECT_EQ(words("ааа ббб", 5), (std::vector<std::string>{"ааа", "б"}));
}

TEST(QueryText, InvalidUtf8IsNotReadAtAll) {
    EXPECT_FALSE(lower_text("abc\xff"));
    EXPECT_FALSE(text_words("\xd0"));                          // cut short
    EXPECT_FALSE(text_words("\xc0\xaf"));                      // overlong
    EXPECT_FALSE(text_words("\xed\xa0\x80"));                  // a surrogate
    EXPECT_FALSE(text_words("\xf4\x90\x80\x80"));              // beyond U+10FFFF
    EXPECT_FALSE(text_words(std::string(300, 'a') + "\xff"));  // past the 200 characters too: the text is refused
}

TEST(WordLexemes, ComposesTheQueryOfKnownWordsLastOneAPrefixStopWordsLeftOut) {
    WordLexemes known;
    std::vector<std::string> unknown;
    EXPECT_FALSE(known.query({"чайки", "сад", "4711"}, &unknown));
    EXPECT_EQ(unknown, (std::vector<std::string>{"чайки", "сад"}));  // numbers need no lesson
    known.learn("чайки", lexeme("чайк"));
    known.learn("сад", lexeme("сад"));
    known.learn("на", {WordLexemes::Kind::stop, {}});
    EXPECT_EQ(known.query({"чайки", "сад", "4711"}, nullptr), "'чайк' & 'сад' & '4711':*");
    EXPECT_EQ(known.query({"на", "сад"}, nullptr), "'сад':*");
    EXPECT_EQ(known.query({"сад", "на"}, nullptr), "'сад'");  // the stop word was the prefix: no prefix
    EXPECT_EQ(known.query({"на"}, nullptr), "");
    EXPECT_EQ(known.query({}, nullptr), "");
    // A word of several lexemes, or a lexeme that would need quoting, is never composed.
    known.learn("x", {WordLexemes::Kind::other, {}});
    known.learn("q", lexeme("it's"));
    EXPECT_FALSE(known.query({"сад", "x"}, nullptr));
    EXPECT_FALSE(known.query({"q"}, nullptr));
    EXPECT_EQ(known.size(), 5u);
    // A digit string too long for a number lexeme is learnt like a word.
    unknown.clear();
    EXPECT_FALSE(known.query({std::string(65, '1')}, &unknown));
    EXPECT_EQ(unknown.size(), 1u);
}
