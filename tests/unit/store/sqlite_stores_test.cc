// Tests of the SQLite backend itself: files, reopening, migrations, pool and error mapping.
// The store contracts are covered for every backend by the *_store_test.cc files.
#include "store/sqlite/sqlite_stores.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/sql/sql_migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

// Reads one integer (or text) cell with a private connection.
int64_t QueryInt(const std::string& path, const std::string& sql) {
  StatusOr<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path);
  if (!connection.ok()) return -1;
  StatusOr<SqlStatement> stmt = (*connection)->Prepare(sql);
  if (!stmt.ok() || !stmt->Step().ok()) return -1;
  return stmt->Int(0);
}

std::string QueryText(const std::string& path, const std::string& sql) {
  StatusOr<std::unique_ptr<SqliteConnection>> connection = SqliteConnection::Open(path);
  if (!connection.ok()) return "";
  StatusOr<SqlStatement> stmt = (*connection)->Prepare(sql);
  if (!stmt.ok() || !stmt->Step().ok()) return "";
  return stmt->Text(0);
}

TEST(SqliteStoreFileTest, DataPersistsAndMigrationsRunOnce) {
  ScratchDir dir;
  std::string path = dir.path() + "/cs.db";
  const int64_t migration_count = static_cast<int64_t>(sql_migrations::Files().size());
  ASSERT_GE(migration_count, 1);
  {
    StatusOr<Stores> stores = OpenSqliteStores(path, 2);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    ASSERT_TRUE(stores->accounts->Create(TestAccount(1)).ok());
    ASSERT_TRUE(stores->apps->Create(TestApp(1, TestAccount(1).id, 10)).ok());
  }
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), migration_count);
  EXPECT_EQ(QueryText(path, "SELECT name FROM schema_migrations WHERE version = 1"),
            "0001_initial.sql");
  int64_t applied_at = QueryInt(path, "SELECT applied_at FROM schema_migrations LIMIT 1");
  EXPECT_GT(applied_at, 0);
  EXPECT_EQ(QueryText(path, "PRAGMA journal_mode"), "wal");

  StatusOr<Stores> reopened = OpenSqliteStores(path, 2);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  StatusOr<Account> account = reopened->accounts->FindByEmail(TestAccount(1).email);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->id, TestAccount(1).id);
  EXPECT_EQ(*reopened->apps->CountByOwner(TestAccount(1).id), 1);
  EXPECT_EQ(QueryInt(path, "SELECT COUNT(*) FROM schema_migrations"), migration_count);
  EXPECT_EQ(QueryInt(path, "SELECT applied_at FROM schema_migrations LIMIT 1"), applied_at);
}

TEST(SqliteStoreFileTest, MemoryDatabasesAreSeparate) {
  StatusOr<Stores> a = OpenSqliteStores(":memory:", 2);
  StatusOr<Stores> b = OpenSqliteStores(":memory:", 2);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->accounts->Create(TestAccount(1)).ok());
  EXPECT_EQ(b->accounts->FindById(TestAccount(1).id).status().code(), Code::kNotFound);
  EXPECT_TRUE(b->accounts->Create(TestAccount(1)).ok());
}

