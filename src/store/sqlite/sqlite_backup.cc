#include "store/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "store/sqlite/sqlite_connection.h"

namespace countersign {

namespace {

struct Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close_v2(db); }
};

}  // namespace

Status BackupSqliteFile(const std::string& source_path, const std::string& dest_path,
                        int busy_seconds) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source_path, ec)) {
    return Status(Code::kNotFound, "No SQLite database at " + source_path);
  }
  if (std::filesystem::exists(dest_path, ec)) {
    return Status(Code::kConflict, dest_path + " already exists");
  }
  Handle source, dest;
  // Read-write without create: a WAL database needs its -shm writable, even to read.
  int rc = sqlite3_open_v2(source_path.c_str(), &source.db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(source.db, rc, "open " + source_path);
  sqlite3_busy_timeout(source.db, 5000);
  rc = sqlite3_open_v2(dest_path.c_str(), &dest.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                       nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(dest.db, rc, "create " + dest_path);

  sqlite3_backup* backup = sqlite3_backup_init(dest.db, "main", source.db, "main");
  if (backup == nullptr) return SqliteStatus(dest.db, sqlite3_errcode(dest.db), "backup_init");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(busy_seconds);
  do {
    rc = sqlite3_backup_step(backup, -1);  // every page at once: one consistent snapshot
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } while ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           std::chrono::steady_clock::now() < deadline);
  const int finished = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    std::filesystem::remove(dest_path, ec);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      return Status(Code::kUnavailable, source_path + " stayed locked; try again");
    }
    return SqliteStatus(dest.db, rc, "backup_step");
  }
  if (finished != SQLITE_OK) return SqliteStatus(dest.db, finished, "backup_finish");
  char* error = nullptr;
  rc = sqlite3_exec(dest.db, "PRAGMA journal_mode = DELETE", nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return SqliteStatus(dest.db, rc, "journal_mode");
  return Status::Ok();
}

}  // namespace countersign
