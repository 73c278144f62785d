// PostgreSQL for tests: the server scripts/test.sh starts (scripts/lib/pg.sh) is named by
// COUNTERSIGN_TEST_PG_URL; each test gets its own fresh database on it (CREATE DATABASE, dropped
// afterwards), so tests may run in parallel processes. Without the variable the PostgreSQL tests
// skip, except under CI=true or COUNTERSIGN_TEST_REQUIRE_PG=1 (scripts/test.sh), where they
// fail: CI must never silently skip them.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "core/status.h"

namespace countersign::testing_store {

// The server's URL from COUNTERSIGN_TEST_PG_URL, or "" when unset.
std::string PgTestUrl();
// True when the PostgreSQL tests must run (CI=true or COUNTERSIGN_TEST_REQUIRE_PG=1).
bool PgRequired();
// The message for a test that cannot run without PostgreSQL.
std::string PgMissingMessage();

// `url` with its database name replaced by `dbname`.
std::string PgUrlWithDatabase(const std::string& url, const std::string& dbname);

// A fresh, empty database on the test server, dropped (WITH (FORCE)) on destruction.
class PgTestDatabase {
 public:
  // `name_seed` makes the name unique (e.g. a scratch directory); the pid is added.
  explicit PgTestDatabase(const std::string& name_seed);
  ~PgTestDatabase();
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const Status& status() const { return status_; }
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::string url_;
  Status status_;
};

// Runs one SQL command on the test server's maintenance database (CREATE/DROP DATABASE).
Status PgAdminExec(const std::string& sql);

}  // namespace countersign::testing_store

// Skips (or, under CI=true, fails) the current test when no PostgreSQL server is configured.
#define CS_REQUIRE_PG()                                                 \
  do {                                                                  \
    if (::countersign::testing_store::PgTestUrl().empty()) {            \
      if (::countersign::testing_store::PgRequired()) {                 \
        FAIL() << ::countersign::testing_store::PgMissingMessage();     \
      }                                                                 \
      GTEST_SKIP() << ::countersign::testing_store::PgMissingMessage(); \
    }                                                                   \
  } while (0)
