// The WAL write-buffering VFS: a connection writing through it commits what other connections
// (of the default VFS, as the server's readers are) then read at once and in full, also when
// its transactions outgrow the buffer and its page cache spills to the WAL mid-transaction
// (reads of buffered frames, frames written again), and on a device without power-safe
// overwrite (commits padded after their sync); what it wrote survives reopening. A buffered
// SqliteConnection never spills, so a large transaction it rolls back leaves nothing to be
// written later over what another connection committed.
#include "store/sqlite/sqlite_wal_write_buffer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/sqlite_connection.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

class Db {
 public:
  Db(const std::string& path, const char* vfs) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    ok_ = sqlite3_open_v2(path.c_str(), &db_, flags, vfs) == SQLITE_OK;
  }
  ~Db() { sqlite3_close_v2(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  bool ok() const { return ok_; }
  sqlite3* handle() { return db_; }

  // Runs `sql`; "" when it succeeded, else SQLite's message.
  std::string Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK) return "";
    std::string message = error != nullptr ? error : "error";
    sqlite3_free(error);
    return message;
  }

  // The first column of the first row of `sql`, as text ("" when none).
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  std::string VfsName() {
    sqlite3_vfs* vfs = nullptr;
    sqlite3_file_control(db_, "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
    return vfs != nullptr ? vfs->zName : "";
  }

 private:
  sqlite3* db_ = nullptr;
  bool ok_ = false;
};

TEST(SqliteWalWriteBufferTest, OthersReadEveryCommitAtOnceAndInFull) {
  const char* name = SqliteWalWriteBufferVfs();
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(std::string(SqliteWalWriteBufferVfs()), name);  // registered once
  ScratchDir dir;
  const std::string path = dir.path() + "/wal.db";
  Db writer(path, name);
  ASSERT_TRUE(writer.ok());
  EXPECT_EQ(writer.VfsName(), name);
  ASSERT_EQ(writer.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                        "PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (k INTEGER PRIMARY KEY, "
                        "v TEXT NOT NULL); CREATE INDEX t_v ON t (v)"),
            "");
  Db reader(path, nullptr);
  ASSERT_TRUE(reader.ok());

  // Small transactions, each read by the other connection right after its commit.
  for (int i = 1; i <= 50; ++i) {
    ASSERT_EQ(writer.Exec("INSERT INTO t (k, v) VALUES (" + std::to_string(i) +
                          ", hex(randomblob(300)))"),
              "");
    ASSERT_EQ(reader.Text("SELECT count(*) FROM t"), std::to_string(i));
  }
  // One transaction of ~6 MB (more than the buffer holds) with a page cache of 8 pages: SQLite
  // spills pages to the WAL before the commit, reads them back and writes some again.
  ASSERT_EQ(writer.Exec("PRAGMA cache_size = 8; BEGIN; WITH RECURSIVE n(i) AS (SELECT 51 UNION "
                        "ALL SELECT i + 1 FROM n WHERE i < 3050) INSERT INTO t (k, v) SELECT i, "
                        "hex(randomblob(1000)) FROM n; UPDATE t SET v = v || 'x' WHERE k % 7 = 0; "
                        "COMMIT"),
            "");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "3050");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t WHERE v LIKE '%x'"), std::to_string(3050 / 7));
  EXPECT_EQ(reader.Text("PRAGMA integrity_check"), "ok");
  // A rolled-back transaction leaves nothing.
  ASSERT_EQ(writer.Exec("BEGIN; DELETE FROM t; ROLLBACK"), "");
  EXPECT_EQ(reader.Text("SELECT count(*) FROM t"), "3050");
}

