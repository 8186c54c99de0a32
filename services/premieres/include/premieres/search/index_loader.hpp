#pragma once
// The search index's reads (ADR 0011): the whole catalog's search cards and postings, or those of the premieres
// changed since a version, each read in one REPEATABLE READ snapshot. The store of search/search: it reads,
// Search builds the index from what it reads.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/premiere_row.hpp"
#include "premieres/search/search_index.hpp"

namespace chance::premieres {

struct IndexPosting {
    std::string lexeme;
    int64_t premiere_id = 0;
    float score = 0;
};

// The whole catalog: every visible premiere's card in increasing id order (with its words: title, cast, theatre and
// director, lowercased), then every posting in (lexeme, premiere) order, bytewise. Returns the catalog version
// they are of. `restart` runs before each attempt: a transaction retried after a serialization failure reads
// everything again.
int64_t read_index_catalog(pg::Pool& pool, const std::function<void()>& restart,
                           const std::function<void(IndexedCard, std::string words)>& card,
                           const std::function<void(std::string_view lexeme, int64_t premiere, float score)>& posting);

// What changed since `since`.
struct IndexChanges {
    int64_t version = 0;  // the catalog's; <= since: nothing changed
    bool full = false;    // too many changes, a TRUNCATE, or changes older than catalog_changes keeps: read it all
    std::vector<int64_t> changed;        // the premieres changed
    std::vector<IndexedCard> cards;      // those of them still visible
    std::vector<std::string> words;      // parallel to cards: title, cast, theatre and director, lowercased
    std::vector<IndexPosting> postings;  // theirs
};
IndexChanges read_index_changes(pg::Pool& pool, int64_t since);

}  // namespace chance::premieres
