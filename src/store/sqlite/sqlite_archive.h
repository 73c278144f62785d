// A SQLite Archive ("sqlar", https://sqlite.org/sqlar.html): many files in one SQLite database,
// table sqlar(name, mode, mtime, sz, data). Countersign's backups use it (app/backup_command.h),
// so a backup can be listed and unpacked with the stock tool too (`sqlite3 FILE -Atv`, `-Ax`).
// Entries are stored uncompressed (sz equals the data's length, which the format allows); files
// are streamed in and out through SQLite's incremental blob I/O, so a large document is never
// held in memory. Thread-compatible: one thread uses a writer at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"

namespace countersign {

struct ArchiveEntry {
  std::string name;  // relative path inside the archive, '/'-separated
  int mode = 0644;   // permission bits
  int64_t size = 0;
};

class SqliteArchiveWriter {
 public:
  // Creates the archive at `path` (kConflict when it exists) and opens its one transaction.
  static StatusOr<std::unique_ptr<SqliteArchiveWriter>> Create(const std::string& path);
  ~SqliteArchiveWriter();  // without Commit(): rolls back and removes the file
  SqliteArchiveWriter(const SqliteArchiveWriter&) = delete;
  SqliteArchiveWriter& operator=(const SqliteArchiveWriter&) = delete;

  // Adds the regular file `source_path` as entry `name` with permission bits `mode`.
  // kConflict for a name already added; kInternal for I/O errors.
  Status AddFile(const std::string& name, const std::string& source_path, int mode);
  // Commits the transaction and closes the file (fsynced by SQLite's commit).
  Status Commit();

 private:
  SqliteArchiveWriter(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  bool committed_ = false;
};

// Calls `destination(entry)` for every entry of the archive at `path`, in name order; it
// returns the file path to write the entry to, "" to skip it, or an error that stops the
// extraction. Each entry is written to "<dest>.restoring" then renamed over <dest>, with its
// mode. kInvalidArgument when `path` is not such an archive or an entry is compressed.
Status ExtractSqliteArchive(
    const std::string& path,
    const std::function<StatusOr<std::string>(const ArchiveEntry&)>& destination);

}  // namespace countersign
