#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "premieres/search/speller.hpp"

using namespace chance::premieres;

namespace {
// A speller whose premiere i (from 1) has the words of docs[i - 1].
Speller speller_of(const std::vector<std::vector<std::string>>& docs) {
    Speller s;
    for (size_t i = 0; i < docs.size(); ++i) s.set_document(static_cast<int64_t>(i + 1), docs[i]);
    return s;
}

// The reference distance for the randomized test: the textbook full-matrix optimal string alignment, written
// independently of the speller's banded one.
int osa(const std::vector<int>& a, const std::vector<int>& b) {
    const size_t w = b.size() + 1;
    std::vector<int> d((a.size() + 1) * w);
    auto at = [&d, w](size_t i, size_t j) -> int& { return d[i * w + j]; };
    for (size_t i = 0; i <= a.size(); ++i) at(i, 0) = static_cast<int>(i);
    for (size_t j = 0; j <= b.size(); ++j) at(0, j) = static_cast<int>(j);
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    return at(a.size(), b.size());
}
}  // namespace

TEST(Speller, CorrectsShortWordsByOneEdit) {
    auto s = speller_of({{"дядя", "душа", "тень", "берег"}, {"дядя", "ваня"}});
    EXPECT_EQ(s.correct("дяя"), "дядя");
    EXPECT_EQ(s.correct("дша"), "душа");
    EXPECT_EQ(s.correct("теь"), "тень");
    EXPECT_EQ(s.correct("беег"), "берег");
    EXPECT_EQ(s.correct("ванья"), "ваня");
    EXPECT_EQ(s.correct("дядяя"), "дядя");
}

TEST(Speller, TranspositionIsOneEdit) {
    auto s = speller_of({{"душа", "гамлет", "hamlet"}});
    // Two edits for Levenshtein, so a 4-code-point word would not be corrected without transpositions.
    EXPECT_EQ(s.correct("дшуа"), "душа");
    EXPECT_EQ(s.correct("удша"), "душа");
    EXPECT_EQ(s.correct("гамлте"), "гамлет");
    EXPECT_EQ(s.correct("hamlte"), "hamlet");
    // A transposition plus a substitution: two edits, allowed for a 6-code-point word.
    EXPECT_EQ(s.correct("гамлтю"), "гамлет");
}

TEST(Speller, KnownWordIsNotCorrected) {
    auto s = speller_of({{"тень", "день"}, {"день"}});
    EXPECT_EQ(s.correct("тень"), std::nullopt);
    EXPECT_EQ(s.correct("день"), std::nullopt);
    EXPECT_EQ(s.correct("пень"), "день");  // the one with more premieres
}

TEST(Speller, NumbersShortWordsAndInvalidUtf8AreNotCorrected) {
    auto s = speller_of({{"1234й", "12345", "2024", "дом", "ад", "я", "x\xD0", "\xC0\xAF\xD0\xB4\xD0\xBE\xD0\xBC"}});
    EXPECT_EQ(s.count("12345"), 0);  // digits only: not kept
    EXPECT_EQ(s.count("2024"), 0);
    EXPECT_EQ(s.count("ад"), 0);  // shorter than 3 code points: not kept
    EXPECT_EQ(s.count("я"), 0);
    EXPECT_EQ(s.count("x\xD0"), 0);  // invalid UTF-8: not kept
    EXPECT_EQ(s.count("\xC0\xAF\xD0\xB4\xD0\xBE\xD0\xBC"), 0);
    EXPECT_EQ(s.count("1234й"), 1);
    EXPECT_EQ(s.count("дом"), 1);
    EXPECT_EQ(s.words(), 2u);

    EXPECT_EQ(s.correct("12346"), std::nullopt);  // one edit from "1234й", but a number typed is meant
    EXPECT_EQ(s.correct("1234ц"), "1234й");
    EXPECT_EQ(s.correct("до"), std::nullopt);  // too short
    EXPECT_EQ(s.correct("дм"), std::nullopt);
    EXPECT_EQ(s.correct(""), std::nullopt);
    EXPECT_EQ(s.correct("дол"), "дом");
    EXPECT_EQ(s.correct("до\xFF"), std::nullopt);              // a byte that is never UTF-8
    EXPECT_EQ(s.correct("до\xD0"), std::nullopt);              // truncated sequence
    EXPECT_EQ(s.correct("д\xC0\xBEл"), std::nullopt);          // overlong "о"
    EXPECT_EQ(s.correct("до\xED\xA0\x80"), std::nullopt);      // a surrogate
    EXPECT_EQ(s.correct("до\xF4\x90\x80\x80"), std::nullopt);  // past U+10FFFF
    EXPECT_EQ(s.correct("до\xBE"), std::nullopt);              // a lone continuation byte
}

