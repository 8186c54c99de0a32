#include "chance/pg/migrations.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "chance/core/log.hpp"

namespace chance::pg {

namespace fs = std::filesystem;

std::vector<Migration> list_migrations(const std::string& dir) {
    std::vector<Migration> out;
    if (!fs::is_directory(dir)) throw std::runtime_error("migrations directory not found: " + dir);
    for (const auto& entry : fs::directory_iterator(dir)) {
        auto name = entry.path().filename().string();
        if (entry.path().extension() != ".sql") continue;
        auto us = name.find('_');
        if (us == std::string::npos || us == 0) throw std::runtime_error("migration file without a number: " + name);
        int version = 0;
        try {
            version = std::stoi(name.substr(0, us));
        } catch (const std::exception&) {
            throw std::runtime_error("migration file without a number: " + name);
        }
        out.push_back({version, name, entry.path().string()});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    for (size_t i = 1; i < out.size(); ++i)
        if (out[i].version == out[i - 1].version)
            throw std::runtime_error("two migrations with version " + std::to_string(out[i].version) + " in " + dir);
    return out;
}

namespace {
constexpr Query kLock{"migrations_lock", "SELECT pg_advisory_lock(727001)"};
constexpr Query kUnlock{"migrations_unlock", "SELECT pg_advisory_unlock(727001)"};
constexpr Query kApplied{"migrations_applied",
                         "SELECT component, version FROM schema_migrations ORDER BY component, version"};
constexpr Query kRecord{"migrations_record",
                        "INSERT INTO schema_migrations (component, version, name) VALUES ($1, $2, $3)"};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
}  // namespace

int migrate(Connection& conn, const std::vector<MigrationSet>& sets) {
    conn.exec(kLock);
    int applied_now = 0;
    try {
        conn.exec_script(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " component text NOT NULL, version int NOT NULL, name text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))");
        std::map<std::string, std::vector<int>> applied;
        auto rows = conn.exec(kApplied);
        for (int i = 0; i < rows.rows(); ++i)
            applied[rows.text(i, "component")].push_back(static_cast<int>(rows.int64(i, "version")));
        for (const auto& set : sets) {
            auto files = list_migrations(set.dir);
            int known = files.empty() ? 0 : files.back().version;
            const auto& done = applied[set.component];
            int newest = done.empty() ? 0 : *std::max_element(done.begin(), done.end());
            if (newest > known) {
                throw SchemaTooNew("database schema of '" + set.component + "' is at version " +
                                   std::to_string(newest) + " but this build knows only up to " +
                                   std::to_string(known) + "; refusing to start (deploy the newer build)");
            }
            for (const auto& m : files) {
                if (std::find(done.begin(), done.end(), m.version) != done.end()) continue;
                Transaction tx(conn);
                conn.exec_script(read_file(m.path));
                tx.exec(kRecord, Params(set.component, m.version, m.name));
                tx.commit();
                ++applied_now;
                log::info("migration applied", {{"component", set.component}, {"migration", m.name}});
            }
        }
    } catch (...) {
        try {
            conn.exec(kUnlock);
        } catch (const std::exception&) {
        }
        throw;
    }
    conn.exec(kUnlock);
    return applied_now;
}

}  // namespace chance::pg
