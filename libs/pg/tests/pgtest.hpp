#pragma once
// Tests that need PostgreSQL get a fresh database on the private server the test harness started
// (scripts/with-infra exports CHANCE_TEST_PG_DSN); it is dropped afterwards.
#include <gtest/gtest.h>

#include <string>

#include "chance/pg/pg.hpp"

namespace chance::pgtest {

// The admin DSN of the throwaway server; fails the test when the harness did not provide one.
std::string admin_dsn();

class TempDatabase {
  public:
    TempDatabase();
    ~TempDatabase();
    const std::string& dsn() const { return dsn_; }
    const std::string& name() const { return name_; }

  private:
    std::string name_;
    std::string dsn_;
};

// Replaces the database name in a libpq URI.
std::string dsn_for(const std::string& admin, const std::string& db);

}  // namespace chance::pgtest