TEST(Speller, TiesGoToMorePremieresThenBytewiseSmallest) {
    auto by_count = speller_of({{"кот"}, {"кот"}, {"кит"}});
    EXPECT_EQ(by_count.correct("кат"), "кот");
    auto by_bytes = speller_of({{"кот"}, {"кит"}, {"кут"}});
    EXPECT_EQ(by_bytes.correct("кат"), "кит");
    auto latin = speller_of({{"cat"}, {"cot"}, {"cut"}});
    EXPECT_EQ(latin.correct("cxt"), "cat");
    // Latin sorts before Cyrillic bytewise (0x63 < 0xD0).
    auto mixed = speller_of({{"ката"}, {"cата"}});  // the second starts with a Latin "c"
    EXPECT_EQ(mixed.correct("хата"), "cата");
    // Fewer edits win over more premieres.
    auto by_edits = speller_of({{"пальто"}, {"пальмы"}, {"пальмы"}, {"пальмы"}});
    EXPECT_EQ(by_edits.correct("пальтт"), "пальто");
    EXPECT_EQ(by_edits.correct("пальмо"), "пальмы");  // one edit from both: more premieres
    EXPECT_EQ(by_edits.count("пальмы"), 3);
}

TEST(Speller, CountsFollowDocuments) {
    Speller s;
    s.set_document(1, {"гамлет", "гамлет", "король", "гамлет"});
    s.set_document(2, {"гамлет"});
    EXPECT_EQ(s.count("гамлет"), 2);  // premieres, not occurrences
    EXPECT_EQ(s.count("король"), 1);
    EXPECT_EQ(s.count("лир"), 0);
    EXPECT_EQ(s.words(), 2u);

    s.set_document(1, {"король", "лир"});  // replaces
    EXPECT_EQ(s.count("гамлет"), 1);
    EXPECT_EQ(s.count("король"), 1);
    EXPECT_EQ(s.count("лир"), 1);
    EXPECT_EQ(s.words(), 3u);

    s.remove_document(2);
    EXPECT_EQ(s.count("гамлет"), 0);
    EXPECT_EQ(s.words(), 2u);
    s.remove_document(2);  // again: nothing
    s.remove_document(99);
    EXPECT_EQ(s.words(), 2u);
    EXPECT_EQ(s.count("король"), 1);

    s.set_document(1, {});  // no words: as removed
    EXPECT_EQ(s.count("король"), 0);
    EXPECT_EQ(s.words(), 0u);

    s.set_document(3, {"гамлет"});  // a word that was gone comes back
    EXPECT_EQ(s.count("гамлет"), 1);
    EXPECT_EQ(s.words(), 1u);
    EXPECT_EQ(s.correct("гамлте"), "гамлет");
}

TEST(Speller, RemovedWordIsNoLongerOffered) {
    Speller s;
    s.set_document(1, {"гамлет"});
    s.set_document(2, {"гамлета", "принц"});
    EXPECT_EQ(s.correct("гамлте"), "гамлет");
    EXPECT_EQ(s.correct("гамлет"), std::nullopt);

    s.remove_document(1);
    EXPECT_EQ(s.correct("гамлте"), "гамлета");  // two edits from it
    EXPECT_EQ(s.correct("гамлет"), "гамлета");  // no longer a catalog word, so corrected

    s.set_document(2, {"принц"});  // replaced without it
    EXPECT_EQ(s.correct("гамлте"), std::nullopt);
    EXPECT_EQ(s.correct("гамлета"), std::nullopt);
    EXPECT_EQ(s.correct("прнц"), "принц");
}

