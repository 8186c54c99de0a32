#include "premieres/catalog/store.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "chance/core/log.hpp"
#include "premieres/catalog/premiere_columns.hpp"

namespace chance::premieres {

namespace {
constexpr pg::Query kPremiere{"premiere_by_id",
                              "SELECT " PREMIERES_ROW_COLUMNS "FROM premieres p WHERE p.id = $1 AND NOT p.hidden"};
constexpr pg::Query kAnyPremiere{"premiere_any_by_id",
                                 "SELECT " PREMIERES_ROW_COLUMNS "FROM premieres p WHERE p.id = $1"};

std::optional<PremiereRow> premiere_of(const pg::Result& rows) {
    if (rows.empty()) return std::nullopt;
    return read_premiere_row(rows, 0);
}
}  // namespace

std::optional<PremiereRow> CatalogStore::premiere(int64_t id) {
    return premiere_of(pool_.exec(kPremiere, pg::Params(id)));
}

std::optional<PremiereRow> CatalogStore::any_premiere(int64_t id) {
    return premiere_of(pool_.exec(kAnyPremiere, pg::Params(id)));
}

void seed_demo_catalog(pg::Pool& pool, const std::string& seed_dir) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(seed_dir))
        if (e.path().extension() == ".sql") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    auto lease = pool.acquire();
    for (const auto& f : files) {
        std::ifstream in(f);
        std::stringstream ss;
        ss << in.rdbuf();
        pg::Transaction tx(*lease);
        // Replicas starting together seed one at a time: the next one finds every slug and adds nothing
        // (the files are idempotent by slug; without the lock, two would race to the same unique slug).
        lease->exec_script("SELECT pg_advisory_xact_lock(727002)");
        lease->exec_script(ss.str());
        tx.commit();
        log::info("seed applied", {{"file", f.filename().string()}});
    }
}

}  // namespace chance::premieres
