// Online backup of a SQLite database file (issue 17): sqlite3_backup_* copies every page in one
// step, inside one read transaction, so the copy is the consistent state of one moment even
// while a server keeps writing (WAL: readers do not block writers, and writers do not wait for
// the copy). Thread-compatible free function; opens its own connections.
#pragma once

#include <string>

#include "core/status.h"

namespace countersign {

// Copies the database at `source_path` (which must exist; opened without creating it) into the
// new file `dest_path`, which is left as one self-contained file (rollback journal mode, no
// -wal). kNotFound when the source does not exist, kConflict when `dest_path` exists,
// kUnavailable when the source stayed locked for `busy_seconds`, kInternal otherwise.
Status BackupSqliteFile(const std::string& source_path, const std::string& dest_path,
                        int busy_seconds = 30);

}  // namespace countersign
