#pragma once
// The «did you mean» of the search: corrects a customer's mistyped word to the closest word of the catalog's
// premieres (mostly Russian, some Latin). Pure and in memory, fed by the owner as premieres change, so that a
// correction costs microseconds and no database round trip. Candidates are found through a deletion neighbourhood
// (SymSpell) of each word's first code points rather than by a scan, then verified with the real edit distance,
// so a correction is always a catalog word within the allowed distance, and every such word is considered.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chance::premieres {

// Not thread-safe: const members may run together (they change nothing, not even a cache), but not with a
// writer; the owner locks.
class Speller {
  public:
    // The premiere `id`'s words are now `words` (lowercased UTF-8, any order, repeats allowed), replacing any it had.
    // Words shorter than 3 code points and words of ASCII digits only are not kept (a number typed is never
    // "corrected"); invalid UTF-8 is not kept either.
    void set_document(int64_t id, const std::vector<std::string>& words);
    // The premiere `id` has no words any more (nothing happens when it had none).
    void remove_document(int64_t id);
    // How many premieres have the word (0: not a catalog word).
    int64_t count(std::string_view word) const;
    // The correction of a lowercased word that no premiere has: the catalog word within the edit distance
    // (Damerau–Levenshtein, optimal string alignment, over code points: at most 1 for a word of up to 4 code
    // points, at most 2 for longer ones), fewest edits first, then the most premieres, then the bytewise smallest.
    // nullopt when the word is a catalog word, is too short (< 3 code points) or digits only, is not valid UTF-8,
    // or nothing is close enough.
    std::optional<std::string> correct(std::string_view word) const;
    size_t words() const;  // catalog words with at least one premiere
    // Forgets every premiere and word, and the deletion table that words no premiere has any more still hold.
    void clear();

  private:
    // A word ever kept since the last clear(); its id (index in words_) is stable, so the deletion table never
    // has to be rewritten when premieres change: a word no premiere has is skipped by its zero count.
    struct Word {
        std::string text;
        std::u32string code_points;
        int64_t count = 0;
    };
    struct TextHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept;
    };
    static constexpr uint32_t kNone = UINT32_MAX;

    uint32_t word_id(const std::string& text, std::u32string&& code_points);
    void index_deletions(uint32_t id);
    void add_posting(uint64_t key, uint32_t id);
    uint32_t head_of(uint64_t key) const;
    void grow_table();

    std::vector<Word> words_;
    std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>> ids_;  // text → index in words_
    std::unordered_map<int64_t, std::vector<uint32_t>> documents_;              // premiere → its distinct word ids
    size_t live_ = 0;                                                           // words with a count above 0

    // The deletion table: hash of a deleted prefix → a chain of word ids in links_. Open addressing over two flat
    // arrays instead of a map of vectors, because ~100k words make millions of keys and a node plus a vector
    // each would cost several times the memory. A slot is empty when its head is kNone.
    struct Link {
        uint32_t word;
        uint32_t next;
    };
    std::vector<uint64_t> keys_;
    std::vector<uint32_t> heads_;
    size_t used_ = 0;  // slots taken
    std::vector<Link> links_;
};

}  // namespace chance::premieres
