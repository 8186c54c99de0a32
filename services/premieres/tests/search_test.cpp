// The search's pure parts: what is searched and under which key, the answers' JSON, the routes' typed requests
// and the answer cache.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "chance/core/error.hpp"
#include "faults.hpp"
#include "premieres/http.hpp"
#include "premieres/search/answer_cache.hpp"
#include "premieres/search/routes.hpp"
#include "premieres/search/search.hpp"

using namespace chance;
using namespace chance::premieres;

using chance::premieres::testing::faults;

namespace {
// Between the parts of a key; a std::string so that the expected keys below can be built with operator+.
const std::string kSep = "\x1f";  // NOLINT(cert-err58-cpp): a test constant, allocated before main

http::Request request(std::map<std::string, std::string> query) {
    http::Request req;
    req.query = std::move(query);
    return req;
}

}  // namespace

TEST(SearchText, BlankIsNoTextAndAnythingElseIsKeptAsItIs) {
    EXPECT_EQ(search_text({"", 1, 20}), "");
    EXPECT_EQ(search_text({" \t\r\n ", 1, 20}), "");
    EXPECT_EQ(search_text({" Маузер ", 1, 20}), " Маузер ");
}

TEST(SearchText, KeysTellTextsPagesAndLimitsApartAndBlanksShareOne) {
    EXPECT_EQ(search_key({"Маузер", 2, 20}), "search" + kSep + "Маузер" + kSep + "2" + kSep + "20");
    EXPECT_EQ(search_key({"   ", 1, 20}), search_key({"", 1, 20}));
    EXPECT_NE(search_key({"a", 1, 20}), search_key({"a", 1, 21}));
    EXPECT_NE(search_key({"a", 1, 20}), search_key({"a", 2, 20}));
    EXPECT_EQ(query_key("'маузер':*", 1, 20), "query" + kSep + "'маузер':*" + kSep + "1" + kSep + "20");
    EXPECT_NE(query_key("a", 1, 20), search_key({"a", 1, 20}));
}

TEST(SearchJson, AnAnswerListsItsCardsWithTotalPageLimitAndCorrection) {
    auto rows = std::make_shared<SearchRows>();
    auto row = std::make_shared<CardRow>();
    row->id = 3;
    row->title = "Т";
    row->actors = "[]";
    row->periods = R"([{"hours": 24, "factor": "1.000"}])";
    rows->cards.push_back(row);
    rows->total = 41;
    SearchAnswer answer{rows, boost::json::value("маузер"), 2, 1};
    std::vector<Card> cards{card_of(*row, std::chrono::system_clock::now())};
    auto json = to_json(answer, cards);
    std::vector<std::string> keys;
    for (const auto& [k, _] : json) keys.emplace_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"items", "total", "page", "limit", "did_you_mean"}));
    EXPECT_EQ(json.at("items").as_array().size(), 1u);
    EXPECT_EQ(json.at("items").as_array()[0].at("id").as_int64(), 3);
    EXPECT_EQ(json.at("total").as_int64(), 41);
    EXPECT_EQ(json.at("page").as_int64(), 2);
    EXPECT_EQ(json.at("limit").as_int64(), 1);
    EXPECT_EQ(json.at("did_you_mean").as_string(), "маузер");
    EXPECT_EQ(boost::json::serialize(to_json(std::vector<Suggestion>{{5, "Маузер"}})),
              R"({"items":[{"id":5,"title":"Маузер"}]})");
    EXPECT_EQ(boost::json::serialize(to_json(std::vector<Suggestion>{})), R"({"items":[]})");
}

TEST(SearchRoutes, TheQueryStringIsValidatedIntoARequest) {
    auto r = parse_search(request({{"q", "Маузер"}, {"page", "3"}, {"limit", "5"}}));
    EXPECT_EQ(r.q, "Маузер");
    EXPECT_EQ(r.page, 3);
    EXPECT_EQ(r.limit, 5);
    auto d = parse_search(request({{"page", ""}}));
    EXPECT_EQ(d.q, "");
    EXPECT_EQ(d.page, 1);
    EXPECT_EQ(d.limit, 20);
    EXPECT_EQ(parse_search(request({{"q", std::string(200, 'a')}})).q.size(), 200u);
    EXPECT_EQ(faults([] { parse_search(request({{"q", std::string(201, 'a')}})); }), std::vector<std::string>{"q"});
    EXPECT_EQ(faults([] { parse_search(request({{"q", "\xc3"}})); }), std::vector<std::string>{"q"});
    EXPECT_EQ(faults([] { parse_search(request({{"page", "1001"}})); }), std::vector<std::string>{"page"});
    EXPECT_EQ(faults([] { parse_search(request({{"page", "-1"}})); }), std::vector<std::string>{"page"});
    EXPECT_EQ(faults([] { parse_search(request({{"limit", "0"}})); }), std::vector<std::string>{"limit"});
    EXPECT_EQ(faults([] { parse_search(request({{"limit", "9999999999"}})); }), std::vector<std::string>{"limit"});
}

