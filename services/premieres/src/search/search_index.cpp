#include "premieres/search/search_index.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <tuple>

#include "premieres/search/query_text.hpp"

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
    std::vector<uint8_t> featured;                     // doc → featured
    std::vector<std::string> title_lower;              // doc → lower(title)
    // Live docs by lower(title), bytewise (code-point order), then id: the others [0] and the featured [1], for
    // suggest's titles.
    std::set<std::tuple<std::string, int64_t, uint32_t>> titles[2];
    std::unordered_map<int64_t, uint32_t> doc_of;  // premiere id → its live doc
    // Each word of a title → the docs with it, in doc order (dead ones too, until the next load).
    std::unordered_map<std::string, std::vector<uint32_t>> title_words;
    size_t postings = 0;       // live
    size_t dead = 0;           // of docs no longer live
    int64_t last_card_id = 0;  // Build: cards come in id order

    uint32_t add_doc(IndexedCard card) {
        auto doc = static_cast<uint32_t>(docs.size());
        doc_of[card.card.id] = doc;
        ids.push_back(card.card.id);
        if (card.title_lower.empty()) card.title_lower = lower_text(card.card.title).value_or(card.card.title);
        titles[card.featured ? 1 : 0].emplace(card.title_lower, card.card.id, doc);
        if (auto words = text_words(card.title_lower, std::string::npos)) {
            std::sort(words->begin(), words->end());
            words->erase(std::unique(words->begin(), words->end()), words->end());
            for (auto& w : *words) title_words[std::move(w)].push_back(doc);
        }
        featured.push_back(card.featured ? 1 : 0);
        title_lower.push_back(std::move(card.title_lower));
        docs.push_back(std::make_shared<const CardRow>(std::move(card.card)));
        doc_postings.push_back(0);
        return doc;
    }
    void retire(int64_t id) {
        auto it = doc_of.find(id);
        if (it == doc_of.end()) return;
        titles[featured[it->second]].erase({title_lower[it->second], id, it->second});
        std::string().swap(title_lower[it->second]);
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

// A posting's score for a term: halved when its lexeme is an expansion (longer than the term's typed text), as
// CHANCE_TERM_SCORE in the search statement (ADR 0016). Halving a float is exact.
float term_score(bool expansion, float score) { return expansion ? score * 0.5f : score; }

// One term's live postings in doc order, each the best of the term's lexemes in it (term_score): a few lexemes
// merged list by list, many through an accumulator by doc.
std::vector<Posting> merged(const IndexData& data, const QueryTerm& term, size_t b, size_t e) {
    auto live = [&](uint32_t doc) { return data.dead == 0 || data.docs[doc] != nullptr; };
    std::vector<Posting> out;
    if (e - b <= 16) {
        std::vector<Posting> next;
        for (size_t i = b; i < e; ++i) {
            const auto& list = data.lists[i];
            const bool expansion = data.lexemes[i] != term.lexeme;
            auto scored = [&](const Posting& p) { return term_score(expansion, p.score); };
            next.clear();
            next.reserve(out.size() + list.size());
            size_t x = 0, y = 0;
            while (x < out.size() || y < list.size()) {
                if (y < list.size() && !live(list[y].doc)) {
                    ++y;
                } else if (y == list.size() || (x < out.size() && out[x].doc < list[y].doc)) {
                    next.push_back(out[x++]);
                } else if (x == out.size() || list[y].doc < out[x].doc) {
                    next.push_back({list[y].doc, scored(list[y])});
                    ++y;
                } else {
                    next.push_back({out[x].doc, std::max(out[x].score, scored(list[y]))});
                    ++x;
                    ++y;
                }
            }
            out.swap(next);
        }
        return out;
    }
    std::vector<float> best(data.docs.size(), 0.0f);
    std::vector<uint8_t> seen(data.docs.size(), 0);
    std::vector<uint32_t> docs;
    for (size_t i = b; i < e; ++i) {
        const bool expansion = data.lexemes[i] != term.lexeme;
        for (const auto& p : data.lists[i]) {
            if (!live(p.doc)) continue;
            auto score = term_score(expansion, p.score);
            if (!seen[p.doc]) {
                seen[p.doc] = 1;
                docs.push_back(p.doc);
                best[p.doc] = score;
            } else {
                best[p.doc] = std::max(best[p.doc], score);
            }
        }
    }
    std::sort(docs.begin(), docs.end());
    out.reserve(docs.size());
    for (auto doc : docs) out.push_back({doc, best[doc]});
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

IndexedCard::IndexedCard(CardRow card_, bool featured_, std::string title_lower_)
    : card(std::move(card_)), featured(featured_), title_lower(std::move(title_lower_)) {}

void SearchIndex::Build::add_card(IndexedCard card) {
    auto& d = data();
    if (card.card.id <= d.last_card_id) throw std::invalid_argument("search index: cards out of id order");
    d.last_card_id = card.card.id;
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

void SearchIndex::apply(int64_t version, const std::vector<int64_t>& changed, std::vector<IndexedCard> cards,
                        std::vector<PostingRow> postings) {
    std::sort(cards.begin(), cards.end(),
              [](const IndexedCard& a, const IndexedCard& b) { return a.card.id < b.card.id; });
    std::sort(postings.begin(), postings.end(), [](const PostingRow& a, const PostingRow& b) {
        return a.lexeme != b.lexeme ? a.lexeme < b.lexeme : a.premiere_id < b.premiere_id;
    });
    std::unique_lock lock(mu_);
    if (!data_) throw std::logic_error("search index: changes before a load");
    auto& d = *data_;
    for (auto id : changed) d.retire(id);
    for (auto& card : cards) {
        d.retire(card.card.id);
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

namespace {
struct Match {
    float rank;
    int64_t id;
    uint32_t doc;
};

// The live docs having every term, in doc order, each with the sum over the terms of its term scores (in single
// precision, term after term, as the search statement adds them).
std::vector<Match> matches_of(const IndexData& d, const std::vector<QueryTerm>& terms) {
    std::vector<Match> matches;
    if (terms.empty()) return matches;
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
        if (b == e) return matches;
        auto& s = sides[t];
        s.ord = t;
        // One lexeme is read in place, unless it is an expansion and other terms' scores are added to its (alone,
        // halving all of its scores would change no order).
        if (e - b == 1 && (terms.size() == 1 || d.lexemes[b] == terms[t].lexeme)) {
            s.p = d.lists[b].data();
            s.n = d.lists[b].size();
        } else {
            s.owned = merged(d, terms[t], b, e);
            s.p = s.owned.data();
            s.n = s.owned.size();
        }
        if (s.n == 0) return matches;
    }
    std::vector<size_t> order(sides.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sides[a].n < sides[b].n; });

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
    return matches;
}
}  // namespace

std::optional<Found> SearchIndex::find(const std::vector<QueryTerm>& terms, int limit, int offset,
                                       int64_t at_least) const {
    std::shared_lock lock(mu_);
    if (!data_ || data_->version < at_least) return std::nullopt;
    const auto& d = *data_;
    Found out;
    if (terms.empty() || limit <= 0 || offset < 0) return out;
    auto matches = matches_of(d, terms);
    out.total = static_cast<int64_t>(matches.size());
    auto from = static_cast<size_t>(offset);
    if (from >= matches.size()) return out;
    auto to = std::min(matches.size(), from + static_cast<size_t>(limit));
    std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(to), matches.end(),
                      [](const Match& a, const Match& b) { return a.rank != b.rank ? a.rank > b.rank : a.id < b.id; });
    for (size_t i = from; i < to; ++i) out.cards.push_back(d.docs[matches[i].doc]);
    return out;
}

std::optional<Found> SearchIndex::find_title_words(const std::vector<std::string>& words, int limit, int offset,
                                                   int64_t at_least) const {
    std::shared_lock lock(mu_);
    if (!data_ || data_->version < at_least) return std::nullopt;
    const auto& d = *data_;
    Found out;
    if (words.empty() || limit <= 0 || offset < 0) return out;
    const std::vector<uint32_t>* fewest = nullptr;
    for (const auto& w : words) {
        auto it = d.title_words.find(w);
        if (it == d.title_words.end()) return out;
        if (!fewest || it->second.size() < fewest->size()) fewest = &it->second;
    }
    if (!fewest) return out;
    struct Hit {
        bool first;  // the title starts with the words
        uint32_t doc;
    };
    std::vector<Hit> hits;
    for (auto doc : *fewest) {
        if (!d.docs[doc]) continue;
        auto title = text_words(d.title_lower[doc], std::string::npos).value_or(std::vector<std::string>{});
        for (size_t at = 0; at + words.size() <= title.size(); ++at)
            if (std::equal(words.begin(), words.end(), title.begin() + static_cast<std::ptrdiff_t>(at))) {
                hits.push_back({at == 0, doc});
                break;
            }
    }
    out.total = static_cast<int64_t>(hits.size());
    std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        if (a.first != b.first) return a.first;
        if (d.featured[a.doc] != d.featured[b.doc]) return d.featured[a.doc] > d.featured[b.doc];
        if (d.title_lower[a.doc] != d.title_lower[b.doc]) return d.title_lower[a.doc] < d.title_lower[b.doc];
        return d.ids[a.doc] < d.ids[b.doc];
    });
    const auto from = static_cast<size_t>(offset);
    for (auto i = from; i < hits.size() && i < from + static_cast<size_t>(limit); ++i)
        out.cards.push_back(d.docs[hits[i].doc]);
    return out;
}

