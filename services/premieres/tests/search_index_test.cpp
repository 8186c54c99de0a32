#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

#include "premieres/search/query_text.hpp"
#include "premieres/search/search_index.hpp"

using namespace chance::premieres;

namespace {
// A premiere's document for these tests: its id and its lexemes with their scores.
struct Doc {
    int64_t id = 0;
    std::map<std::string, float> lexemes;
};

CardRow card_of(int64_t id) {
    CardRow c;
    c.id = id;
    c.title = "Премьера " + std::to_string(id);
    return c;
}

SearchIndex::Build build_of(const std::vector<Doc>& docs) {
    SearchIndex::Build b;
    auto sorted = docs;
    std::sort(sorted.begin(), sorted.end(), [](const Doc& x, const Doc& y) { return x.id < y.id; });
    std::map<std::string, std::vector<std::pair<int64_t, float>>> by_lexeme;
    for (const auto& d : sorted) {
        b.add_card(card_of(d.id));
        for (const auto& [l, s] : d.lexemes) by_lexeme[l].push_back({d.id, s});
    }
    for (const auto& [l, postings] : by_lexeme)
        for (const auto& [id, s] : postings) b.add_posting(l, id, s);
    return b;
}

std::vector<int64_t> ids(const Found& f) {
    std::vector<int64_t> out;
    for (const auto& c : f.cards) out.push_back(c->id);
    return out;
}

// The same ranking written the obvious way: every premiere, every term.
std::pair<std::vector<int64_t>, int64_t> reference(const std::map<int64_t, Doc>& docs,
                                                   const std::vector<QueryTerm>& terms, int limit, int offset) {
    std::vector<std::pair<float, int64_t>> matches;
    if (terms.empty()) return {{}, 0};
    for (const auto& [id, d] : docs) {
        float rank = 0;
        bool all = true;
        for (size_t t = 0; t < terms.size() && all; ++t) {
            // The term's score: its best lexeme in the doc, one longer than the typed prefix counting half.
            float best = 0;
            bool any = false;
            for (const auto& [l, s] : d.lexemes) {
                bool hit = terms[t].prefix ? l.starts_with(terms[t].lexeme) : l == terms[t].lexeme;
                if (!hit) continue;
                float score = l == terms[t].lexeme ? s : s / 2;
                best = any ? std::max(best, score) : score;
                any = true;
            }
            all = any;
            rank = t == 0 ? best : rank + best;
        }
        if (all) matches.push_back({rank, id});
    }
    std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<int64_t> page;
    for (size_t i = static_cast<size_t>(offset);
         i < matches.size() && i < static_cast<size_t>(offset) + static_cast<size_t>(limit); ++i)
        page.push_back(matches[i].second);
    return {page, static_cast<int64_t>(matches.size())};
}
}  // namespace

TEST(QueryTerms, ReadsWhatPremieresTsqueryPrints) {
    EXPECT_EQ(parse_query_terms(""), std::vector<QueryTerm>{});
    EXPECT_EQ(parse_query_terms("'маузер':*"), (std::vector<QueryTerm>{{"маузер", true}}));
    EXPECT_EQ(parse_query_terms("'бур' & 'дорог':*"), (std::vector<QueryTerm>{{"бур", false}, {"дорог", true}}));
    EXPECT_EQ(parse_query_terms("'мастер' & 'маргарит' & 'таганк':*"),
              (std::vector<QueryTerm>{{"мастер", false}, {"маргарит", false}, {"таганк", true}}));
}

TEST(QueryTerms, AnyOtherShapeIsLeftToTheStatement) {
    for (const char* text : {"'a' | 'b'", "!'a'", "'a' <-> 'b'", "('a' & 'b')", "'a':A", "'a':*B", "'o''neil'",
                             "'a\\b'", "'a' &'b'", "'a'&'b'", "'a' & ", "'a", "a", "''", "'a' 'b'", " 'a'"})
        EXPECT_EQ(parse_query_terms(text), std::nullopt) << text;
}

