#include "store/sqlite/sqlite_checkpointer.h"

#include <sqlite3.h>

#include <utility>

#include "core/log.h"

namespace countersign {

SqliteCheckpointer::SqliteCheckpointer(std::unique_ptr<SqliteConnection> connection,
                                       std::chrono::milliseconds interval)
    : connection_(std::move(connection)), worker_({"checkpoint", 1, interval}, [this] {
        Status status = CheckpointNow();
        if (!status.ok()) log::Warn("sqlite", "checkpoint failed", {{"error", status.message()}});
        return 0;  // then wait for the next interval
      }) {
  worker_.Start();
}

SqliteCheckpointer::~SqliteCheckpointer() { worker_.Stop(); }

Status SqliteCheckpointer::CheckpointNow() {
  std::lock_guard<std::mutex> lock(mu_);
  const int rc = sqlite3_wal_checkpoint_v2(connection_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           nullptr, nullptr);
  if (rc == SQLITE_OK || rc == SQLITE_BUSY) return Status::Ok();
  return SqliteStatus(connection_->raw(), rc, "wal_checkpoint");
}

}  // namespace countersign
