// Tests of the WAL checkpointer (SqliteCheckpointer): committed pages reach the database file
// without any writer checkpointing, and the writers' own checkpoint is only a far backstop.
#include "store/sqlite/sqlite_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_db.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

constexpr int kRows = 256;  // of 8 KiB: 2 MiB, far below the writers' backstop of 64 MiB

uintmax_t FileSize(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

// Polls until the database file holds at least `bytes` (5 s at most).
bool WaitForFileSize(const std::string& path, uintmax_t bytes) {
  for (int i = 0; i < 500 && FileSize(path) < bytes; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return FileSize(path) >= bytes;
}

Status InsertBlobs(SqlDatabase& db) {
  for (int i = 0; i < kRows; ++i) {
    CS_RETURN_IF_ERROR(db.Write([](SqlConnection& connection) -> Status {
      CS_ASSIGN_OR_RETURN(SqlStatement insert,
                          connection.Prepare("INSERT INTO blobs (data) VALUES (randomblob(8192))"));
      return insert.Run();
    }));
  }
  return Status::Ok();
}

TEST(SqliteCheckpointerTest, CommittedPagesReachTheDatabaseFileWithoutAWriterCheckpoint) {
  ScratchDir dir;
  const std::string path = dir.path() + "/data.db";
  static const std::vector<EmbeddedFile> kMigrations = {
      {"0001_blobs.sql", "CREATE TABLE blobs (data BLOB);"}};
  StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, 2, kMigrations);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(InsertBlobs(**db).ok());
  // The writers checkpoint only past the backstop, which 2 MiB does not reach: the pages get
  // into the file through the checkpointer's thread.
  StatusOr<int64_t> backstop = (*db)->Read([](SqlConnection& connection) -> StatusOr<int64_t> {
    CS_ASSIGN_OR_RETURN(SqlStatement pragma, connection.Prepare("PRAGMA wal_autocheckpoint"));
    CS_ASSIGN_OR_RETURN(bool row, pragma.Step());
    if (!row) return Internal("PRAGMA wal_autocheckpoint gave no row");
    return pragma.Int(0);
  });
  ASSERT_TRUE(backstop.ok()) << backstop.status().ToString();
  EXPECT_EQ(*backstop, SqliteDb::kWriterCheckpointPages);
  EXPECT_TRUE(WaitForFileSize(path, kRows * 8192u))
      << "database file " << FileSize(path) << " bytes, WAL " << FileSize(path + "-wal");
}

TEST(SqliteCheckpointerTest, CheckpointNowCopiesTheWalIntoTheFile) {
  ScratchDir dir;
  const std::string path = dir.path() + "/data.db";
  StatusOr<std::unique_ptr<SqliteConnection>> writer = SqliteConnection::Open(path);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  ASSERT_TRUE((*writer)
                  ->Exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
                         "CREATE TABLE blobs (data BLOB);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 256) INSERT INTO blobs SELECT randomblob(8192) FROM n")
                  .ok());
  ASSERT_LT(FileSize(path), kRows * 8192u);  // all of it is in the WAL
  StatusOr<std::unique_ptr<SqliteConnection>> own = SqliteConnection::Open(path);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  // An interval far beyond the test: only CheckpointNow copies.
  SqliteCheckpointer checkpointer(std::move(*own), std::chrono::hours(1));
  ASSERT_TRUE(checkpointer.CheckpointNow().ok());
  EXPECT_GE(FileSize(path), kRows * 8192u);
}

}  // namespace
}  // namespace countersign::testing_store