TEST(SearchIndex, AnswersNothingUntilLoadedAndOnlyAtItsVersionOrLater) {
    SearchIndex index;
    EXPECT_FALSE(index.loaded());
    EXPECT_EQ(index.find({{"а", false}}, 20, 0, 0), std::nullopt);
    index.replace(7, build_of({{1, {{"а", 1.0f}}}}));
    EXPECT_TRUE(index.loaded());
    EXPECT_EQ(index.version(), 7);
    EXPECT_EQ(index.find({{"а", false}}, 20, 0, 8), std::nullopt);  // the catalog is newer than the index
    ASSERT_TRUE(index.find({{"а", false}}, 20, 0, 7));
    EXPECT_EQ(index.find({{"а", false}}, 20, 0, 6)->total, 1);  // an older version: the index is newer, fine
}

TEST(SearchIndex, EveryTermMustMatchAndRanksAddUpTermByTerm) {
    SearchIndex index;
    index.replace(1, build_of({{1, {{"маузер", 1.0f}, {"таганк", 0.2f}}},
                               {2, {{"маузер", 0.1f}, {"таганк", 1.0f}}},
                               {3, {{"маузер", 1.4f}}},
                               {4, {{"таганк", 0.4f}, {"театр", 0.2f}}}}));
    auto one = *index.find({{"маузер", false}}, 20, 0, 1);
    EXPECT_EQ(ids(one), (std::vector<int64_t>{3, 1, 2}));
    EXPECT_EQ(one.total, 3);
    auto both = *index.find({{"маузер", false}, {"таганк", false}}, 20, 0, 1);
    EXPECT_EQ(ids(both), (std::vector<int64_t>{1, 2}));  // 1.2 and 1.1
    EXPECT_EQ(both.total, 2);
    // A prefix covers every lexeme it starts: «та» is таганк and театр, summed.
    auto prefix = *index.find({{"та", true}}, 20, 0, 1);
    EXPECT_EQ(ids(prefix), (std::vector<int64_t>{2, 4, 1}));     // 1.0, 0.6, 0.2
    EXPECT_EQ(index.find({{"та", false}}, 20, 0, 1)->total, 0);  // the whole word «та» is in no document
    EXPECT_EQ(index.find({{"маузер", false}, {"нет", true}}, 20, 0, 1)->total, 0);
}

TEST(SearchIndex, APrefixOfManyLexemesSumsThemAll) {
    // 19 lexemes start with «м» (Latin second letters, to name them): premiere 1 has three, 2 has eighteen.
    std::vector<Doc> docs = {
        {1, {{"мa", 0.3f}, {"мk", 0.3f}, {"мy", 0.05f}}}, {2, {{"мz", 0.25f}}}, {3, {{"нос", 1.0f}}}};
    for (char c = 'a'; c <= 'q'; ++c) docs[1].lexemes[std::string("м") + c] = 0.01f;
    SearchIndex index;
    index.replace(1, build_of(docs));
    auto found = *index.find({{"м", true}}, 20, 0, 1);
    EXPECT_EQ(ids(found), (std::vector<int64_t>{1, 2}));  // 0.65 against 17 × 0.01 + 0.25 = 0.42
    EXPECT_EQ(found.total, 2);
    EXPECT_EQ(ids(*index.find({{"мz", true}}, 20, 0, 1)), (std::vector<int64_t>{2}));
}

TEST(SearchIndex, TiesGoByIdAndPagesCountFromTheBest) {
    std::vector<Doc> docs;
    for (int64_t id = 30; id >= 1; --id) docs.push_back({id, {{"чайк", id % 3 == 0 ? 1.0f : 0.4f}}});
    SearchIndex index;
    index.replace(1, build_of(docs));
    auto first = *index.find({{"чайк", false}}, 4, 0, 1);
    EXPECT_EQ(ids(first), (std::vector<int64_t>{3, 6, 9, 12}));
    EXPECT_EQ(first.total, 30);
    EXPECT_EQ(ids(*index.find({{"чайк", false}}, 4, 8, 1)), (std::vector<int64_t>{27, 30, 1, 2}));
    auto past = *index.find({{"чайк", false}}, 4, 40, 1);
    EXPECT_TRUE(past.cards.empty());
    EXPECT_EQ(past.total, 30);
}

