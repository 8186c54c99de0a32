#pragma once
// A customer's text as the catalog's SQL reads it (premieres_tsquery, the did-you-mean statement, suggest's
// title prefix): lower() under the database's C.UTF-8 ctype, its first 200 characters, split at every
// character that is not alphanumeric ([^[:alnum:]]+). Done here with the same C library calls (towlower and
// iswalnum in C.UTF-8), so that a search the answer cache has not seen needs no round trip to PostgreSQL to
// learn its query (ADR 0011). PostgreSQL stays the truth of what a word's lexeme is: WordLexemes keeps what it
// answered, word by word, and a text is composed from those only when every word of it is known.
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chance::premieres {

// lower(text) as PostgreSQL computes it in a C.UTF-8 database; nullopt for invalid UTF-8 or where this machine
// has no C.UTF-8 locale.
std::optional<std::string> lower_text(std::string_view text);
// The words of lower(left(text, max_chars)) split at non-alphanumeric characters, in order, none empty; nullopt as
// lower_text.
std::optional<std::vector<std::string>> text_words(std::string_view text, size_t max_chars = 200);
// A non-empty word of ASCII digits only: a number, which is never stemmed nor corrected.
bool ascii_digits(std::string_view word);

// What premieres_tsquery makes of each word: a lexeme, nothing (a stop word), or something a query of its own
// cannot be composed from (several lexemes). Learnt from PostgreSQL once per word and kept; a word of ASCII
// digits needs no lesson (the `simple` dictionary keeps numbers as they are).
class WordLexemes {
  public:
    enum class Kind { lexeme, stop, other };
    struct Lexeme {
        Kind kind = Kind::other;
        std::string text;  // Kind::lexeme only
    };
    // At most this many words are kept; a lesson beyond it starts again from none (a bound, not a cache policy:
    // a catalog's searches use far fewer words).
    static constexpr size_t kMaxWords = 200'000;

    // premieres_tsquery(text)::text for the words of a text (text_words): quoted lexemes joined by " & ", the
    // last word's a prefix (":*"), stop words left out. nullopt when some word is not known yet (each of those
    // added to `unknown`, once) or cannot be composed.
    std::optional<std::string> query(const std::vector<std::string>& words, std::vector<std::string>* unknown) const;
    void learn(const std::string& word, Lexeme lexeme);
    size_t size() const;

  private:
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, Lexeme> words_;  // under mu_
};

}  // namespace chance::premieres