TEST(Speller, DistanceLimitsByLength) {
    auto s = speller_of({{"рыба", "театры", "берег", "кот"}});
    EXPECT_EQ(s.correct("рвбв"), std::nullopt);    // 4 code points, 2 edits
    EXPECT_EQ(s.correct("рба"), "рыба");           // 3 code points, 1 edit
    EXPECT_EQ(s.correct("рыбаак"), "рыба");        // 6 code points, 2 edits: the query's length decides
    EXPECT_EQ(s.correct("тиатри"), "театры");      // 6 code points, 2 edits
    EXPECT_EQ(s.correct("тиотри"), std::nullopt);  // 3 edits
    EXPECT_EQ(s.correct("бирек"), "берег");        // 5 code points, 2 edits
    EXPECT_EQ(s.correct("кт"), std::nullopt);      // too short
    EXPECT_EQ(s.correct("кота"), "кот");           // 4 code points, 1 edit
    EXPECT_EQ(s.correct("коттт"), "кот");          // 5 code points, 2 edits
    EXPECT_EQ(s.correct("котттт"), std::nullopt);  // 3 edits
    EXPECT_EQ(s.correct("котт"), "кот");
}

TEST(Speller, LatinWords) {
    auto s = speller_of({{"hamlet", "macbeth", "othello", "lear"}});
    EXPECT_EQ(s.correct("hamlte"), "hamlet");
    EXPECT_EQ(s.correct("mcbeth"), "macbeth");
    EXPECT_EQ(s.correct("otello"), "othello");
    EXPECT_EQ(s.correct("laer"), "lear");
    EXPECT_EQ(s.correct("hamlet"), std::nullopt);
    EXPECT_EQ(s.correct("xyzzy"), std::nullopt);
}

TEST(Speller, EditsPastThePrefix) {
    auto s = speller_of({{"справедливость", "достоевский", "постановка"}});
    EXPECT_EQ(s.correct("справедливостт"), "справедливость");
    EXPECT_EQ(s.correct("справедливосьт"), "справедливость");
    EXPECT_EQ(s.correct("справедлвость"), "справедливость");
    EXPECT_EQ(s.correct("спровидливость"), "справедливость");
    EXPECT_EQ(s.correct("спраедливостьь"), "справедливость");  // one edit in the prefix, one past it
    EXPECT_EQ(s.correct("дотсоевскй"), "достоевский");
    EXPECT_EQ(s.correct("постановкаааа"), std::nullopt);  // three edits
    EXPECT_EQ(s.correct("постановкаа"), "постановка");
}

TEST(Speller, ClearForgetsEverything) {
    auto s = speller_of({{"гамлет", "король"}, {"лир"}});
    s.clear();
    EXPECT_EQ(s.words(), 0u);
    EXPECT_EQ(s.count("гамлет"), 0);
    EXPECT_EQ(s.correct("гамлте"), std::nullopt);
    s.set_document(1, {"король"});  // premiere 1 was forgotten too: nothing to subtract
    EXPECT_EQ(s.count("король"), 1);
    EXPECT_EQ(s.words(), 1u);
    EXPECT_EQ(s.correct("кроль"), "король");
    EXPECT_EQ(s.correct("гамлте"), std::nullopt);
}

