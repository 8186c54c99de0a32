// Fuzzes the «did you mean» speller with the customer's word as typed (any bytes): a correction is always a
// catalog word other than the word, within the allowed edits of it, and the best one by a scan of the whole
// dictionary; a word is kept by set_document exactly when it is valid UTF-8 of 3+ code points and not a number,
// and a kept word is never corrected; never a crash.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "premieres/search/speller.hpp"

using namespace chance::premieres;

namespace {
const std::vector<std::vector<std::string>>& documents() {
    static const std::vector<std::vector<std::string>> docs = {
        {"дядя", "ваня", "чехов", "2024"},
        {"душа", "тень", "берег", "дядя"},
        {"гамлет", "принц", "датский", "hamlet"},
        {"справедливость", "достоевский", "гамлета"},
        {"macbeth", "othello", "кот", "кит", "1234й"},
        {"кот", "пальто", "пальмы"},
    };
    return docs;
}

const Speller& speller() {
    static const Speller* built = [] {
        auto* s = new Speller;
        for (size_t i = 0; i < documents().size(); ++i) s->set_document(static_cast<int64_t>(i + 1), documents()[i]);
        s->set_document(7, {"удалённое"});  // a word that drops to zero premieres: never offered
        s->remove_document(7);
        return s;
    }();
    return *built;
}

// An independent strict UTF-8 reader (no overlongs, surrogates or code points past U+10FFFF).
std::optional<std::u32string> code_points(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        size_t n = b < 0x80                 ? 1
                   : b >= 0xC2 && b <= 0xDF ? 2
                   : b >= 0xE0 && b <= 0xEF ? 3
                   : b >= 0xF0 && b <= 0xF4 ? 4
                                            : 0;
        if (n == 0 || i + n > s.size()) return std::nullopt;
        char32_t cp = n == 1 ? b : b & (0xFF >> (n + 1));
        for (size_t k = 1; k < n; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return std::nullopt;
            cp = (cp << 6) | (c & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return std::nullopt;
        out.push_back(cp);
        i += n;
    }
    return out;
}

bool number(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool kept(std::string_view s) {
    auto cps = code_points(s);
    return cps && cps->size() >= 3 && !number(s);
}

int osa(const std::u32string& a, const std::u32string& b) {
    std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
    for (size_t i = 1; i <= a.size(); ++i)
        for (size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The correction by a scan of the whole (small) dictionary.
std::optional<std::string> scanned(std::string_view word) {
    if (!kept(word) || speller().count(word) > 0) return std::nullopt;
    auto q = *code_points(word);
    int limit = q.size() <= 4 ? 1 : 2;
    std::set<std::string> dictionary;
    for (const auto& doc : documents())
        for (const auto& w : doc)
            if (kept(w)) dictionary.insert(w);
    std::optional<std::tuple<int, int64_t, std::string>> best;
    for (const auto& w : dictionary) {
        auto c = *code_points(w);
        if ((q.size() > c.size() ? q.size() - c.size() : c.size() - q.size()) > static_cast<size_t>(limit)) continue;
        int d = osa(q, c);
        if (d > limit) continue;
        std::tuple<int, int64_t, std::string> here{d, -speller().count(w), w};
        if (!best || here < *best) best = here;
    }
    if (!best) return std::nullopt;
    return std::get<2>(*best);
}

void check_correction(std::string_view word) {
    auto fixed = speller().correct(word);
    if (fixed) {
        if (*fixed == word || speller().count(*fixed) <= 0 || speller().count(word) != 0 || !kept(word)) std::abort();
        auto q = *code_points(word);
        int d = osa(q, *code_points(*fixed));
        if (d < 1 || d > (q.size() <= 4 ? 1 : 2)) std::abort();
    }
    if (fixed != scanned(word)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view in(reinterpret_cast<const char*>(data), size);
    check_correction(in);
    std::vector<std::string> words;
    for (size_t at = 0; at <= in.size();) {
        size_t end = std::min(in.find(' ', at), in.size());
        words.emplace_back(in.substr(at, end - at));
        at = end + 1;
    }
    for (const auto& w : words) check_correction(w);

    // A throwaway speller fed the input's words, twice over and as one word.
    Speller s;
    s.set_document(1, words);
    s.set_document(2, words);
    s.set_document(3, {std::string(in)});
    std::set<std::string> distinct;
    for (const auto& w : words)
        if (kept(w)) distinct.insert(w);
    if (kept(in)) distinct.insert(std::string(in));
    if (s.words() != distinct.size()) std::abort();
    for (const auto& w : words) {
        int64_t expected = kept(w) ? 2 + (w == in ? 1 : 0) : 0;
        if (s.count(w) != expected) std::abort();
        if (kept(w) && s.correct(w)) std::abort();  // a known word is never corrected
    }
    s.remove_document(1);
    s.set_document(2, {});
    for (const auto& w : words)
        if (s.count(w) != (kept(w) && w == in ? 1 : 0)) std::abort();
    s.remove_document(3);
    if (s.words() != 0) std::abort();
    for (const auto& w : words)
        if (s.correct(w)) std::abort();  // nothing left to offer
    s.clear();
    if (s.words() != 0 || s.count(in) != 0) std::abort();
    return 0;
}
