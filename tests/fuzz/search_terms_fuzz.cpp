// Fuzzes the reader of a query's terms (premieres_tsquery's text, which carries the customer's words) and the
// search index behind it: a text either reads back into exactly itself or is left to the search statement,
// and any terms give a page no longer than asked, from the premieres that exist; never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "premieres/search/search_index.hpp"

using namespace chance::premieres;

namespace {
const SearchIndex& index() {
    static const SearchIndex* built = [] {
        auto* ix = new SearchIndex;
        SearchIndex::Build b;
        for (int64_t id = 1; id <= 6; ++id) {
            CardRow c;
            c.id = id;
            b.add_card(c);
        }
        const char* lexemes[] = {"a", "ab", "b", "бур", "буря", "дорог", "маузер"};
        for (int l = 0; l < 7; ++l)
            for (int64_t id = 1 + l % 2; id <= 6; id += 1 + l % 3)
                b.add_posting(lexemes[l], id, 0.1f * static_cast<float>(1 + l));
        ix->replace(1, std::move(b));
        return ix;
    }();
    return *built;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto terms = parse_query_terms(in);
    if (!terms) return 0;
    std::string again;
    for (const auto& t : *terms) {
        if (t.lexeme.empty() || t.lexeme.find('\'') != std::string::npos || t.lexeme.find('\\') != std::string::npos)
            std::abort();
        again += (again.empty() ? "'" : " & '") + t.lexeme + "'" + (t.prefix ? ":*" : "");
    }
    if (again != in) std::abort();
    for (int limit : {1, 3, 50}) {
        auto found = index().find(*terms, limit, static_cast<int>(size % 4), 1);
        if (!found || found->cards.size() > static_cast<size_t>(limit) || found->total > 6) std::abort();
        for (const auto& c : found->cards)
            if (!c || c->id < 1 || c->id > 6) std::abort();
    }
    return 0;
}
