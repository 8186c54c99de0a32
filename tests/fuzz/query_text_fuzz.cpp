// Fuzzes the reading of a customer's text into words (query_text: lower(), left 200 characters, split at
// non-alphanumerics) and the query composed from them: invalid UTF-8 is refused, words are non-empty, lowercase,
// without separators, at most 200 characters in all, and a composed query reads back into its terms.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "premieres/search/query_text.hpp"
#include "premieres/search/search_index.hpp"

using namespace chance::premieres;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    auto words = text_words(in);
    auto lower = lower_text(in);
    if (words.has_value() != lower.has_value()) std::abort();
    if (!words) return 0;
    size_t chars = 0;
    WordLexemes known;
    for (const auto& w : *words) {
        if (w.empty() || w.find_first_of(" \t\n,.-_'\"\\") != std::string::npos) std::abort();
        if (lower_text(w) != w) std::abort();  // already lowercase
        if (!text_words(w) || text_words(w)->size() != 1) std::abort();
        for (unsigned char c : w) chars += (c & 0xC0) != 0x80;
        known.learn(w, {WordLexemes::Kind::lexeme, w});
    }
    if (chars > 200) std::abort();
    auto query = known.query(*words, nullptr);
    if (!query) return 0;  // a word needing quotes
    auto terms = parse_query_terms(*query);
    if (!terms || terms->size() != words->size()) std::abort();
    if (!terms->empty() && !terms->back().prefix) std::abort();
    return 0;
}