TEST(SearchIndex, ChangesReplaceHideAndAddPremieresAndNewLexemes) {
    SearchIndex index;
    index.replace(1, build_of({{1, {{"буря", 1.0f}}}, {2, {{"буря", 0.4f}, {"лес", 1.0f}}}, {3, {{"лес", 0.1f}}}}));
    // 1 is retitled (a lexeme new to the index), 2 is hidden (no card), 4 is new, 3 stays.
    index.apply(2, {1, 2, 4}, {card_of(4), card_of(1)},
                {{"гроз", 1, 1.0f}, {"буря", 4, 0.2f}, {"лес", 4, 1.0f}, {"аист", 4, 0.1f}});
    EXPECT_EQ(index.version(), 2);
    EXPECT_EQ(ids(*index.find({{"буря", false}}, 20, 0, 2)), (std::vector<int64_t>{4}));
    EXPECT_EQ(ids(*index.find({{"гроз", false}}, 20, 0, 2)), (std::vector<int64_t>{1}));
    EXPECT_EQ(ids(*index.find({{"лес", false}}, 20, 0, 2)), (std::vector<int64_t>{4, 3}));
    EXPECT_EQ(ids(*index.find({{"аист", false}}, 20, 0, 2)), (std::vector<int64_t>{4}));
    EXPECT_EQ(index.find({{"лес", false}}, 20, 0, 2)->cards[0]->title, "Премьера 4");
    auto st = index.stats();
    EXPECT_EQ(st.premieres, 3u);
    EXPECT_EQ(st.postings, 5u);
    EXPECT_EQ(st.dead_postings, 3u);  // 1's and 2's old ones
}

TEST(SearchIndex, BuildRefusesPostingsOutOfOrder) {
    SearchIndex::Build b;
    b.add_card(card_of(1));
    b.add_card(card_of(2));
    EXPECT_THROW(b.add_card(card_of(2)), std::invalid_argument);
    b.add_posting("б", 1, 1.0f);
    EXPECT_THROW(b.add_posting("а", 1, 1.0f), std::invalid_argument);
    b.add_posting("б", 2, 1.0f);
    EXPECT_THROW(b.add_posting("б", 1, 1.0f), std::invalid_argument);
    b.add_posting("в", 99, 1.0f);  // a premiere not in the build: ignored
}