// The deletion table must find every catalog word within the allowed distance, including long words edited
// past the indexed prefix: each correction is compared with a scan of the whole dictionary.
TEST(Speller, MatchesBruteForceScan) {
    const std::vector<std::string> letters = {"а", "е", "и", "о", "к", "н", "р", "с", "т"};
    std::mt19937_64 rng(20240607);
    auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
    auto text_of = [&letters](const std::vector<int>& w) {
        std::string s;
        for (int l : w) s += letters[static_cast<size_t>(l)];
        return s;
    };
    auto random_word = [&](size_t min_len, size_t max_len) {
        std::vector<int> w(min_len + pick(max_len - min_len + 1));
        for (auto& l : w) l = static_cast<int>(pick(letters.size()));
        return w;
    };

    std::vector<std::vector<int>> dictionary;
    std::set<std::vector<int>> seen;
    while (dictionary.size() < 400) {
        auto w = random_word(3, 13);
        if (seen.insert(w).second) dictionary.push_back(w);
    }
    Speller s;
    std::map<int64_t, std::set<size_t>> docs;
    for (int64_t id = 1; id <= 200; ++id) {
        std::vector<std::string> words;
        for (size_t k = 0, n = 1 + pick(5); k < n; ++k) {
            size_t w = pick(dictionary.size());
            docs[id].insert(w);
            words.push_back(text_of(dictionary[w]));
        }
        s.set_document(id, words);
    }
    for (int64_t id = 1; id <= 200; id += 7) {  // some words drop to zero premieres
        s.remove_document(id);
        docs.erase(id);
    }
    std::vector<int64_t> counts(dictionary.size(), 0);
    for (const auto& [id, ws] : docs)
        for (size_t w : ws) ++counts[w];
    size_t live = 0;
    for (size_t w = 0; w < dictionary.size(); ++w) {
        ASSERT_EQ(s.count(text_of(dictionary[w])), counts[w]) << text_of(dictionary[w]);
        live += counts[w] > 0;
    }
    ASSERT_EQ(s.words(), live);
    ASSERT_LT(live, dictionary.size());  // the zero-count words are really there to be skipped

    size_t corrected = 0;
    size_t corrected_past_prefix = 0;
    for (int q = 0; q < 3000; ++q) {
        std::vector<int> query;
        size_t first_edit = SIZE_MAX;
        if (q % 10 == 0) {
            query = random_word(3, 13);
        } else {
            query = dictionary[pick(dictionary.size())];
            for (size_t e = 0, n = 1 + pick(3); e < n; ++e) {
                size_t at = pick(query.size() + 1);
                switch (pick(4)) {
                    case 0:
                        query.insert(query.begin() + static_cast<long>(at), static_cast<int>(pick(letters.size())));
                        break;
                    case 1:
                        if (at < query.size()) query.erase(query.begin() + static_cast<long>(at));
                        break;
                    case 2:
                        if (at < query.size()) query[at] = static_cast<int>(pick(letters.size()));
                        break;
                    case 3:
                        if (at + 1 < query.size()) std::swap(query[at], query[at + 1]);
                        break;
                }
                first_edit = std::min(first_edit, at);
            }
        }
        std::string text = text_of(query);

        std::optional<std::string> expected;
        std::tuple<int, int64_t, std::string> best;
        bool known =
            std::find(dictionary.begin(), dictionary.end(), query) != dictionary.end() &&
            counts[static_cast<size_t>(std::find(dictionary.begin(), dictionary.end(), query) - dictionary.begin())] >
                0;
        if (!known && query.size() >= 3) {
            int limit = query.size() <= 4 ? 1 : 2;
            for (size_t w = 0; w < dictionary.size(); ++w) {
                if (counts[w] == 0) continue;
                auto a = query.size(), b = dictionary[w].size();
                if ((a > b ? a - b : b - a) > static_cast<size_t>(limit)) continue;  // as many edits at least
                int d = osa(query, dictionary[w]);
                if (d > limit) continue;
                std::tuple<int, int64_t, std::string> here{d, -counts[w], text_of(dictionary[w])};
                if (!expected || here < best) {
                    best = here;
                    expected = std::get<2>(here);
                }
            }
        }
        ASSERT_EQ(s.correct(text), expected) << "query " << text;
        if (expected) {
            ++corrected;
            if (first_edit >= 7 && first_edit != SIZE_MAX) ++corrected_past_prefix;
        }
    }
    // The test means something only when many queries are corrected, some of them edited past the prefix.
    EXPECT_GT(corrected, 1000u);
    EXPECT_GT(corrected_past_prefix, 50u);
}
