#include "store/sqlite/sqlite_archive.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <string_view>
#include <vector>

#include "core/durable_file.h"
#include "store/sqlite/sqlite_connection.h"

namespace countersign {

namespace {

constexpr size_t kChunk = 1 << 20;

Status Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(db, rc, sql);
}

struct Stmt {
  sqlite3_stmt* s = nullptr;
  ~Stmt() { sqlite3_finalize(s); }
};

struct Blob {
  sqlite3_blob* b = nullptr;
  ~Blob() { sqlite3_blob_close(b); }
};

struct File {
  FILE* f = nullptr;
  ~File() {
    if (f != nullptr) fclose(f);
  }
};

// Creates `folder` and the folders above it that are missing, and adds to `changed` every
// folder that gains an entry: those it creates, and the nearest one that was there.
Status MakeFolders(const std::filesystem::path& folder, std::set<std::string>& changed) {
  std::error_code ec;
  std::filesystem::path existing = folder;
  while (!existing.empty() && !std::filesystem::exists(existing, ec)) {
    existing = existing.parent_path();
  }
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status(Code::kInternal, "Cannot create " + folder.string() + ": " + ec.message());
  for (std::filesystem::path p = folder; !p.empty(); p = p.parent_path()) {
    changed.insert(p.string());
    if (p == existing || p == p.parent_path()) break;
  }
  return Status::Ok();
}

Status IoError(const std::string& what, const std::string& path) {
  return Status(Code::kInternal, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

StatusOr<std::unique_ptr<SqliteArchiveWriter>> SqliteArchiveWriter::Create(
    const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return Status(Code::kConflict, path + " already exists");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  std::unique_ptr<SqliteArchiveWriter> writer(new SqliteArchiveWriter(db, path));
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "create " + path);
  CS_RETURN_IF_ERROR(Exec(db,
                          "CREATE TABLE sqlar(name TEXT PRIMARY KEY, mode INT, mtime INT, "
                          "sz INT, data BLOB); BEGIN"));
  return writer;
}

SqliteArchiveWriter::~SqliteArchiveWriter() {
  sqlite3_close_v2(db_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::filesystem::remove(path_ + "-journal", ec);
  }
}

Status SqliteArchiveWriter::AddFile(const std::string& name, const std::string& source_path,
                                    int mode) {
  File in{fopen(source_path.c_str(), "rb")};
  if (in.f == nullptr) return IoError("Cannot open", source_path);
  struct stat st {};
  if (fstat(fileno(in.f), &st) != 0) return IoError("Cannot stat", source_path);
  const int64_t size = st.st_size;
  {
    Stmt insert;
    int rc = sqlite3_prepare_v2(db_,
                                "INSERT INTO sqlar(name, mode, mtime, sz, data) "
                                "VALUES (?1, ?2, ?3, ?4, zeroblob(?4))",
                                -1, &insert.s, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "prepare insert");
    sqlite3_bind_text(insert.s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(insert.s, 2, S_IFREG | (mode & 07777));
    sqlite3_bind_int64(insert.s, 3, static_cast<int64_t>(st.st_mtime));
    sqlite3_bind_int64(insert.s, 4, size);
    rc = sqlite3_step(insert.s);
    if (rc != SQLITE_DONE) return SqliteStatus(db_, rc, "add " + name);
  }
  Blob blob;
  int rc =
      sqlite3_blob_open(db_, "main", "sqlar", "data", sqlite3_last_insert_rowid(db_), 1, &blob.b);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "blob_open " + name);
  std::vector<char> buf(kChunk);
  int64_t offset = 0;
  while (offset < size) {
    size_t want = static_cast<size_t>(std::min<int64_t>(kChunk, size - offset));
    size_t got = fread(buf.data(), 1, want, in.f);
    if (got != want) return Status(Code::kInternal, source_path + " changed while being read");
    rc = sqlite3_blob_write(blob.b, buf.data(), static_cast<int>(got), static_cast<int>(offset));
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "blob_write " + name);
    offset += static_cast<int64_t>(got);
  }
  return Status::Ok();
}

Status SqliteArchiveWriter::Commit() {
  CS_RETURN_IF_ERROR(Exec(db_, "COMMIT"));
  committed_ = true;
  int rc = sqlite3_close_v2(db_);
  db_ = nullptr;
  return rc == SQLITE_OK ? Status::Ok() : SqliteStatus(nullptr, rc, "close " + path_);
}

Status ExtractSqliteArchive(
    const std::string& path,
    const std::function<StatusOr<std::string>(const ArchiveEntry&)>& destination) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(Code::kNotFound, "No backup file at " + path);
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close_v2);
  if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "open " + path);
  Stmt list;
  rc =
      sqlite3_prepare_v2(raw, "SELECT rowid, name, mode, sz, length(data) FROM sqlar ORDER BY name",
                         -1, &list.s, nullptr);
  if (rc != SQLITE_OK) {
    return InvalidArgument(path + " is not a Countersign backup (no sqlar table)");
  }
  std::vector<char> buf(kChunk);
  std::set<std::string> changed;  // folders whose entries the restore changes, synced at the end
  while ((rc = sqlite3_step(list.s)) == SQLITE_ROW) {
    ArchiveEntry entry;
    const int64_t rowid = sqlite3_column_int64(list.s, 0);
    entry.name = reinterpret_cast<const char*>(sqlite3_column_text(list.s, 1));
    entry.mode = sqlite3_column_int(list.s, 2) & 07777;
    entry.size = sqlite3_column_int64(list.s, 3);
    if (sqlite3_column_int64(list.s, 4) != entry.size) {
      return InvalidArgument(entry.name + " is compressed; countersign backup never writes that");
    }
    CS_ASSIGN_OR_RETURN(std::string dest, destination(entry));
    if (dest.empty()) continue;
    const std::filesystem::path folder = std::filesystem::path(dest).parent_path();
    CS_RETURN_IF_ERROR(MakeFolders(folder, changed));
    CS_ASSIGN_OR_RETURN(DurableFile out, DurableFile::Create(folder.string()));
    Blob blob;
    rc = sqlite3_blob_open(raw, "main", "sqlar", "data", rowid, 0, &blob.b);
    if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "blob_open " + entry.name);
    for (int64_t offset = 0; offset < entry.size;) {
      int n = static_cast<int>(std::min<int64_t>(kChunk, entry.size - offset));
      rc = sqlite3_blob_read(blob.b, buf.data(), n, static_cast<int>(offset));
      if (rc != SQLITE_OK) return SqliteStatus(raw, rc, "blob_read " + entry.name);
      CS_RETURN_IF_ERROR(out.Write(std::string_view(buf.data(), static_cast<size_t>(n))));
      offset += n;
    }
    CS_RETURN_IF_ERROR(out.SetMode(static_cast<unsigned>(entry.mode)));
    CS_RETURN_IF_ERROR(out.Publish(dest, DurableFile::Existing::kReplace));
  }
  if (rc != SQLITE_DONE) return SqliteStatus(raw, rc, "read " + path);
  for (const std::string& folder : changed) CS_RETURN_IF_ERROR(SyncFolder(folder));
  return Status::Ok();
}

}  // namespace countersign