TEST(SqliteStoreFileTest, BadArgumentsAreErrorsNotCrashes) {
  EXPECT_EQ(OpenSqliteStores(":memory:", 0).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(OpenSqliteStores("", 1).status().code(), Code::kInvalidArgument);
  StatusOr<Stores> missing_dir = OpenSqliteStores("/nonexistent-dir/x/cs.db", 1);
  EXPECT_EQ(missing_dir.status().code(), Code::kInternal);
}

TEST(SqliteStoreFileTest, CorruptListIsInternalError) {
  ScratchDir dir;
  std::string path = dir.path() + "/cs.db";
  StatusOr<Stores> stores = OpenSqliteStores(path, 1);
  ASSERT_TRUE(stores.ok());
  ASSERT_TRUE(stores->apps->Create(TestApp(1, "owner", 10)).ok());
  {
    auto connection = SqliteConnection::Open(path);
    ASSERT_TRUE(connection.ok());
    ASSERT_TRUE((*connection)->Exec("UPDATE api_apps SET domains = '{not json'").ok());
  }
  EXPECT_EQ(stores->apps->FindByClientId("client1").status().code(), Code::kInternal);
  EXPECT_EQ(stores->apps->ListByOwner("owner", 0, 10).status().code(), Code::kInternal);
}

TEST(SqliteStoreFileTest, OnePooledConnectionServesManyThreads) {
  StatusOr<Stores> stores = OpenSqliteStores(":memory:", 1);
  ASSERT_TRUE(stores.ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        if (!stores->sessions->Create(Session{id, "a", 1, 100}).ok()) ++failures;
        if (!stores->sessions->Find(id, 50).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*stores->sessions->DeleteExpired(100), 100);
}

TEST(SqliteStoreStatusTest, SqliteCodesMapToStatusCodes) {
  EXPECT_EQ(SqliteStatus(nullptr, SQLITE_BUSY, "x").code(), Code::kUnavailable);
  EXPECT_EQ(SqliteStatus(nullptr, SQLITE_LOCKED, "x").code(), Code::kUnavailable);
  EXPECT_EQ(SqliteStatus(nullptr, SQLITE_CONSTRAINT_UNIQUE, "x").code(), Code::kConflict);
  EXPECT_EQ(SqliteStatus(nullptr, SQLITE_CONSTRAINT_FOREIGNKEY, "x").code(), Code::kInternal);
  EXPECT_EQ(SqliteStatus(nullptr, SQLITE_CORRUPT, "x").code(), Code::kInternal);
}

TEST(SqliteStoreStatusTest, CachedStatementIsLentOnceAtATime) {
  auto connection = SqliteConnection::Open(":memory:");
  ASSERT_TRUE(connection.ok());
  {
    StatusOr<SqlStatement> first = (*connection)->Prepare("SELECT 1");
    ASSERT_TRUE(first.ok());
    EXPECT_EQ((*connection)->Prepare("SELECT 1").status().code(), Code::kInternal);
    EXPECT_TRUE((*connection)->Prepare("SELECT 2").ok());
  }
  StatusOr<SqlStatement> again = (*connection)->Prepare("SELECT 1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again->Step());
  EXPECT_EQ(again->Int(0), 1);
}

// The migration runner, with hand-made migration lists.
class SqliteMigrationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto connection = SqliteConnection::Open(dir_.path() + "/m.db");
    ASSERT_TRUE(connection.ok());
    connection_ = std::move(*connection);
  }
  std::vector<int64_t> Applied() { return *AppliedSqliteMigrations(*connection_); }
  bool TableExists(const std::string& name) {
    auto stmt = connection_->Prepare("SELECT 1 FROM sqlite_master WHERE name = ?1");
    stmt->Bind(1, name);
    return *stmt->Step();
  }

  ScratchDir dir_;
  std::unique_ptr<SqliteConnection> connection_;
};

TEST_F(SqliteMigrationStoreTest, AppliesInVersionOrderAndSkipsApplied) {
  std::vector<EmbeddedFile> files = {
      {"0002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT;"},
      {"0001_a.sql", "CREATE TABLE a (x TEXT);"},
  };
  ASSERT_TRUE(ApplySqliteMigrations(*connection_, files).ok());
  EXPECT_EQ(Applied(), (std::vector<int64_t>{1, 2}));
  // Re-running would fail ("duplicate column") if 0002 were applied again.
  files.push_back({"0003_c.sql", "CREATE TABLE c (z INTEGER);"});
  ASSERT_TRUE(ApplySqliteMigrations(*connection_, files).ok());
  EXPECT_EQ(Applied(), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_TRUE(TableExists("c"));
}

TEST_F(SqliteMigrationStoreTest, FailingMigrationIsRolledBackAndStops) {
  std::vector<EmbeddedFile> files = {
      {"0001_a.sql", "CREATE TABLE a (x TEXT);"},
      {"0002_bad.sql", "CREATE TABLE b (x TEXT); THIS IS NOT SQL;"},
      {"0003_c.sql", "CREATE TABLE c (x TEXT);"},
  };
  Status status = ApplySqliteMigrations(*connection_, files);
  EXPECT_EQ(status.code(), Code::kInternal);
  EXPECT_NE(status.message().find("0002_bad.sql"), std::string::npos) << status.message();
  EXPECT_EQ(Applied(), std::vector<int64_t>{1});
  EXPECT_FALSE(TableExists("b"));
  EXPECT_FALSE(TableExists("c"));
}

TEST_F(SqliteMigrationStoreTest, BadNamesAndDuplicateVersionsAreRejected) {
  EXPECT_EQ(ApplySqliteMigrations(*connection_, {{"initial.sql", "SELECT 1;"}}).code(),
            Code::kInternal);
  EXPECT_EQ(ApplySqliteMigrations(*connection_, {{"0001.sql", "SELECT 1;"}}).code(),
            Code::kInternal);
  EXPECT_EQ(
      ApplySqliteMigrations(*connection_, {{"0001_a.sql", "SELECT 1;"}, {"1_b.sql", "SELECT 1;"}})
          .code(),
      Code::kInternal);
  EXPECT_FALSE(TableExists("schema_migrations") && !Applied().empty());
}

}  // namespace
}  // namespace countersign::testing_store
