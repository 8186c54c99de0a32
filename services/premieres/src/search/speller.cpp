#include "premieres/search/speller.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "chance/core/text.hpp"
#include "premieres/search/query_text.hpp"

namespace chance::premieres {

namespace {
constexpr size_t kMinWordLength = 3;    // code points; shorter words are too ambiguous to correct or offer
constexpr size_t kShortWordLength = 4;  // up to this many code points a word is corrected by one edit at most
constexpr int kShortWordEdits = 1;
constexpr int kLongWordEdits = 2;
constexpr int kMaxEdits = kLongWordEdits;  // the dictionary is indexed for the longest queries' distance
// Only the first code points' deletions are indexed: ~29 keys a word instead of hundreds for long words, which
// bounds the table on a catalog of ~100k distinct words. No close word is lost by it: if two words are within k
// edits, their prefixes of this length have a common string left by at most k deletions from each (an edit after
// the prefix does not touch it; one that shifts the prefix's end costs a deletion it already paid for).
constexpr size_t kPrefixLength = 7;
// The shortest keys any query looks up, so that shorter ones are not kept: a 3-code-point query with its one
// deletion, and a 5-code-point one (the shortest allowed two edits) with its two. Without the second bound every
// 4-code-point word would add its two-deletion pairs to the crowded chains of two-code-point keys, which only
// 3-code-point queries, allowed one edit, look up.
constexpr size_t kMinKeyLength = std::min(kPrefixLength, kMinWordLength) - kShortWordEdits;
constexpr size_t kMinTwoDeletionKeyLength = std::min(kPrefixLength, kShortWordLength + 1) - kLongWordEdits;
static_assert(kMinKeyLength >= 1 && kMinTwoDeletionKeyLength >= kMinKeyLength);
static_assert(kMaxEdits == 2, "deletion_keys() generates up to two deletions");
constexpr size_t kNoSkip = SIZE_MAX;
constexpr size_t kFirstTableSlots = 1024;

constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

int allowed_edits(size_t length) { return length <= kShortWordLength ? kShortWordEdits : kLongWordEdits; }

// FNV-1a over the code points of `cps` (the first `length`) without those at `skip1` and `skip2`: the key of a
// deletion, computed without building the deleted string.
uint64_t deletion_key(const std::u32string& cps, size_t length, size_t skip1, size_t skip2) {
    uint64_t h = kFnvOffset;
    for (size_t i = 0; i < length; ++i) {
        if (i == skip1 || i == skip2) continue;
        h ^= cps[i];
        h *= kFnvPrime;
    }
    return h;
}

// The distinct keys of the strings left by at most `edits` deletions from the word's first kPrefixLength code
// points (the prefix itself included), but none that no query looks up (kMinKeyLength, kMinTwoDeletionKeyLength).
std::vector<uint64_t> deletion_keys(const std::u32string& cps, int edits) {
    size_t n = std::min(cps.size(), kPrefixLength);
    std::vector<uint64_t> keys;
    keys.reserve(1 + n + n * (n - 1) / 2);
    if (n >= kMinKeyLength) keys.push_back(deletion_key(cps, n, kNoSkip, kNoSkip));
    if (edits >= 1 && n >= kMinKeyLength + 1)
        for (size_t i = 0; i < n; ++i) keys.push_back(deletion_key(cps, n, i, kNoSkip));
    if (edits >= 2 && n >= kMinTwoDeletionKeyLength + 2)
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i + 1; j < n; ++j) keys.push_back(deletion_key(cps, n, i, j));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

// Optimal string alignment distance (Damerau–Levenshtein where a transposed pair is not edited again), or
// limit + 1 when it is above `limit`. Only the diagonal band |i - j| <= limit is computed: any cell outside it is
// above the limit already.
// `rows` is scratch space, kept by the caller across candidates so that a query allocates once.
int osa_distance(const std::u32string& a, const std::u32string& b, int limit, std::vector<int>& rows) {
    const size_t n = a.size();
    const size_t m = b.size();
    const int far = limit + 1;
    const auto band = static_cast<size_t>(limit);
    if ((n > m ? n - m : m - n) > band) return far;
    rows.assign(3 * (m + 1), far);
    int* before = rows.data();     // row i - 2
    int* prev = before + (m + 1);  // row i - 1
    int* cur = prev + (m + 1);     // row i
    for (size_t j = 0; j <= std::min(m, band); ++j) prev[j] = static_cast<int>(j);
    for (size_t i = 1; i <= n; ++i) {
        size_t lo = i > band ? i - band : 1;
        size_t hi = std::min(m, i + band);
        cur[lo - 1] = lo == 1 && i <= band ? static_cast<int>(i) : far;
        if (hi + 1 <= m) cur[hi + 1] = far;
        int row_min = cur[lo - 1];
        for (size_t j = lo; j <= hi; ++j) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
            cur[j] = std::min(d, far);
            row_min = std::min(row_min, cur[j]);
        }
        if (row_min >= far) return far;
        std::swap(before, prev);  // the row i - 2 is no longer needed: it becomes the next row
        std::swap(prev, cur);
    }
    return std::min(prev[m], far);
}

uint64_t slot_hash(uint64_t key) {  // the splitmix64 finalizer: FNV's low bits alone cluster in a power-of-2 table
    key ^= key >> 30;
    key *= 0xBF58476D1CE4E5B9ull;
    key ^= key >> 27;
    key *= 0x94D049BB133111EBull;
    key ^= key >> 31;
    return key;
}
}  // namespace

