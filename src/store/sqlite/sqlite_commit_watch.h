// SqliteCommitWatch: CommitWatch over a SQLite database in WAL mode, read from the database's
// WAL index (the "-shm" file every connection of every process maps). SQLite publishes each
// commit by rewriting the index's 48-byte header, after the commit's frames are in the WAL and
// before any reader can see them; a checkpoint that restarts the WAL rewrites it too. The header
// counts commits (iChange) and holds the last frame, the salts and a checksum, so equal headers
// mean no commit in between. It is read as SQLite's own readers read it without a lock (its two
// copies compared and its checksum checked: a writer mid-update fails one of them), following the
// WAL-index format SQLite documents and keeps across versions (walformat.html, "WAL-Index Header").
//
// Thread-safe: Current() only reads the shared mapping, which stays valid while the watch's own
// connection is open (for the watch's lifetime).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/commit_watch.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

class SqliteCommitWatch final : public CommitWatch {
 public:
  // Opens a connection of its own to the database file `path` (already in WAL mode, as
  // SqliteDb leaves it), reads once so that SQLite maps the WAL index, and keeps that mapping.
  // kInternal when the database is not in WAL mode or its VFS has no shared-memory
  // index (an in-memory database, a heap-memory WAL index); database errors as they come.
  static StatusOr<std::unique_ptr<SqliteCommitWatch>> Open(const std::string& path);

  std::optional<CommitStamp> Current() const override;

 private:
  SqliteCommitWatch(std::unique_ptr<SqliteConnection> connection, const void* index);

  std::unique_ptr<SqliteConnection> connection_;  // keeps the mapping; runs no statement
  const uint32_t* header_;                        // the WAL index's two header copies
};

}  // namespace countersign