// Random catalogs, queries and changes: the index answers exactly as ranking every premiere would.
TEST(SearchIndex, AnswersAsRankingEveryPremiereWouldThroughRandomChanges) {
    std::mt19937 rnd(20261201);
    std::vector<std::string> vocabulary = {"а",   "аб", "абв", "абг",  "б",   "ба",   "бал", "бег", "в",  "ва", "вал",
                                           "вий", "г",  "гр",  "гроз", "дом", "дуэл", "ж",   "жен", "за", "зим"};
    // «м» covers more than 16 lexemes: a prefix's postings are then merged through an accumulator.
    for (const char* a : {"а", "е", "и", "о", "у"})
        for (const char* b : {"г", "д", "з", "к", "л"}) vocabulary.push_back(std::string("м") + a + b);
    const std::vector<float> weights = {1.0f, 0.4f, 0.2f, 0.1f, 1.4f, 0.5f, 0.3f, 1.1f};
    auto random_doc = [&](int64_t id) {
        Doc d{id, {}};
        int n = 1 + static_cast<int>(rnd() % 6);
        for (int i = 0; i < n; ++i) d.lexemes[vocabulary[rnd() % vocabulary.size()]] = weights[rnd() % weights.size()];
        return d;
    };
    std::map<int64_t, Doc> live;
    std::vector<Doc> initial;
    for (int64_t id = 1; id <= 300; ++id) {
        auto d = random_doc(id);
        live[id] = d;
        initial.push_back(d);
    }
    SearchIndex index;
    index.replace(1, build_of(initial));
    int64_t next_id = 301;
    for (int64_t version = 1; version <= 40; ++version) {
        if (version > 1) {
            std::vector<int64_t> changed;
            std::vector<IndexedCard> cards;
            std::vector<SearchIndex::PostingRow> postings;
            for (int k = 0; k < 12; ++k) {
                auto id = (rnd() % 4 == 0) ? next_id++ : static_cast<int64_t>(1 + rnd() % (next_id - 1));
                if (std::find(changed.begin(), changed.end(), id) != changed.end()) continue;
                changed.push_back(id);
                if (rnd() % 5 == 0) {
                    live.erase(id);  // hidden
                    continue;
                }
                auto d = random_doc(id);
                live[id] = d;
                cards.push_back(card_of(id));
                for (const auto& [l, s] : d.lexemes) postings.push_back({l, id, s});
            }
            std::shuffle(postings.begin(), postings.end(), rnd);
            index.apply(version, changed, cards, postings);
        }
        for (int q = 0; q < 60; ++q) {
            std::vector<QueryTerm> terms;
            int n = 1 + static_cast<int>(rnd() % 3);
            terms.reserve(static_cast<size_t>(n));
            for (int t = 0; t < n; ++t)
                terms.push_back({vocabulary[rnd() % vocabulary.size()], t == n - 1 && rnd() % 2 == 0});
            int limit = 1 + static_cast<int>(rnd() % 20);
            int offset = static_cast<int>(rnd() % 3) * limit;
            auto found = index.find(terms, limit, offset, version);
            ASSERT_TRUE(found);
            auto [page, total] = reference(live, terms, limit, offset);
            ASSERT_EQ(ids(*found), page) << "version " << version << " query " << q;
            ASSERT_EQ(found->total, total);
        }
    }
    EXPECT_EQ(index.stats().premieres, live.size());
}

namespace {
// A card with a title of its own.
CardRow titled(int64_t id, const std::string& title) {
    CardRow c;
    c.id = id;
    c.title = title;
    return c;
}

// A premiere for the suggest tests: its title, whether it is featured, its lexemes.
struct Titled {
    std::string title;
    bool featured = false;
    std::map<std::string, float> lexemes;
};

// Suggest written the obvious way, as the suggest statement reads: titles by prefix, then the best word matches
// of one term or every match of several.
std::vector<int64_t> suggest_reference(const std::map<int64_t, Titled>& docs, const std::string& prefix,
                                       const std::vector<QueryTerm>& terms) {
    auto lower = *lower_text(prefix);
    auto starts = [&](const Titled& d) { return lower_text(d.title)->starts_with(lower); };
    std::vector<std::tuple<bool, std::string, int64_t>> titles;
    for (const auto& [id, d] : docs)
        if (starts(d)) titles.emplace_back(!d.featured, *lower_text(d.title), id);
    std::sort(titles.begin(), titles.end());
    std::vector<int64_t> out;
    for (const auto& t : titles)
        if (out.size() < 8) out.push_back(std::get<2>(t));
    if (out.size() == 8 || terms.empty()) return out;
    auto covers = [](const QueryTerm& t, const std::string& l) {
        return t.prefix ? l.starts_with(t.lexeme) : l == t.lexeme;
    };
    std::vector<std::pair<float, int64_t>> more;
    if (terms.size() == 1) {
        std::map<std::string, std::vector<std::pair<float, int64_t>>> postings;  // bytewise, as COLLATE "C"
        for (const auto& [id, d] : docs)
            for (const auto& [l, s] : d.lexemes)
                if (covers(terms[0], l)) postings[l].push_back({s, id});
        std::map<int64_t, float> best;
        size_t lexemes = 0;
        for (auto& [l, list] : postings) {
            if (lexemes++ == 100) break;
            std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
                return a.first != b.first ? a.first > b.first : a.second < b.second;
            });
            for (size_t i = 0; i < list.size() && i < 15; ++i) {
                auto [it, fresh] = best.try_emplace(list[i].second, list[i].first);
                if (!fresh) it->second = std::max(it->second, list[i].first);
            }
        }
        for (auto [id, score] : best)
            if (!starts(docs.at(id))) more.push_back({score, id});
        std::sort(more.begin(), more.end(), [](const auto& a, const auto& b) {
            return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
    } else {
        std::vector<std::tuple<bool, std::string, int64_t>> all;
        for (const auto& [id, d] : docs) {
            bool every = !starts(d);
            for (const auto& t : terms) {
                bool any = false;
                for (const auto& [l, s] : d.lexemes) any = any || covers(t, l);
                every = every && any;
            }
            if (every) all.emplace_back(!d.featured, d.title, id);
        }
        std::sort(all.begin(), all.end());
        for (const auto& a : all) more.push_back({0.0f, std::get<2>(a)});
    }
    for (size_t i = 0; i < more.size() && out.size() < 8; ++i) out.push_back(more[i].second);
    return out;
}
}  // namespace