size_t Speller::TextHash::operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }

void Speller::set_document(int64_t id, const std::vector<std::string>& words) {
    std::vector<uint32_t> ids;
    ids.reserve(words.size());
    for (const auto& w : words) {
        if (auto it = ids_.find(w); it != ids_.end()) {
            ids.push_back(it->second);
            continue;
        }
        if (ascii_digits(w)) continue;
        auto cps = text::utf8_decode(w);
        if (!cps || cps->size() < kMinWordLength) continue;
        ids.push_back(word_id(w, std::move(*cps)));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    remove_document(id);
    for (uint32_t w : ids)
        if (words_[w].count++ == 0) ++live_;
    if (!ids.empty()) documents_.emplace(id, std::move(ids));
}

void Speller::remove_document(int64_t id) {
    auto it = documents_.find(id);
    if (it == documents_.end()) return;
    for (uint32_t w : it->second)
        if (--words_[w].count == 0) --live_;
    documents_.erase(it);
}

int64_t Speller::count(std::string_view word) const {
    auto it = ids_.find(word);
    return it == ids_.end() ? 0 : words_[it->second].count;
}

std::optional<std::string> Speller::correct(std::string_view word) const {
    if (count(word) > 0 || ascii_digits(word)) return std::nullopt;
    auto cps = text::utf8_decode(word);
    if (!cps || cps->size() < kMinWordLength) return std::nullopt;
    const int limit = allowed_edits(cps->size());

    std::vector<uint32_t> candidates;
    for (uint64_t key : deletion_keys(*cps, limit))
        for (uint32_t l = head_of(key); l != kNone; l = links_[l].next) candidates.push_back(links_[l].word);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    const Word* best = nullptr;
    int best_edits = limit + 1;
    std::vector<int> rows;
    for (uint32_t c : candidates) {
        const Word& w = words_[c];
        if (w.count == 0) continue;  // its premieres are gone; its deletions stay until clear()
        int edits = osa_distance(*cps, w.code_points, limit, rows);
        if (edits > limit) continue;
        if (!best || std::tuple(edits, -w.count, std::string_view(w.text)) <
                         std::tuple(best_edits, -best->count, std::string_view(best->text))) {
            best = &w;
            best_edits = edits;
        }
    }
    if (!best) return std::nullopt;
    return best->text;
}

size_t Speller::words() const { return live_; }

void Speller::clear() { *this = Speller{}; }  // releases the memory too: the table of ~100k words is ~70 MB

uint32_t Speller::word_id(const std::string& text, std::u32string&& code_points) {
    auto id = static_cast<uint32_t>(words_.size());
    words_.push_back(Word{text, std::move(code_points), 0});
    ids_.emplace(text, id);
    index_deletions(id);
    return id;
}

void Speller::index_deletions(uint32_t id) {
    for (uint64_t key : deletion_keys(words_[id].code_points, kMaxEdits)) add_posting(key, id);
}

void Speller::add_posting(uint64_t key, uint32_t id) {
    if ((used_ + 1) * 4 > heads_.size() * 3) grow_table();
    const size_t mask = heads_.size() - 1;
    size_t s = slot_hash(key) & mask;
    while (heads_[s] != kNone && keys_[s] != key) s = (s + 1) & mask;
    if (heads_[s] == kNone) {
        keys_[s] = key;
        ++used_;
    }
    links_.push_back(Link{id, heads_[s]});
    heads_[s] = static_cast<uint32_t>(links_.size() - 1);
}

uint32_t Speller::head_of(uint64_t key) const {
    if (heads_.empty()) return kNone;
    const size_t mask = heads_.size() - 1;
    for (size_t s = slot_hash(key) & mask;; s = (s + 1) & mask) {
        if (heads_[s] == kNone) return kNone;
        if (keys_[s] == key) return heads_[s];
    }
}

void Speller::grow_table() {
    size_t slots = heads_.empty() ? kFirstTableSlots : heads_.size() * 2;
    std::vector<uint64_t> keys(slots, 0);
    std::vector<uint32_t> heads(slots, kNone);
    const size_t mask = slots - 1;
    for (size_t old = 0; old < heads_.size(); ++old) {
        if (heads_[old] == kNone) continue;
        size_t s = slot_hash(keys_[old]) & mask;
        while (heads[s] != kNone) s = (s + 1) & mask;
        keys[s] = keys_[old];
        heads[s] = heads_[old];
    }
    keys_ = std::move(keys);
    heads_ = std::move(heads);
}

}  // namespace chance::premieres
