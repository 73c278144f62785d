// StoreTest: a parameterized fixture that runs the same store tests against every backend.
// A backend is a factory that opens a fresh, empty database (StoreBackends(),
// store_test_fixture.cc): SQLite in memory and in a file, and PostgreSQL (a database per test)
// on the server COUNTERSIGN_TEST_PG_URL names (pg_test_support.h). The PostgreSQL entry is always
// listed (ctest discovers tests at build time); without a server its tests skip, or fail when
// required (CI=true, COUNTERSIGN_TEST_REQUIRE_PG=1).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/records.h"
#include "store/stores.h"

namespace countersign::testing_store {

struct StoreBackend {
  std::string name;
  // Opens fresh stores. `scratch_dir` is an empty directory removed after the test.
  std::function<StatusOr<Stores>(const std::string& scratch_dir)> open;
  // Called after the stores are closed (e.g. drops the test's database); may be empty.
  std::function<void(const std::string& scratch_dir)> close;
  // Needs the PostgreSQL test server: skipped (or, when required, failed) without one.
  bool needs_postgres = false;
};

// Names the backend in test output (ctest lists "GetParam() = Postgres").
void PrintTo(const StoreBackend& backend, std::ostream* out);

std::vector<StoreBackend> StoreBackends();
std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info);

// A fresh temporary directory; removed (recursively) on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class StoreTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  ScratchDir scratch_;
  Stores stores_;
};

// Records with every field set to a distinct value derived from `n`.
Account TestAccount(int n);
ApiApp TestApp(int n, const std::string& owner_account_id, int64_t created_at);
Grant TestGrant(const std::string& id, const std::string& account_id, const std::string& client_id,
                int64_t created_at);
AuthCode TestCode(const std::string& code_hash);
// Expects every field of `a` and `b` to be equal.
void ExpectSameApp(const ApiApp& a, const ApiApp& b);
TokenPairHashes TestPair(const std::string& prefix, int64_t access_expires_at = 5000);
// OAuthStore::RotateRefreshAsync, waited for.
Status RotateRefreshAndWait(OAuthStore& store, const std::string& old_refresh_hash, int64_t now,
                            const TokenPairHashes& next);

// Makes the SQLite file `path` as a version before migration `first_missing` (e.g. "0008")
// left it: the migrations named before it applied, then `sql` run. OpenSqliteStores(path)
// then applies the rest, as an upgrade would.
Status MakeSqliteDatabaseBefore(const std::string& path, const std::string& first_missing,
                                const std::string& sql);

}  // namespace countersign::testing_store

// Instantiates the StoreTest-derived `suite` once per backend.
#define CS_INSTANTIATE_STORE_TESTS(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                    \
                           ::testing::ValuesIn(::countersign::testing_store::StoreBackends()), \
                           ::countersign::testing_store::BackendName)
