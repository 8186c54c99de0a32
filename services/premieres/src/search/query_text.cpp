#include "premieres/search/query_text.hpp"

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <mutex>

namespace chance::premieres {

namespace {
// The database's ctype (initdb --locale=C.UTF-8, deploy/patroni.yml): null where this machine lacks it, and
// then every text goes to PostgreSQL as before.
locale_t c_utf8() {
    static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return loc;
}

// The next code point of `s` at `i` (advanced past it); false for an invalid sequence (overlong, surrogate,
// beyond U+10FFFF, cut short), as PostgreSQL rejects such text.
bool next_code_point(std::string_view s, size_t& i, char32_t& out) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
        out = b;
        ++i;
        return true;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        n = 1;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 2;
        cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 3;
        cp = b & 0x07;
    } else {
        return false;
    }
    for (size_t k = 1; k <= n; ++k) {
        if (i + k >= s.size()) return false;
        auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
        return false;
    out = cp;
    i += n + 1;
    return true;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
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

bool ascii_digits(std::string_view w) {
    return !w.empty() && w.size() <= kMaxNumberLexeme &&
           std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

std::optional<std::string> lower_text(std::string_view text) {
    auto loc = c_utf8();
    if (!loc) return std::nullopt;
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        if (!next_code_point(text, i, cp)) return std::nullopt;
        append_utf8(out, lower_of(cp, loc));
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
        if (!next_code_point(text, i, cp)) return std::nullopt;  // PostgreSQL refuses the whole text
        if (chars++ >= max_chars) continue;                      // still validated, as the text is sent whole
        auto lower = lower_of(cp, loc);
        if (alnum(lower, loc)) {
            append_utf8(word, lower);
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
        if (ascii_digits(w)) {
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
