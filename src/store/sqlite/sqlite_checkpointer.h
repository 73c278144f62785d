// SqliteCheckpointer: copies committed WAL frames into the database file on a thread and
// connection of its own (a PASSIVE checkpoint every `interval`), so the connection that commits
// (the group commit's) does not stop to do it after its COMMIT. By default SQLite checkpoints
// on the committing connection whenever the WAL passes 1,000 pages: a write of those pages and
// an fsync of the database file while every waiting writer waits too.
//
// PASSIVE never blocks writers or readers: it copies what no reader still needs. Under
// unbroken write load it can trail the writer, so the writer keeps a backstop
// (SqliteDb: `wal_autocheckpoint` of kWriterCheckpointPages), after which its own checkpoint
// finds most frames copied already. Durability is SQLite's: a checkpoint syncs the WAL before
// copying and, with synchronous = FULL, the database file after.
//
// Thread-safe. The destructor stops the thread (a checkpoint in progress finishes first).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "core/background_worker.h"
#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

class SqliteCheckpointer {
 public:
  // Starts checkpointing through `connection` (its own; never used by anything else).
  SqliteCheckpointer(std::unique_ptr<SqliteConnection> connection,
                     std::chrono::milliseconds interval);
  ~SqliteCheckpointer();
  SqliteCheckpointer(const SqliteCheckpointer&) = delete;
  SqliteCheckpointer& operator=(const SqliteCheckpointer&) = delete;

  // One PASSIVE checkpoint now, on the calling thread. OK when another checkpoint was running
  // (SQLITE_BUSY: that one does the work); kInternal for other errors.
  Status CheckpointNow();

 private:
  std::mutex mu_;  // one checkpoint at a time through connection_
  std::unique_ptr<SqliteConnection> connection_;
  BackgroundWorker worker_;  // last: stopped before the connection goes
};

}  // namespace countersign