TEST(SqliteWalWriteBufferTest, WhatItCommittedSurvivesReopeningWithTheDefaultVfs) {
  ScratchDir dir;
  const std::string path = dir.path() + "/wal.db";
  {
    Db writer(path, SqliteWalWriteBufferVfs());
    ASSERT_TRUE(writer.ok());
    ASSERT_EQ(writer.Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                          "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)"),
              "");
    for (int i = 0; i < 20; ++i) {
      ASSERT_EQ(writer.Exec("INSERT INTO t (v) VALUES (zeroblob(5000))"), "");
    }
    ASSERT_EQ(writer.Exec("INSERT INTO t (v) VALUES (x'01020304')"), "");
  }  // the last connection: SQLite checkpoints the WAL into the database file and removes it
  Db again(path, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.Text("SELECT count(*) FROM t"), "21");
  EXPECT_EQ(again.Text("SELECT sum(length(v)) FROM t"), "100004");
  EXPECT_EQ(again.Text("SELECT hex(v) FROM t WHERE k = 21"), "01020304");
  EXPECT_EQ(again.Text("PRAGMA integrity_check"), "ok");
}

TEST(SqliteWalWriteBufferTest, CommitsPaddedAfterTheirSyncAreReadInFull) {
  ScratchDir dir;
  // psow=0: SQLite pads each commit to a sector and writes the padding's tail after the sync.
  const std::string uri = "file:" + dir.path() + "/wal.db?psow=0";
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI;
  sqlite3* writer = nullptr;
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open_v2(uri.c_str(), &writer, flags, SqliteWalWriteBufferVfs()), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(writer,
                         "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t "
                         "(k INTEGER PRIMARY KEY, v TEXT)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_open_v2(uri.c_str(), &reader, flags, nullptr), SQLITE_OK);
  for (int i = 1; i <= 30; ++i) {
    const std::string insert =
        "INSERT INTO t (v) VALUES (hex(randomblob(" + std::to_string(100 * i) + ")))";
    ASSERT_EQ(sqlite3_exec(writer, insert.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_stmt* count = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(reader, "SELECT count(*) FROM t", -1, &count, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(count), SQLITE_ROW) << sqlite3_errmsg(reader);
    EXPECT_EQ(sqlite3_column_int(count, 0), i);
    sqlite3_finalize(count);
  }
  sqlite3_close_v2(reader);
  sqlite3_close_v2(writer);
}

TEST(SqliteWalWriteBufferTest, ARolledBackLargeTransactionLeavesNothingToWriteLater) {
  ScratchDir dir;
  const std::string path = dir.path() + "/wal.db";
  StatusOr<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(path, /*buffer_wal_writes=*/true);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  SqliteConnection& w = **writer;
  ASSERT_TRUE(w.Exec("PRAGMA journal_mode = WAL; CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); "
                     "CREATE TABLE u (k INTEGER PRIMARY KEY, v TEXT)")
                  .ok());
  StatusOr<std::unique_ptr<SqliteConnection>> other = SqliteConnection::Open(path);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)
                  ->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i "
                         "< 60) INSERT INTO u (k, v) SELECT i, 'a' FROM n")
                  .ok());
  // ~15 pages with a cache of 2: a connection that spilled them to the WAL would leave them
  // buffered (less than one part), at the offsets the next commit uses.
  ASSERT_TRUE(w.Exec("PRAGMA cache_size = 2; BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                     "SELECT i + 1 FROM n WHERE i < 30) INSERT INTO t (k, v) SELECT i, "
                     "hex(randomblob(1000)) FROM n; ROLLBACK")
                  .ok());
  // Another connection commits frames where the rolled-back ones would have gone; then the
  // buffered connection commits again.
  ASSERT_TRUE((*other)->Exec("UPDATE u SET v = hex(randomblob(500))").ok());
  ASSERT_TRUE(w.Exec("INSERT INTO t (k, v) VALUES (1, 'x')").ok());
  Db check(path, nullptr);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(check.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(check.Text("SELECT count(*) FROM u WHERE length(v) = 1000"), "60");
  EXPECT_EQ(check.Text("SELECT count(*) FROM t"), "1");
}

}  // namespace
}  // namespace countersign::testing_store
