#pragma once
// The catalog's reads of premieres for customers (and for ordering, which prices and checks their lines
// through it), and the demo catalog.
#include <cstdint>
#include <optional>
#include <string>

#include "chance/pg/pg.hpp"
#include "premieres/catalog/premiere_row.hpp"

namespace chance::premieres {

class CatalogStore {
  public:
    explicit CatalogStore(pg::Pool& pool) : pool_(pool) {}
    // A visible premiere; nullopt for an unknown or hidden one.
    std::optional<PremiereRow> premiere(int64_t id);
    // A premiere, hidden or not (ordering's terms of a line: a hidden one is unavailable, not unknown); nullopt
    // for an unknown one.
    std::optional<PremiereRow> any_premiere(int64_t id);

  private:
    pg::Pool& pool_;
};

// Applies the demo catalog (seed/*.sql), idempotent.
void seed_demo_catalog(pg::Pool& pool, const std::string& seed_dir);

}  // namespace chance::premieres
