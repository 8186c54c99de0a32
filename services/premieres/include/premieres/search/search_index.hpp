#pragma once
// The search index (ADR 0011): an in-memory mirror of the catalog's search postings and search cards, so that
// a search the answer cache has not seen costs microseconds of this process instead of milliseconds of
// PostgreSQL. PostgreSQL stays the truth: it makes every lexeme and score (search_postings, ADR 0010) and the
// text's query (premieres_tsquery); the index only intersects postings and ranks, as the search statement
// does, and answers only at a catalog version it has caught up with. Pure (no database); index_loader loads
// it and Search keeps it current.
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "premieres/catalog/premiere_row.hpp"

namespace chance::premieres {

namespace detail {
struct IndexData;
}

// One term of a query: a whole lexeme, or (prefix) every lexeme starting with it.
struct QueryTerm {
    std::string lexeme;
    bool prefix = false;
    bool operator==(const QueryTerm&) const = default;
};

// The terms of premieres_tsquery's text: quoted lexemes joined by " & ", the last one possibly a prefix
// ("'бур' & 'дорог':*"); "" is no term. nullopt for any other shape (an operator, a weight, a quote inside a
// lexeme), which the catalog answers with the search statement instead.
std::optional<std::vector<QueryTerm>> parse_query_terms(std::string_view tsquery_text);

// A title suggested for what the customer is typing.
struct Suggestion {
    int64_t id = 0;
    std::string title;
};

// A visible premiere as the index holds it: its card, and what suggest lists its title by.
struct IndexedCard {
    IndexedCard(CardRow card_ = {}, bool featured_ = false, std::string title_lower_ = {});  // NOLINT: a card alone
    CardRow card;
    bool featured = false;
    std::string title_lower;  // lower(title) as the database computes it; the card's title lowered here if empty
};

// A page of matches, best first, and how many premieres match.
struct Found {
    std::vector<std::shared_ptr<const CardRow>> cards;
    int64_t total = 0;
};

class SearchIndex {
  public:
    // A whole catalog, built outside the index and then swapped in.
    class Build {
      public:
        // Cards in increasing id order.
        void add_card(IndexedCard card);
        // Postings in (lexeme, premiere id) order, bytewise as COLLATE "C" sorts; only of premieres added.
        void add_posting(std::string_view lexeme, int64_t premiere_id, float score);

      private:
        friend class SearchIndex;
        std::shared_ptr<detail::IndexData> data_;
        detail::IndexData& data();
    };

    struct PostingRow {
        std::string lexeme;
        int64_t premiere_id = 0;
        float score = 0;
    };

    SearchIndex();
    ~SearchIndex();
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    // The catalog at `version`.
    void replace(int64_t version, Build build);
    // The catalog moved to `version`: the premieres in `changed` are now `cards` (those of them still visible,
    // any order) with `postings` (any order); a premiere of `changed` without a card is hidden or gone.
    void apply(int64_t version, const std::vector<int64_t>& changed, std::vector<IndexedCard> cards,
               std::vector<PostingRow> postings);

    // The premieres having every term, by the sum over the terms of their scores (a prefix term: the sum over
    // the lexemes it covers), best first, ties by id; the page `offset`, `limit` of them. Sums are in single
    // precision, term after term, as the search statement adds its real scores. nullopt while the index is
    // not loaded or older than `at_least`.
    std::optional<Found> find(const std::vector<QueryTerm>& terms, int limit, int offset, int64_t at_least) const;
    // The premieres whose title has `words` (a text's words, lowercased) one after another: a text of stop words
    // only («На», «Без вины»), which has no query. Titles that start with them first, then featured, then in
    // code-point order of the lowercase title, then by id; the page `offset`, `limit` of them. nullopt as find.
    std::optional<Found> find_title_words(const std::vector<std::string>& words, int limit, int offset,
                                          int64_t at_least) const;

    // Up to kSuggestions premieres for what a customer is typing, as the suggest statement lists them: the titles
    // that start with `prefix_lower` (lower() of the text as typed), featured first, then in code-point order;
    // in the places they leave, when `terms` (the text's query) is one term, the premieres having a lexeme it
    // covers (the 15 best postings of each of its first 100 live lexemes, by their best score, then id), else
    // those having every term (featured first, then by title in code-point order) — titles that start with the
    // prefix left out of both. nullopt while the index is not loaded or older than `at_least`.
    static constexpr size_t kSuggestions = 8;
    std::optional<std::vector<Suggestion>> suggest(std::string_view prefix_lower, const std::vector<QueryTerm>& terms,
                                                   int64_t at_least) const;

    bool loaded() const;
    int64_t version() const;  // 0 until loaded
    struct Stats {
        size_t premieres = 0;  // visible, searchable
        size_t lexemes = 0;
        size_t postings = 0;       // live
        size_t dead_postings = 0;  // of replaced or hidden premieres, skipped until the next rebuild
    };
    Stats stats() const;
    // True once replaced premieres leave more dead postings than a quarter of the live ones: a full load
    // then gives the memory back.
    bool wants_rebuild() const;

  private:
    mutable std::shared_mutex mu_;
    std::shared_ptr<detail::IndexData> data_;  // under mu_
};

}  // namespace chance::premieres
