// `countersign backup --to FILE` and `countersign restore --from FILE [--force]` (issue 17;
// docs/backup.md). A backup is one SQLite Archive file (store/sqlite/sqlite_archive.h) holding
//   countersign.db  the database, copied with SQLite's online backup API (consistent while the
//                   server keeps serving),
//   secret.key      the server key (sealed API keys, event callback signatures),
//   files/...       the documents, copied after the database, so every document the copied
//                   database names is in it (documents are written before their rows and
//                   never changed).
// Restore unpacks it into a data folder (and the --files-dir / --secret-key-file the command
// names) that must be empty or absent, unless --force. For PostgreSQL both commands refuse and
// point at pg_dump / pg_restore (the docs). Run restore with the server stopped.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "app/config.h"
#include "core/status.h"

namespace countersign {

// The two subcommands as added to the command line, and what they were given.
struct BackupCommands {
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  std::string file;  // --to / --from
  bool force = false;
};

// Adds `backup` and `restore` to `cli`; `add_common` adds the storage options (--data-dir,
// --database, --files-dir, --secret-key-file) bound to the shared Config. The result must
// outlive parsing.
std::unique_ptr<BackupCommands> AddBackupCommands(CLI::App& cli,
                                                  const std::function<void(CLI::App*)>& add_common);

// After parsing: runs whichever of the two was given and returns the exit code (0, or 1 with
// the error on stderr); nullopt when neither was given.
std::optional<int> RunBackupCommands(const BackupCommands& commands, const Config& config);

// Writes the backup of the instance `config` names to the new file `to` (through
// "<to>.partial", renamed when complete). kConflict when `to` exists; kInvalidArgument for
// PostgreSQL; kNotFound when there is no database yet.
Status RunBackup(const Config& config, const std::string& to);

// Restores the backup `from` into config.data_dir (the database), FilesDir(config) and
// SecretKeyPath(config). kConflict when the data folder is not empty and `force` is false;
// kInvalidArgument for PostgreSQL, a file that is not a Countersign backup, or an unsafe entry
// name (absolute, "..", anything but countersign.db, secret.key and files/<sha path>).
Status RunRestore(const Config& config, const std::string& from, bool force);

}  // namespace countersign
