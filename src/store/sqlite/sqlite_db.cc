#include "store/sqlite/sqlite_db.h"

#include <atomic>
#include <utility>

#include "store/sqlite/sqlite_migrations.h"

namespace countersign {
namespace {

// ":memory:" becomes a uniquely named database of SQLite's "memdb" VFS: every connection that
// opens the same name shares it, it lives while one of them is open, and unlike a
// shared-cache database it uses ordinary locking, so the busy timeout applies to concurrent
// writers instead of failing them at once with SQLITE_LOCKED.
std::string DatabaseUri(const std::string& path) {
  if (path != ":memory:") return path;  // a plain file name (or an explicit "file:" URI)
  static std::atomic<uint64_t> counter{0};
  return "file:/cs_mem_" + std::to_string(++counter) + "?vfs=memdb";
}

}  // namespace

StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int pool_size,
                                                   const std::vector<EmbeddedFile>& migrations) {
  if (pool_size < 1) return InvalidArgument("pool_size must be at least 1", "pool_size");
  if (path.empty()) return InvalidArgument("database path is empty", "path");
  std::string uri = DatabaseUri(path);
  std::unique_ptr<SqliteDb> db(new SqliteDb());
  const bool file = uri == path;  // not an in-memory database (no WAL)
  const std::string backstop =
      "PRAGMA wal_autocheckpoint = " + std::to_string(kWriterCheckpointPages);
  // The first pooled connection sets the database up: WAL mode (persistent for a file; an
  // in-memory database keeps its own journal mode) and the migrations, whose transactions may
  // be larger than memory (the writer below never spills its pages).
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> setup, SqliteConnection::Open(uri));
  CS_RETURN_IF_ERROR(setup->Exec("PRAGMA journal_mode = WAL"));
  CS_RETURN_IF_ERROR(ApplySqliteMigrations(*setup, migrations));
  if (file) CS_RETURN_IF_ERROR(setup->Exec(backstop));
  db->pool_.Add(std::move(setup));
  // The group commit's connection, which makes every write: its WAL writes are buffered.
  CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> writer,
                      SqliteConnection::Open(uri, /*buffer_wal_writes=*/file));
  if (file) CS_RETURN_IF_ERROR(writer->Exec(backstop));
  CS_RETURN_IF_ERROR(writer->Exec("PRAGMA cache_size = " + std::to_string(kWriterCacheKib)));
  db->group_commit_ = std::make_unique<SqliteGroupCommit>(std::move(writer), kMaxWriteBatch);
  for (int i = 1; i < pool_size; ++i) {
    CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> connection, SqliteConnection::Open(uri));
    if (file) CS_RETURN_IF_ERROR(connection->Exec(backstop));
    db->pool_.Add(std::move(connection));
  }
  if (file) {
    CS_ASSIGN_OR_RETURN(std::unique_ptr<SqliteConnection> own, SqliteConnection::Open(uri));
    db->checkpointer_ = std::make_unique<SqliteCheckpointer>(std::move(own), kCheckpointInterval);
  }
  return db;
}

Status SqliteDb::RunRead(const Body& body) {
  SqlPool<SqliteConnection>::Lease lease(pool_);
  return body(*lease);
}

Status SqliteDb::RunWrite(const Body& body) { return group_commit_->Run(body); }

void SqliteDb::RunWriteAsync(Body body, std::function<void(Status)> done) {
  group_commit_->Submit(std::move(body), std::move(done));
}

}  // namespace countersign
