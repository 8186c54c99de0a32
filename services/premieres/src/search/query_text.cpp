#include "premieres/search/query_text.hpp"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <mutex>

#include "chance/core/text.hpp"

namespace chance::premieres {

namespace {
// The database's ctype (initdb --locale=C.UTF-8, deploy/patroni.yml): null where this machine lacks it, and
// then every text goes to PostgreSQL as before.
locale_t c_utf8() {
    static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return loc;
}

char32_t lower_of(char32_t cp, locale_t loc) {
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp;
    return static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), loc));
}

bool alnum(char32_t cp, locale_t loc) {
    if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return iswalnum_l(static_cast<wint_t>(cp), loc) != 0;
}

// Words of ASCII digits up to this length are their own lexeme (the parser's int/uint, the `simple` dictionary).
constexpr size_t kMaxNumberLexeme = 64;
}  // namespace

bool ascii_digits(std::string_view word) {
    return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> lower_text(std::string_view text) {
    auto loc = c_utf8();
    if (!loc) return std::nullopt;
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        if (!text::utf8_next(text, i, cp)) return std::nullopt;
        text::utf8_append(out, lower_of(cp, loc));
    }
    return out;
}

std::optional<std::vector<std::string>> text_words(std::string_view text, size_t max_chars) {
    auto loc = c_utf8();
    if (!loc) return std::nullopt;
    std::vector<std::string> words;
    std::string word;
    size_t chars = 0;
    for (size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        if (!text::utf8_next(text, i, cp)) return std::nullopt;  // PostgreSQL refuses the whole text
        if (chars++ >= max_chars) continue;                      // still validated, as the text is sent whole
        auto lower = lower_of(cp, loc);
        if (alnum(lower, loc)) {
            text::utf8_append(word, lower);
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

std::optional<std::string> WordLexemes::query(const std::vector<std::string>& words,
                                              std::vector<std::string>* unknown) const {
    std::string out;
    bool complete = true;
    std::shared_lock lock(mu_);
    for (size_t i = 0; i < words.size(); ++i) {
        const auto& w = words[i];
        std::string_view lexeme;
        if (ascii_digits(w) && w.size() <= kMaxNumberLexeme) {
            lexeme = w;
        } else {
            auto it = words_.find(w);
            if (it == words_.end()) {
                complete = false;
                if (unknown && std::find(unknown->begin(), unknown->end(), w) == unknown->end()) unknown->push_back(w);
                continue;
            }
            if (it->second.kind == Kind::other) return std::nullopt;
            if (it->second.kind == Kind::stop) continue;
            lexeme = it->second.text;
        }
        if (!complete) continue;
        if (!out.empty()) out += " & ";
        out += '\'';
        out += lexeme;
        out += '\'';
        if (i + 1 == words.size()) out += ":*";
    }
    if (!complete) return std::nullopt;
    return out;
}

void WordLexemes::learn(const std::string& word, Lexeme lexeme) {
    // A lexeme that would need quoting inside the query's text is not composed here.
    if (lexeme.kind == Kind::lexeme && (lexeme.text.empty() || lexeme.text.find_first_of("'\\") != std::string::npos))
        lexeme = {Kind::other, {}};
    std::unique_lock lock(mu_);
    if (words_.size() >= kMaxWords && !words_.count(word)) words_.clear();
    words_[word] = std::move(lexeme);
}

size_t WordLexemes::size() const {
    std::shared_lock lock(mu_);
    return words_.size();
}

}  // namespace chance::premieres
