#include "pgtest.hpp"

#include <cstdlib>

#include "chance/core/uuid.hpp"

namespace chance::pgtest {

std::string admin_dsn() {
    const char* dsn = std::getenv("CHANCE_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe): nothing sets the env
    if (dsn == nullptr || *dsn == '\0') {
        ADD_FAILURE() << "CHANCE_TEST_PG_DSN is not set: run PostgreSQL tests through scripts/with-infra";
        throw std::runtime_error("no test database");
    }
    return dsn;
}

std::string dsn_for(const std::string& admin, const std::string& db) {
    auto q = admin.find('?');
    std::string base = admin.substr(0, q);
    std::string rest = q == std::string::npos ? "" : admin.substr(q);
    auto slash = base.rfind('/');
    return base.substr(0, slash + 1) + db + rest;
}

TempDatabase::TempDatabase() {
    auto admin = admin_dsn();
    name_ = "t_" + random_hex(8);
    pg::Connection c(admin);
    c.exec_script("CREATE DATABASE " + name_);
    dsn_ = dsn_for(admin, name_);
}

TempDatabase::~TempDatabase() {
    try {
        pg::Connection c(admin_dsn());
        c.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const std::exception&) {
    }
}

}  // namespace chance::pgtest
