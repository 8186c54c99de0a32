#include <filesystem>
#include <fstream>
#include <thread>

#include "chance/core/uuid.hpp"
#include "chance/pg/migrations.hpp"
#include "pgtest.hpp"

using namespace chance;
namespace fs = std::filesystem;

namespace {
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("mig_" + random_hex(6));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
    void write(const std::string& name, const std::string& sql) const { std::ofstream(path / name) << sql; }
};
}  // namespace

TEST(MigrationsPg, TwoStartersAtOnceApplyEachMigrationOnce) {
    pgtest::TempDatabase db;
    TempDir dir;
    // Not idempotent on purpose: a second application would fail.
    dir.write("0001_items.sql", "CREATE TABLE items (id int PRIMARY KEY); SELECT pg_sleep(0.3);");
    dir.write("0002_more.sql", "ALTER TABLE items ADD COLUMN name text; INSERT INTO items VALUES (1, 'a');");
    std::atomic<int> applied{0};
    std::atomic<int> failures{0};
    auto start = [&] {
        try {
            pg::Connection c(db.dsn());
            applied += pg::migrate(c, {{"svc", dir.path.string()}});
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
            ++failures;
        }
    };
    std::thread a(start), b(start);
    a.join();
    b.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(applied.load(), 2);
    pg::Connection c(db.dsn());
    EXPECT_EQ(c.exec({"count", "SELECT count(*) AS n FROM items"}).int64(0, "n"), 1);
    EXPECT_EQ(pg::migrate(c, {{"svc", dir.path.string()}}), 0);
}

TEST(MigrationsPg, NewerSchemaRefusesToStart) {
    pgtest::TempDatabase db;
    TempDir dir;
    dir.write("0001_a.sql", "CREATE TABLE a (id int);");
    pg::Connection c(db.dsn());
    pg::migrate(c, {{"svc", dir.path.string()}});
    c.exec_script("INSERT INTO schema_migrations (component, version, name) VALUES ('svc', 7, '0007_future.sql')");
    try {
        pg::migrate(c, {{"svc", dir.path.string()}});
        FAIL();
    } catch (const pg::SchemaTooNew& e) {
        EXPECT_NE(std::string(e.what()).find("version 7"), std::string::npos);
    }
}

TEST(MigrationsPg, AFailingMigrationLeavesNothingBehind) {
    pgtest::TempDatabase db;
    TempDir dir;
    dir.write("0001_ok.sql", "CREATE TABLE ok (id int);");
    dir.write("0002_bad.sql", "CREATE TABLE half (id int); SELECT * FROM does_not_exist;");
    pg::Connection c(db.dsn());
    EXPECT_THROW(pg::migrate(c, {{"svc", dir.path.string()}}), pg::Error);
    auto r = c.exec({"half",
                     "SELECT to_regclass('half') IS NULL AS gone, "
                     "(SELECT count(*) FROM schema_migrations) AS n"});
    EXPECT_TRUE(r.boolean(0, "gone"));
    EXPECT_EQ(r.int64(0, "n"), 1);
}
