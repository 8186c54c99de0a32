#include "premieres/search/search_index.hpp"

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace chance::premieres {

namespace detail {
struct Posting {
    uint32_t doc;
    float score;
};

struct IndexData {
    int64_t version = 0;
    std::vector<std::string> lexemes;                  // sorted bytewise, as COLLATE "C"
    std::vector<std::vector<Posting>> lists;           // parallel to lexemes; each in doc order
    std::vector<std::shared_ptr<const CardRow>> docs;  // doc → card; null once replaced or hidden
    std::vector<int64_t> ids;                          // doc → premiere id
    std::vector<uint32_t> doc_postings;                // doc → how many postings it has
    std::unordered_map<int64_t, uint32_t> doc_of;      // premiere id → its live doc
    size_t postings = 0;                               // live
    size_t dead = 0;                                   // of docs no longer live
    int64_t last_card_id = 0;                          // Build: cards come in id order

    uint32_t add_doc(CardRow card) {
        auto doc = static_cast<uint32_t>(docs.size());
        doc_of[card.id] = doc;
        ids.push_back(card.id);
        docs.push_back(std::make_shared<const CardRow>(std::move(card)));
        doc_postings.push_back(0);
        return doc;
    }
    void retire(int64_t id) {
        auto it = doc_of.find(id);
        if (it == doc_of.end()) return;
        docs[it->second] = nullptr;
        dead += doc_postings[it->second];
        postings -= doc_postings[it->second];
        doc_of.erase(it);
    }
};
}  // namespace detail

using detail::IndexData;
using detail::Posting;

namespace {
// U+10FFFF, as the search statement's chr(1114111): after every lexeme that starts with a prefix.
constexpr std::string_view kAfterEveryPrefixed = "\xF4\x8F\xBF\xBF";

// The lexemes a term covers: [b, e) of data.lexemes.
std::pair<size_t, size_t> covered(const IndexData& data, const QueryTerm& term) {
    const auto& lx = data.lexemes;
    auto b = std::lower_bound(lx.begin(), lx.end(), term.lexeme);
    std::string hi = term.lexeme;
    if (term.prefix)
        hi += kAfterEveryPrefixed;
    else
        hi += '\x01';
    auto e = std::lower_bound(b, lx.end(), hi);
    return {static_cast<size_t>(b - lx.begin()), static_cast<size_t>(e - lx.begin())};
}

// One term's live postings in doc order, each the sum of the term's lexemes in it, added in lexeme order: a
// few lexemes merged list by list, many through an accumulator by doc.
std::vector<Posting> merged(const IndexData& data, size_t b, size_t e) {
    auto live = [&](uint32_t doc) { return data.dead == 0 || data.docs[doc] != nullptr; };
    std::vector<Posting> out;
    if (e - b <= 16) {
        std::vector<Posting> next;
        for (size_t i = b; i < e; ++i) {
            const auto& list = data.lists[i];
            next.clear();
            next.reserve(out.size() + list.size());
            size_t x = 0, y = 0;
            while (x < out.size() || y < list.size()) {
                if (y < list.size() && !live(list[y].doc)) {
                    ++y;
                } else if (y == list.size() || (x < out.size() && out[x].doc < list[y].doc)) {
                    next.push_back(out[x++]);
                } else if (x == out.size() || list[y].doc < out[x].doc) {
                    next.push_back(list[y++]);
                } else {
                    next.push_back({out[x].doc, out[x].score + list[y].score});
                    ++x;
                    ++y;
                }
            }
            out.swap(next);
        }
        return out;
    }
    std::vector<float> sum(data.docs.size(), 0.0f);
    std::vector<uint8_t> seen(data.docs.size(), 0);
    std::vector<uint32_t> docs;
    for (size_t i = b; i < e; ++i)
        for (const auto& p : data.lists[i]) {
            if (!live(p.doc)) continue;
            if (!seen[p.doc]) {
                seen[p.doc] = 1;
                docs.push_back(p.doc);
                sum[p.doc] = p.score;
            } else {
                sum[p.doc] += p.score;
            }
        }
    std::sort(docs.begin(), docs.end());
    out.reserve(docs.size());
    for (auto doc : docs) out.push_back({doc, sum[doc]});
    return out;
}
}  // namespace

std::optional<std::vector<QueryTerm>> parse_query_terms(std::string_view text) {
    std::vector<QueryTerm> terms;
    size_t i = 0;
    while (i < text.size()) {
        if (!terms.empty()) {
            if (text.substr(i, 3) != " & ") return std::nullopt;
            i += 3;
        }
        if (i >= text.size() || text[i] != '\'') return std::nullopt;
        auto end = text.find('\'', i + 1);
        if (end == std::string_view::npos || end == i + 1) return std::nullopt;
        QueryTerm term{std::string(text.substr(i + 1, end - i - 1)), false};
        if (term.lexeme.find('\\') != std::string::npos) return std::nullopt;
        i = end + 1;
        if (i < text.size() && text[i] == '\'') return std::nullopt;  // a quote inside the lexeme
        if (text.substr(i, 2) == ":*") {
            term.prefix = true;
            i += 2;
        }
        if (i < text.size() && text[i] != ' ') return std::nullopt;  // a weight, or no " & " after the term
        terms.push_back(std::move(term));
    }
    return terms;
}

IndexData& SearchIndex::Build::data() {
    if (!data_) data_ = std::make_shared<IndexData>();
    return *data_;
}

void SearchIndex::Build::add_card(CardRow card) {
    auto& d = data();
    if (card.id <= d.last_card_id) throw std::invalid_argument("search index: cards out of id order");
    d.last_card_id = card.id;
    d.add_doc(std::move(card));
}

void SearchIndex::Build::add_posting(std::string_view lexeme, int64_t premiere_id, float score) {
    auto& d = data();
    auto doc = d.doc_of.find(premiere_id);
    if (doc == d.doc_of.end()) return;  // not a visible premiere of this build
    if (d.lexemes.empty() || d.lexemes.back() != lexeme) {
        if (!d.lexemes.empty() && std::string_view(d.lexemes.back()) > lexeme)
            throw std::invalid_argument("search index: postings out of lexeme order");
        d.lexemes.emplace_back(lexeme);
        d.lists.emplace_back();
    }
    auto& list = d.lists.back();
    if (!list.empty() && list.back().doc >= doc->second)
        throw std::invalid_argument("search index: postings out of premiere order");
    list.push_back({doc->second, score});
    ++d.doc_postings[doc->second];
    ++d.postings;
}

SearchIndex::SearchIndex() = default;
SearchIndex::~SearchIndex() = default;

void SearchIndex::replace(int64_t version, Build build) {
    auto data = build.data_ ? std::move(build.data_) : std::make_shared<IndexData>();
    data->version = version;
    std::unique_lock lock(mu_);
    data_ = std::move(data);
}

void SearchIndex::apply(int64_t version, const std::vector<int64_t>& changed, std::vector<CardRow> cards,
                        std::vector<PostingRow> postings) {
    std::sort(cards.begin(), cards.end(), [](const CardRow& a, const CardRow& b) { return a.id < b.id; });
    std::sort(postings.begin(), postings.end(), [](const PostingRow& a, const PostingRow& b) {
        return a.lexeme != b.lexeme ? a.lexeme < b.lexeme : a.premiere_id < b.premiere_id;
    });
    std::unique_lock lock(mu_);
    if (!data_) throw std::logic_error("search index: changes before a load");
    auto& d = *data_;
    for (auto id : changed) d.retire(id);
    for (auto& card : cards) {
        d.retire(card.id);
        d.add_doc(std::move(card));
    }
    // Lexemes new to the index join the sorted vocabulary in one merge.
    std::vector<std::string> fresh;
    for (const auto& p : postings)
        if ((fresh.empty() || fresh.back() != p.lexeme) &&
            !std::binary_search(d.lexemes.begin(), d.lexemes.end(), p.lexeme))
            fresh.push_back(p.lexeme);
    if (!fresh.empty()) {
        std::vector<std::string> lexemes;
        std::vector<std::vector<Posting>> lists;
        lexemes.reserve(d.lexemes.size() + fresh.size());
        lists.reserve(d.lexemes.size() + fresh.size());
        size_t old = 0;
        for (auto& f : fresh) {
            while (old < d.lexemes.size() && d.lexemes[old] < f) {
                lexemes.push_back(std::move(d.lexemes[old]));
                lists.push_back(std::move(d.lists[old]));
                ++old;
            }
            lexemes.push_back(std::move(f));
            lists.emplace_back();
        }
        for (; old < d.lexemes.size(); ++old) {
            lexemes.push_back(std::move(d.lexemes[old]));
            lists.push_back(std::move(d.lists[old]));
        }
        d.lexemes = std::move(lexemes);
        d.lists = std::move(lists);
    }
    // New docs are numbered after every old one, in id order: appended, each list stays in doc order.
    size_t at = 0;
    for (const auto& p : postings) {
        auto doc = d.doc_of.find(p.premiere_id);
        if (doc == d.doc_of.end() || !d.docs[doc->second]) continue;
        if (at >= d.lexemes.size() || d.lexemes[at] != p.lexeme)
            at =
                static_cast<size_t>(std::lower_bound(d.lexemes.begin(), d.lexemes.end(), p.lexeme) - d.lexemes.begin());
        auto& list = d.lists[at];
        if (!list.empty() && list.back().doc >= doc->second) continue;  // the same posting twice
        list.push_back({doc->second, p.score});
        ++d.doc_postings[doc->second];
        ++d.postings;
    }
    d.version = version;
}

std::optional<Found> SearchIndex::find(const std::vector<QueryTerm>& terms, int limit, int offset,
                                       int64_t at_least) const {
    std::shared_lock lock(mu_);
    if (!data_ || data_->version < at_least) return std::nullopt;
    const auto& d = *data_;
    Found out;
    if (terms.empty() || limit <= 0 || offset < 0) return out;
    struct Side {
        std::vector<Posting> owned;
        const Posting* p = nullptr;
        size_t n = 0;
        size_t ord = 0;
        size_t at = 0;
    };
    std::vector<Side> sides(terms.size());
    for (size_t t = 0; t < terms.size(); ++t) {
        auto [b, e] = covered(d, terms[t]);
        if (b == e) return out;
        auto& s = sides[t];
        s.ord = t;
        if (e - b == 1) {
            s.p = d.lists[b].data();
            s.n = d.lists[b].size();
        } else {
            s.owned = merged(d, b, e);
            s.p = s.owned.data();
            s.n = s.owned.size();
        }
        if (s.n == 0) return out;
    }
    std::vector<size_t> order(sides.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sides[a].n < sides[b].n; });

    struct Match {
        float rank;
        int64_t id;
        uint32_t doc;
    };
    std::vector<Match> matches;
    std::vector<float> scores(terms.size());
    const auto& lead = sides[order[0]];
    bool exhausted = false;
    const bool all_live = d.dead == 0;
    for (size_t i = 0; i < lead.n && !exhausted; ++i) {
        auto doc = lead.p[i].doc;
        if (!all_live && !d.docs[doc]) continue;
        scores[lead.ord] = lead.p[i].score;
        bool all = true;
        for (size_t k = 1; k < order.size(); ++k) {
            auto& s = sides[order[k]];
            // Galloping: the next posting at or after doc, from where the last probe stopped.
            if (s.at < s.n && s.p[s.at].doc < doc) {
                size_t lo = s.at, step = 1;
                while (lo + step < s.n && s.p[lo + step].doc < doc) {
                    lo += step;
                    step *= 2;
                }
                auto hi = std::min(lo + step + 1, s.n);
                s.at = static_cast<size_t>(
                    std::lower_bound(s.p + lo, s.p + hi, doc, [](const Posting& p, uint32_t v) { return p.doc < v; }) -
                    s.p);
            }
            if (s.at >= s.n) {
                exhausted = true;
                all = false;
                break;
            }
            if (s.p[s.at].doc != doc) {
                all = false;
                break;
            }
            scores[s.ord] = s.p[s.at].score;
        }
        if (!all) continue;
        float rank = scores[0];
        for (size_t t = 1; t < scores.size(); ++t) rank += scores[t];
        matches.push_back({rank, d.ids[doc], doc});
    }
    out.total = static_cast<int64_t>(matches.size());
    auto from = static_cast<size_t>(offset);
    if (from >= matches.size()) return out;
    auto to = std::min(matches.size(), from + static_cast<size_t>(limit));
    std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(to), matches.end(),
                      [](const Match& a, const Match& b) { return a.rank != b.rank ? a.rank > b.rank : a.id < b.id; });
    for (size_t i = from; i < to; ++i) out.cards.push_back(d.docs[matches[i].doc]);
    return out;
}

bool SearchIndex::loaded() const {
    std::shared_lock lock(mu_);
    return data_ != nullptr;
}

int64_t SearchIndex::version() const {
    std::shared_lock lock(mu_);
    return data_ ? data_->version : 0;
}

SearchIndex::Stats SearchIndex::stats() const {
    std::shared_lock lock(mu_);
    if (!data_) return {};
    return {data_->doc_of.size(), data_->lexemes.size(), data_->postings, data_->dead};
}

bool SearchIndex::wants_rebuild() const {
    std::shared_lock lock(mu_);
    return data_ && data_->dead > data_->postings / 4 + 1000;
}

}  // namespace chance::premieres
