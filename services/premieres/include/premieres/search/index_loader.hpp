#pragma once
// Loads the search index (ADR 0011) from the catalog and brings it up to date, each load or catch-up in one
// REPEATABLE READ snapshot, publishing the index's gauges where it changes.
#include "chance/pg/pg.hpp"
#include "premieres/search/search_index.hpp"

namespace chance::premieres {

// The whole catalog at its current version.
void load_index(pg::Pool& pool, SearchIndex& index);
// Applies the premieres changed since the (loaded) index's version; false, leaving the index as it is, when that
// takes a full load (too many changes, a TRUNCATE, changes older than catalog_changes keeps).
bool catch_up_index(pg::Pool& pool, SearchIndex& index);
// Sets the index's gauges (search_index_*) to what it holds now; registers every metric of the index.
void publish_index_stats(const SearchIndex& index);

}  // namespace chance::premieres