std::optional<std::vector<Suggestion>> SearchIndex::suggest(std::string_view prefix_lower,
                                                            const std::vector<QueryTerm>& terms,
                                                            int64_t at_least) const {
    // As the suggest statement: words of the first kLexemes lexemes a one-term prefix covers, kPerLexeme postings
    // of each.
    constexpr size_t kLexemes = 100;
    constexpr size_t kPerLexeme = 15;
    std::shared_lock lock(mu_);
    if (!data_ || data_->version < at_least) return std::nullopt;
    const auto& d = *data_;
    std::vector<Suggestion> out;
    auto title_of = [&](uint32_t doc) { return Suggestion{d.ids[doc], d.docs[doc]->title}; };
    for (int f = 1; f >= 0 && out.size() < kSuggestions; --f) {
        const auto& set = d.titles[f];
        for (auto it = set.lower_bound({std::string(prefix_lower), INT64_MIN, 0});
             it != set.end() && out.size() < kSuggestions && std::get<0>(*it).starts_with(prefix_lower); ++it)
            out.push_back(title_of(std::get<2>(*it)));
    }
    if (out.size() == kSuggestions || terms.empty()) return out;
    auto starts = [&](uint32_t doc) { return std::string_view(d.title_lower[doc]).starts_with(prefix_lower); };
    auto live = [&](uint32_t doc) { return d.docs[doc] != nullptr; };
    std::vector<Match> more;  // rank: the best score (one term); unused (several)
    if (terms.size() == 1) {
        auto [b, e] = covered(d, terms[0]);
        std::unordered_map<uint32_t, float> best;
        std::vector<Match> top;
        auto better = [](const Match& a, const Match& x) { return a.rank != x.rank ? a.rank > x.rank : a.id < x.id; };
        size_t lexemes = 0;
        for (size_t l = b; l < e && lexemes < kLexemes; ++l) {
            top.clear();
            for (const auto& p : d.lists[l]) {
                if (!live(p.doc)) continue;
                Match m{p.score, d.ids[p.doc], p.doc};
                if (top.size() < kPerLexeme) {
                    top.push_back(m);
                    std::push_heap(top.begin(), top.end(), better);
                } else if (better(m, top.front())) {
                    std::pop_heap(top.begin(), top.end(), better);
                    top.back() = m;
                    std::push_heap(top.begin(), top.end(), better);
                }
            }
            if (top.empty()) continue;  // a lexeme of dead postings only: not in search_postings
            ++lexemes;
            for (const auto& m : top) {
                auto [it, fresh] = best.try_emplace(m.doc, m.rank);
                if (!fresh) it->second = std::max(it->second, m.rank);
            }
        }
        for (auto [doc, score] : best)
            if (!starts(doc)) more.push_back({score, d.ids[doc], doc});
        std::sort(more.begin(), more.end(), better);
    } else {
        for (const auto& m : matches_of(d, terms))
            if (!starts(m.doc)) more.push_back(m);
        std::sort(more.begin(), more.end(), [&](const Match& a, const Match& x) {
            if (d.featured[a.doc] != d.featured[x.doc]) return d.featured[a.doc] > d.featured[x.doc];
            const auto& ta = d.docs[a.doc]->title;
            const auto& tx = d.docs[x.doc]->title;
            return ta != tx ? ta < tx : a.id < x.id;
        });
    }
    for (size_t i = 0; i < more.size() && out.size() < kSuggestions; ++i) out.push_back(title_of(more[i].doc));
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