TEST(SearchRoutes, ASuggestionTakesAtMostAHundredCharacters) {
    EXPECT_EQ(parse_suggest(request({{"q", "Мау"}})).q, "Мау");
    EXPECT_EQ(parse_suggest(request({})).q, "");
    std::string hundred;
    for (int i = 0; i < 100; ++i) hundred += "ж";
    EXPECT_EQ(parse_suggest(request({{"q", hundred}})).q, hundred);
    EXPECT_EQ(faults([&] { parse_suggest(request({{"q", hundred + "ж"}})); }), std::vector<std::string>{"q"});
    EXPECT_EQ(faults([] { parse_suggest(request({{"q", "\xff"}})); }), std::vector<std::string>{"q"});
}

TEST(AnswerCache, KeepsAnAnswerForItsVersionAndComputesAgainAtAnother) {
    AnswerCache cache;
    int computed = 0;
    auto compute = [&] {
        ++computed;
        AnswerCache::Entry e;
        e.did_you_mean = computed;
        return e;
    };
    EXPECT_EQ(cache.through("k", 1, compute).did_you_mean.as_int64(), 1);
    EXPECT_EQ(cache.through("k", 1, compute).did_you_mean.as_int64(), 1);
    EXPECT_EQ(computed, 1);
    EXPECT_EQ(cache.through("k", 2, compute).did_you_mean.as_int64(), 2);
    EXPECT_EQ(cache.through("other", 2, compute).did_you_mean.as_int64(), 3);
    EXPECT_EQ(cache.through("k", 2, compute).did_you_mean.as_int64(), 2);
    EXPECT_EQ(computed, 3);
}

TEST(AnswerCache, AnOlderAnswerNeverReplacesANewerOne) {
    AnswerCache cache;
    auto answer = [](int n) {
        return [n] {
            AnswerCache::Entry e;
            e.did_you_mean = n;
            return e;
        };
    };
    cache.through("k", 5, answer(5));
    EXPECT_EQ(cache.through("k", 4, answer(4)).did_you_mean.as_int64(), 4);  // computed for the reader at 4…
    EXPECT_EQ(cache.through("k", 5, answer(6)).did_you_mean.as_int64(), 5);  // …but not kept over 5
}

TEST(AnswerCache, AFailedComputationIsNotKept) {
    AnswerCache cache;
    EXPECT_THROW(cache.through("k", 1, []() -> AnswerCache::Entry { throw std::runtime_error("down"); }),
                 std::runtime_error);
    AnswerCache::Entry ok;
    ok.did_you_mean = "ok";
    EXPECT_EQ(cache.through("k", 1, [&] { return ok; }).did_you_mean.as_string(), "ok");
}

TEST(AnswerCache, APageLastsWhileItsVersionHoldsAndUntilItsPricesChange) {
    AnswerCache cache;
    auto now = std::chrono::system_clock::now();
    auto page = std::make_shared<SearchPage>();
    page->version = 3;
    page->valid_until = now + std::chrono::minutes(1);
    page->body = "{}";
    cache.keep("k", page);
    EXPECT_EQ(cache.page("k", 3, now), page);
    EXPECT_EQ(cache.page("k", 4, now), nullptr);
    EXPECT_EQ(cache.page("k", 3, now + std::chrono::minutes(1)), nullptr);
    EXPECT_EQ(cache.page("other", 3, now), nullptr);
    EXPECT_EQ(etag_of("{}"), etag_of(std::string("{}")));
    EXPECT_NE(etag_of("{}"), etag_of("[]"));
    EXPECT_EQ(etag_of("{}").front(), '"');
}
