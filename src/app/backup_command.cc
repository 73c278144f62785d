#include "app/backup_command.h"

#include <filesystem>
#include <iostream>

#include "app/storage_config.h"
#include "store/postgres/postgres_stores.h"
#include "store/sqlite/sqlite_archive.h"
#include "store/sqlite/sqlite_backup.h"

namespace countersign {

namespace fs = std::filesystem;

namespace {

constexpr char kDatabaseEntry[] = "countersign.db";
constexpr char kKeyEntry[] = "secret.key";
constexpr char kFilesPrefix[] = "files/";

Status RefusePostgres(const Config& config, const char* what) {
  if (!IsPostgresUrl(config.database)) return Status::Ok();
  return InvalidArgument(std::string(what) +
                         " copies SQLite installations; for PostgreSQL use pg_dump and "
                         "pg_restore, and keep the files folder and the key file "
                         "(docs/backup.md)");
}

std::string DatabasePath(const Config& config) {
  return config.database.empty() ? (fs::path(config.data_dir) / kDatabaseEntry).string()
                                 : config.database;
}

// A files/ entry name is a relative path of plain components (the blob store's
// "ab/cd/<sha256>"): no "..", ".", empty or absolute parts.
bool SafeRelative(const std::string& rel) {
  if (rel.empty() || rel.front() == '/') return false;
  for (const auto& part : fs::path(rel)) {
    const std::string p = part.string();
    if (p.empty() || p == "." || p == ".." || p == "/") return false;
  }
  return true;
}

Status AddFilesFolder(SqliteArchiveWriter& archive, const std::string& files_dir) {
  std::error_code ec;
  if (!fs::is_directory(files_dir, ec)) return Status::Ok();  // no document stored yet
  for (auto it = fs::recursive_directory_iterator(files_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::path rel = fs::relative(it->path(), files_dir);
    if (rel.begin() != rel.end() && *rel.begin() == "tmp") {  // uploads in progress
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    CS_RETURN_IF_ERROR(archive.AddFile(kFilesPrefix + rel.generic_string(), it->path(), 0600));
  }
  if (ec) return Status(Code::kInternal, "Cannot list " + files_dir + ": " + ec.message());
  return Status::Ok();
}

bool EmptyOrAbsent(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

}  // namespace

Status RunBackup(const Config& config, const std::string& to) {
  CS_RETURN_IF_ERROR(RefusePostgres(config, "countersign backup"));
  std::error_code ec;
  if (fs::exists(to, ec)) return Status(Code::kConflict, to + " already exists");
  const std::string partial = to + ".partial";
  const std::string snapshot = to + ".db-snapshot";
  fs::remove(partial, ec);
  fs::remove(snapshot, ec);
  // Database first: every document it names is already in the files folder.
  Status st = BackupSqliteFile(DatabasePath(config), snapshot);
  if (st.ok()) {
    StatusOr<std::unique_ptr<SqliteArchiveWriter>> archive = SqliteArchiveWriter::Create(partial);
    st = archive.status();
    if (st.ok()) st = (*archive)->AddFile(kDatabaseEntry, snapshot, 0600);
    const std::string key = SecretKeyPath(config);
    if (st.ok() && fs::exists(key, ec)) st = (*archive)->AddFile(kKeyEntry, key, 0600);
    if (st.ok()) st = AddFilesFolder(**archive, FilesDir(config));
    if (st.ok()) st = (*archive)->Commit();
  }
  fs::remove(snapshot, ec);
  if (st.ok()) {
    fs::rename(partial, to, ec);
    if (ec) st = Status(Code::kInternal, "Cannot rename " + partial + ": " + ec.message());
  }
  if (!st.ok()) fs::remove(partial, ec);
  return st;
}

Status RunRestore(const Config& config, const std::string& from, bool force) {
  CS_RETURN_IF_ERROR(RefusePostgres(config, "countersign restore"));
  if (!force && !EmptyOrAbsent(config.data_dir)) {
    return Status(Code::kConflict, config.data_dir +
                                       " is not empty; restore into an empty data folder, or "
                                       "add --force to replace its database, key and files");
  }
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) return Status(Code::kInternal, "Cannot create " + config.data_dir + ": " + ec.message());
  fs::permissions(config.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  const std::string database = DatabasePath(config);
  const std::string files = FilesDir(config);
  bool saw_database = false;
  Status st = ExtractSqliteArchive(from, [&](const ArchiveEntry& e) -> StatusOr<std::string> {
    if (e.name == kDatabaseEntry) {
      saw_database = true;
      // A stale -wal of an older database would be applied to the restored one.
      for (const char* suffix : {"-wal", "-shm", "-journal"}) fs::remove(database + suffix, ec);
      return database;
    }
    if (e.name == kKeyEntry) return SecretKeyPath(config);
    const std::string prefix = kFilesPrefix;
    if (e.name.rfind(prefix, 0) == 0 && SafeRelative(e.name.substr(prefix.size()))) {
      return (fs::path(files) / e.name.substr(prefix.size())).string();
    }
    return InvalidArgument("Unexpected entry in the backup: " + e.name);
  });
  if (st.ok() && !saw_database) {
    st = InvalidArgument(from + " holds no countersign.db: not a Countersign backup");
  }
  return st;
}

std::unique_ptr<BackupCommands> AddBackupCommands(
    CLI::App& cli, const std::function<void(CLI::App*)>& add_common) {
  auto commands = std::make_unique<BackupCommands>();
  commands->backup = cli.add_subcommand(
      "backup",
      "Copy the database, the key file and the documents into one new file, while the server "
      "keeps serving (SQLite; for PostgreSQL see docs/backup.md)");
  add_common(commands->backup);
  commands->backup->add_option("--to", commands->file, "The backup file to create")->required();
  commands->restore = cli.add_subcommand(
      "restore",
      "Unpack a backup into a data folder (empty unless --force); run it with the server "
      "stopped");
  add_common(commands->restore);
  commands->restore->add_option("--from", commands->file, "The backup file")
      ->required()
      ->check(CLI::ExistingFile);
  commands->restore->add_flag("--force", commands->force,
                              "Replace the database, key and documents of a data folder that "
                              "is not empty");
  return commands;
}

std::optional<int> RunBackupCommands(const BackupCommands& commands, const Config& config) {
  Status st;
  std::string done;
  if (commands.backup->parsed()) {
    st = RunBackup(config, commands.file);
    done = "backed up to " + commands.file;
  } else if (commands.restore->parsed()) {
    st = RunRestore(config, commands.file, commands.force);
    done = "restored " + commands.file + " into " + config.data_dir;
  } else {
    return std::nullopt;
  }
  if (!st.ok()) {
    std::cerr << "countersign: " << st.message() << std::endl;
    return 1;
  }
  std::cout << done << std::endl;
  return 0;
}

}  // namespace countersign