TEST(SearchIndex, SuggestsTitlesByPrefixFeaturedFirstThenWordMatches) {
    SearchIndex index;
    SearchIndex::Build b;
    auto add = [&](int64_t id, const std::string& title, bool featured) { b.add_card({titled(id, title), featured}); };
    add(1, "Маузер", false);
    add(2, "Мастер и Маргарита", true);
    add(3, "маска", false);
    add(4, "Гамлет", false);
    b.add_posting("гамлет", 4, 1.0f);
    b.add_posting("маргарит", 2, 1.0f);
    b.add_posting("маузер", 1, 1.0f);
    b.add_posting("маузер", 4, 0.4f);  // in Гамлет's cast
    index.replace(1, std::move(b));
    auto titles = [&](const std::string& prefix, const std::vector<QueryTerm>& terms) {
        std::vector<std::string> out;
        auto found = index.suggest(*lower_text(prefix), terms, 1);
        for (const auto& s : *found) out.push_back(s.title);
        return out;
    };
    // Featured first, then code-point order of the lowercase title; case does not matter.
    EXPECT_EQ(titles("МА", {{"ма", true}}),
              (std::vector<std::string>{"Мастер и Маргарита", "маска", "Маузер", "Гамлет"}));  // «Маузер» in its cast
    // No title starts with it: the premieres having the word, best score first.
    EXPECT_EQ(titles("маузер в", {{"маузер", false}, {"в", true}}), (std::vector<std::string>{}));
    EXPECT_EQ(titles("Маргарит", {{"маргарит", true}}), (std::vector<std::string>{"Мастер и Маргарита"}));
    EXPECT_EQ(titles("Маузер", {{"маузер", true}}), (std::vector<std::string>{"Маузер", "Гамлет"}));
    EXPECT_FALSE(index.suggest("ма", {}, 2));  // behind
}

