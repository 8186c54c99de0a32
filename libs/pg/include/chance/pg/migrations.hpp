#pragma once
// Numbered .sql migrations (0001_name.sql, ...) applied at start under an advisory lock, so N replicas
// starting together apply each migration once. Applied versions are recorded per component in
// schema_migrations; a database newer than this build refuses the start.
#include <stdexcept>
#include <string>
#include <vector>

#include "chance/pg/pg.hpp"

namespace chance::pg {

struct MigrationSet {
    std::string component;  // e.g. "premieres" or "outbox"
    std::string dir;
};

struct Migration {
    int version;
    std::string name;
    std::string path;
};

class SchemaTooNew : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::vector<Migration> list_migrations(const std::string& dir);
// Returns the number of migrations applied now.
int migrate(Connection& conn, const std::vector<MigrationSet>& sets);

}  // namespace chance::pg
