// Tests of SqliteCommitWatch: its stamp stays while nothing commits and changes at every commit,
// whether this process's group commit made it, another connection, or another process.
#include "store/sqlite/sqlite_commit_watch.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_stores.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

const std::vector<EmbeddedFile> kMigrations = {{"0001_notes.sql", "CREATE TABLE notes (n INT);"}};

Status Insert(SqlDatabase& db, int n) {
  return db.Write([n](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(SqlStatement insert, connection.Prepare("INSERT INTO notes VALUES (?1)"));
    return insert.Bind(1, n).Run();
  });
}

// The rows in notes; -1 when the read fails.
int64_t Count(SqlDatabase& db) {
  StatusOr<int64_t> count = db.Read([](SqlConnection& connection) -> StatusOr<int64_t> {
    CS_ASSIGN_OR_RETURN(SqlStatement count, connection.Prepare("SELECT count(*) FROM notes"));
    CS_ASSIGN_OR_RETURN(bool row, count.Step());
    if (!row) return Internal("no row");
    return count.Int(0);
  });
  return count.ok() ? *count : -1;
}

class SqliteCommitWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path_, 2, kMigrations);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    StatusOr<std::unique_ptr<SqliteCommitWatch>> watch = SqliteCommitWatch::Open(path_);
    ASSERT_TRUE(watch.ok()) << watch.status().ToString();
    watch_ = std::move(watch).value();
  }

  CommitStamp Now() {
    std::optional<CommitStamp> stamp = watch_->Current();
    EXPECT_TRUE(stamp.has_value());
    return stamp.value_or(CommitStamp{});
  }

  ScratchDir dir_;
  const std::string path_ = dir_.path() + "/data.db";
  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<SqliteCommitWatch> watch_;
};

TEST_F(SqliteCommitWatchTest, TheStampStaysWhileOnlyReadsHappen) {
  ASSERT_TRUE(Insert(*db_, 1).ok());
  const CommitStamp before = Now();
  for (int i = 0; i < 10; ++i) ASSERT_EQ(Count(*db_), 1);
  EXPECT_EQ(Now(), before);
}

TEST_F(SqliteCommitWatchTest, EveryCommitOfTheGroupCommitChangesIt) {
  CommitStamp last = Now();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Insert(*db_, i).ok());
    const CommitStamp now = Now();
    EXPECT_FALSE(now == last) << "commit " << i;
    last = now;
  }
}

TEST_F(SqliteCommitWatchTest, ACommitOfAnotherConnectionChangesIt) {
  const CommitStamp before = Now();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(other, "INSERT INTO notes VALUES (7)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close_v2(other);
  EXPECT_FALSE(Now() == before);
}

TEST_F(SqliteCommitWatchTest, ACommitOfAnotherProcessChangesIt) {
  ASSERT_TRUE(Insert(*db_, 1).ok());
  const CommitStamp before = Now();
  // The sqlite3 shell (a test package) as the other process; its exit status is checked.
  const std::string command = "sqlite3 '" + path_ + "' 'INSERT INTO notes VALUES (8)'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_FALSE(Now() == before);
  EXPECT_EQ(Count(*db_), 2);
}

TEST_F(SqliteCommitWatchTest, AWriteThatFailsLeavesItAsItWas) {
  ASSERT_TRUE(Insert(*db_, 1).ok());
  const CommitStamp before = Now();
  Status failed = db_->Write([](SqlConnection& connection) -> Status {
    CS_RETURN_IF_ERROR(connection.Exec("INSERT INTO notes VALUES (9)"));
    return Internal("changed its mind");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(Now(), before);
  EXPECT_EQ(Count(*db_), 1);
}

TEST(SqliteCommitWatchStoresTest, FileStoresHaveOneAndInMemoryStoresNone) {
  ScratchDir dir;
  StatusOr<Stores> file = OpenSqliteStores(dir.path() + "/countersign.db", 2);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_NE(file->commit_watch, nullptr);
  StatusOr<Stores> memory = OpenSqliteStores(":memory:", 2);
  ASSERT_TRUE(memory.ok()) << memory.status().ToString();
  EXPECT_EQ(memory->commit_watch, nullptr);
}

TEST(SqliteCommitWatchOpenTest, ADatabaseNotInWalModeIsRefused) {
  ScratchDir dir;
  const std::string path = dir.path() + "/rollback.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x INT)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close_v2(db);
  StatusOr<std::unique_ptr<SqliteCommitWatch>> watch = SqliteCommitWatch::Open(path);
  EXPECT_FALSE(watch.ok());
}

}  // namespace
}  // namespace countersign::testing_store