// Random titles, lexemes and changes: suggest lists exactly what the statement's reading would.
TEST(SearchIndex, SuggestsAsTheStatementWouldThroughRandomChanges) {
    std::mt19937 rnd(20261206);
    const std::vector<std::string> words = {"Сад", "сад", "Сон", "Буря", "буран", "Бал", "Ёлка", "ель", "Дом", "дым"};
    const std::vector<std::string> lexemes = {"бал", "бур", "буран", "дом", "дым", "ел", "елк", "сад", "сон", "с"};
    auto random_doc = [&]() {
        Titled d;
        int n = 1 + static_cast<int>(rnd() % 3);
        for (int i = 0; i < n; ++i) d.title += (i ? " " : "") + words[rnd() % words.size()];
        d.featured = rnd() % 7 == 0;
        int k = 1 + static_cast<int>(rnd() % 4);
        for (int i = 0; i < k; ++i)
            d.lexemes[lexemes[rnd() % lexemes.size()]] = 0.1f * static_cast<float>(1 + rnd() % 12);
        return d;
    };
    std::map<int64_t, Titled> live;
    SearchIndex::Build b;
    std::map<std::string, std::vector<std::pair<int64_t, float>>> by_lexeme;
    for (int64_t id = 1; id <= 400; ++id) {
        live[id] = random_doc();
        b.add_card({titled(id, live[id].title), live[id].featured});
        for (const auto& [l, s] : live[id].lexemes) by_lexeme[l].push_back({id, s});
    }
    for (const auto& [l, list] : by_lexeme)
        for (const auto& [id, s] : list) b.add_posting(l, id, s);
    SearchIndex index;
    index.replace(1, std::move(b));
    int64_t next_id = 401;
    const std::vector<std::string> prefixes = {"с", "Са", "сад с", "б", "Бу", "ё", "Ёлка ", "дом д", "х", "сон"};
    for (int64_t version = 1; version <= 30; ++version) {
        if (version > 1) {
            std::vector<int64_t> changed;
            std::vector<IndexedCard> cards;
            std::vector<SearchIndex::PostingRow> postings;
            for (int k = 0; k < 20; ++k) {
                auto id = (rnd() % 4 == 0) ? next_id++ : static_cast<int64_t>(1 + rnd() % (next_id - 1));
                if (std::find(changed.begin(), changed.end(), id) != changed.end()) continue;
                changed.push_back(id);
                if (rnd() % 5 == 0) {
                    live.erase(id);
                    continue;
                }
                live[id] = random_doc();
                cards.emplace_back(titled(id, live[id].title), live[id].featured);
                for (const auto& [l, s] : live[id].lexemes) postings.push_back({l, id, s});
            }
            index.apply(version, changed, cards, postings);
        }
        for (const auto& prefix : prefixes)
            for (const auto& terms : std::vector<std::vector<QueryTerm>>{{{"с", true}},
                                                                         {{"сад", false}},
                                                                         {{"бур", true}},
                                                                         {{"сад", false}, {"с", true}},
                                                                         {{"дом", false}, {"д", true}},
                                                                         {}}) {
                std::vector<int64_t> got;
                auto found = index.suggest(*lower_text(prefix), terms, version);
                for (const auto& s : *found) got.push_back(s.id);
                ASSERT_EQ(got, suggest_reference(live, prefix, terms))
                    << "version " << version << " prefix " << prefix << " terms " << terms.size()
                    << (terms.empty() ? "" : terms[0].lexeme);
            }
    }
}

TEST(SearchIndex, FindsTitlesWithStopWordsOneAfterAnotherThoseStartingWithThemFirst) {
    SearchIndex index;
    SearchIndex::Build b;
    auto add = [&](int64_t id, const std::string& title, bool featured) { b.add_card({titled(id, title), featured}); };
    add(1, "Быть или не быть", false);
    add(2, "Не было ни гроша, да вдруг алтын", false);
    add(3, "Вишнёвый сад", false);
    add(4, "Не покидай", true);
    add(5, "НЕ-НЕ", false);
    index.replace(1, std::move(b));
    auto ids_of = [&](const std::vector<std::string>& words, int limit, int offset) {
        auto found = index.find_title_words(words, limit, offset, 1);
        return std::make_pair(ids(*found), found->total);
    };
    // «не было…» before «не-не»: a space is before a hyphen.
    EXPECT_EQ(ids_of({"не"}, 10, 0), std::make_pair(std::vector<int64_t>{4, 2, 5, 1}, int64_t{4}));
    EXPECT_EQ(ids_of({"не"}, 2, 2), std::make_pair(std::vector<int64_t>{5, 1}, int64_t{4}));
    EXPECT_EQ(ids_of({"не", "быть"}, 10, 0), std::make_pair(std::vector<int64_t>{1}, int64_t{1}));
    EXPECT_EQ(ids_of({"да", "ни"}, 10, 0).second, 0);  // not in that order
    EXPECT_EQ(ids_of({"ни", "да"}, 10, 0).second, 0);  // not one after another
    EXPECT_EQ(ids_of({"нет"}, 10, 0).second, 0);
    // A retitled premiere is found by its new title only.
    index.apply(2, {1}, {IndexedCard(titled(1, "Быть"))}, {});
    EXPECT_EQ(ids_of({"не"}, 10, 0).first, (std::vector<int64_t>{4, 2, 5}));
    EXPECT_FALSE(index.find_title_words({"не"}, 10, 0, 3));  // behind
}
