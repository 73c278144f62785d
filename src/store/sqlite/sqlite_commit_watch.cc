#include "store/sqlite/sqlite_commit_watch.h"

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <utility>

namespace countersign {
namespace {

// The WAL-index header (walformat.html): 12 native-order 32-bit words, stored twice (the copy
// at word 0 written last). Byte 12 is isInit; word 0 is the index format's version.
constexpr int kHeaderWords = 12;
constexpr uint32_t kIndexVersion = 3007000;
// The index is mapped in regions of 32 KiB (SQLite's WALINDEX_PGSZ); the header is in the first.
constexpr int kIndexRegionBytes = 32768;

}  // namespace

StatusOr<std::unique_ptr<SqliteCommitWatch>> SqliteCommitWatch::Open(const std::string& path) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, SqliteConnection::Open(path));
  std::string mode;
  {
    CS_ASSIGN_OR_RETURN(SqlStatement pragma, connection->Prepare("PRAGMA journal_mode"));
    CS_ASSIGN_OR_RETURN(bool row, pragma.Step());
    if (row) mode = pragma.Text(0);
  }
  if (mode != "wal") return Internal("sqlite: commit watch: journal mode is " + mode);
  // A read transaction, which makes SQLite open and map the WAL index.
  CS_RETURN_IF_ERROR(connection->Exec("SELECT count(*) FROM sqlite_schema"));
  sqlite3_file* file = nullptr;
  int rc = sqlite3_file_control(connection->raw(), "main", SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc != SQLITE_OK || file == nullptr || file->pMethods == nullptr ||
      file->pMethods->iVersion < 2 || file->pMethods->xShmMap == nullptr) {
    return Internal("sqlite: commit watch: no shared-memory WAL index");
  }
  // Region 0 is mapped already (the read above); with bExtend 0 this only returns it.
  volatile void* index = nullptr;
  rc = file->pMethods->xShmMap(file, 0, kIndexRegionBytes, 0, &index);
  if (rc != SQLITE_OK || index == nullptr) {
    return Internal("sqlite: commit watch: the WAL index is not mapped");
  }
  std::unique_ptr<SqliteCommitWatch> watch(
      new SqliteCommitWatch(std::move(connection), const_cast<const void*>(index)));
  std::optional<CommitStamp> now = watch->Current();
  if (now && now->words[0] != kIndexVersion) {
    return Internal("sqlite: commit watch: WAL index version " + std::to_string(now->words[0]));
  }
  return watch;
}

SqliteCommitWatch::SqliteCommitWatch(std::unique_ptr<SqliteConnection> connection,
                                     const void* index)
    : connection_(std::move(connection)), header_(static_cast<const uint32_t*>(index)) {}

std::optional<CommitStamp> SqliteCommitWatch::Current() const {
  // As SQLite's walIndexTryHdr: the first copy, a barrier, the second copy; the copies equal and
  // the checksum right, or a writer was mid-update. A writer writes the second copy, a barrier,
  // then the first (walIndexWriteHdr). The loads are atomic (relaxed) because the writer's are
  // plain stores to shared memory; the fences order them as SQLite's barriers do.
  CommitStamp first;
  CommitStamp second;
  for (int i = 0; i < kHeaderWords; ++i) {
    first.words[i] = __atomic_load_n(&header_[i], __ATOMIC_RELAXED);
  }
  std::atomic_thread_fence(std::memory_order_seq_cst);
  for (int i = 0; i < kHeaderWords; ++i) {
    second.words[i] = __atomic_load_n(&header_[kHeaderWords + i], __ATOMIC_RELAXED);
  }
  std::atomic_thread_fence(std::memory_order_acquire);
  if (!(first == second)) return std::nullopt;
  unsigned char flags[4];  // bytes 12-15: isInit, bigEndCksum, szPage
  std::memcpy(flags, &first.words[3], sizeof flags);
  if (flags[0] == 0) return std::nullopt;  // not initialised
  // SQLite's checksum of words 0-9 in native order (walChecksumBytes), kept in words 10-11.
  uint32_t s1 = 0;
  uint32_t s2 = 0;
  for (int i = 0; i < 10; i += 2) {
    s1 += first.words[i] + s2;
    s2 += first.words[i + 1] + s1;
  }
  if (s1 != first.words[10] || s2 != first.words[11]) return std::nullopt;
  return first;
}

}  // namespace countersign
