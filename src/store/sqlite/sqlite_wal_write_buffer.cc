#include "store/sqlite/sqlite_wal_write_buffer.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstring>
#include <new>
#include <vector>

namespace countersign {
namespace {

// Bytes gathered at most; a transaction that writes more hands them over in parts. The unix VFS
// writes at most 128 KiB - 1 per call (seekAndWriteFd masks the size with 0x1ffff) and reports
// SQLITE_FULL when a call writes less than asked, so no part may be larger.
constexpr size_t kCapacity = 0x1ffff;

// What this VFS's sqlite3_file holds: SQLite allocates szOsFile bytes and the base VFS's file
// follows this header.
struct BufferedFile {
  sqlite3_file file;  // first: its pMethods is kMethods
  sqlite3_file* real;
  std::vector<char>* bytes;  // gathered, not handed over yet
  sqlite3_int64 start;       // the file offset of bytes[0]
};

constexpr size_t kHeader = (sizeof(BufferedFile) + 7) & ~size_t{7};

BufferedFile* Of(sqlite3_file* file) { return reinterpret_cast<BufferedFile*>(file); }
sqlite3_file* Real(sqlite3_file* file) { return Of(file)->real; }

int Flush(BufferedFile* f) {
  if (f->bytes->empty()) return SQLITE_OK;
  const int rc = f->real->pMethods->xWrite(f->real, f->bytes->data(),
                                           static_cast<int>(f->bytes->size()), f->start);
  f->bytes->clear();
  return rc;
}

// Drops what is still buffered: every commit handed its frames over at its sync, so anything
// left belongs to no commit and must not reach the file.
int Close(sqlite3_file* file) {
  BufferedFile* f = Of(file);
  const int closed = f->real->pMethods->xClose(f->real);
  delete f->bytes;
  f->bytes = nullptr;
  return closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  BufferedFile* f = Of(file);
  const auto end = f->start + static_cast<sqlite3_int64>(f->bytes->size());
  if (!f->bytes->empty() && offset < end && offset + amount > f->start) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

// On failure the buffer is dropped (Flush does so too): the transaction it belonged to fails,
// and its frames must not reach the file later, over frames another process committed since.
int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  BufferedFile* f = Of(file);
  std::vector<char>& bytes = *f->bytes;
  const bool continues =
      !bytes.empty() && offset == f->start + static_cast<sqlite3_int64>(bytes.size());
  if (!continues || bytes.size() + static_cast<size_t>(amount) > kCapacity) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
    if (static_cast<size_t>(amount) > kCapacity) {
      return f->real->pMethods->xWrite(f->real, data, amount, offset);
    }
    f->start = offset;
  }
  try {
    if (bytes.capacity() < kCapacity) bytes.reserve(kCapacity);
    const char* from = static_cast<const char*>(data);
    bytes.insert(bytes.end(), from, from + amount);
  } catch (const std::bad_alloc&) {
    bytes.clear();
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  if (int rc = Flush(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  if (int rc = Flush(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (int rc = Flush(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) { return Real(file)->pMethods->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) {
  return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* out) {
  return Real(file)->pMethods->xCheckReservedLock(Real(file), out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
  return Real(file)->pMethods->xFileControl(Real(file), op, arg);
}
int SectorSize(sqlite3_file* file) { return Real(file)->pMethods->xSectorSize(Real(file)); }
int DeviceCharacteristics(sqlite3_file* file) {
  return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
int ShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return Real(file)->pMethods->xShmMap(Real(file), region, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return Real(file)->pMethods->xShmLock(Real(file), offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Real(file)->pMethods->xShmBarrier(Real(file)); }
int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  if (int rc = Flush(Of(file)); rc != SQLITE_OK) return rc;
  return Real(file)->pMethods->xFetch(Real(file), offset, amount, out);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return Real(file)->pMethods->xUnfetch(Real(file), offset, p);
}

constexpr sqlite3_io_methods MethodsOfVersion(int version) {
  return {version,
          Close,
          Read,
          Write,
          Truncate,
          Sync,
          FileSize,
          Lock,
          Unlock,
          CheckReservedLock,
          FileControl,
          SectorSize,
          DeviceCharacteristics,
          ShmMap,
          ShmLock,
          ShmBarrier,
          ShmUnmap,
          Fetch,
          Unfetch};
}
const sqlite3_io_methods kMethods[4] = {MethodsOfVersion(1), MethodsOfVersion(1),
                                        MethodsOfVersion(2), MethodsOfVersion(3)};

// The base VFS, and this one (its pAppData is the base).
sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Not a WAL file: the base VFS's file, in the room SQLite allocated (szOsFile covers it).
    return base->xOpen(base, name, file, flags, out_flags);
  }
  // SQLite pads each commit to a sector boundary, writing the padding's tail after the commit's
  // sync, when the database file lacks power-safe overwrite: with `psow=0` in its URI (which
  // the WAL's name carries), as the unix VFS decides it on Linux. Such a WAL is not buffered.
  if (!sqlite3_uri_boolean(name, "psow", 1)) {
    return base->xOpen(base, name, file, flags, out_flags);
  }
  BufferedFile* f = Of(file);
  std::memset(f, 0, sizeof(BufferedFile));
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kHeader);
  const int rc = base->xOpen(base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == nullptr) return rc;
  f->bytes = new (std::nothrow) std::vector<char>();
  if (f->bytes == nullptr) {
    f->real->pMethods->xClose(f->real);
    return SQLITE_NOMEM;
  }
  // Methods of the same version as the base file's (v2 added the xShm*, v3 xFetch/xUnfetch).
  const int version = f->real->pMethods->iVersion;
  file->pMethods = &kMethods[version < 1 ? 1 : (version > 3 ? 3 : version)];
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int n, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, n, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }
void DlError(sqlite3_vfs* vfs, int n, char* out) { Base(vfs)->xDlError(Base(vfs), n, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int n, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), n, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int n, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), n, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}

}  // namespace

const char* SqliteWalWriteBufferVfs() {
  static constexpr char kName[] = "countersign-wal-buffer";
  static const char* const registered = []() -> const char* {
    if (sqlite3_initialize() != SQLITE_OK) return nullptr;
    // A build whose files lack power-safe overwrite by default pads every commit after its sync.
    if (sqlite3_compileoption_used("POWERSAFE_OVERWRITE=0")) return nullptr;
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (base == nullptr || base->iVersion < 2) return nullptr;
    static sqlite3_vfs vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(kHeader) + base->szOsFile;
    vfs.mxPathname = base->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = base;
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) return nullptr;
    return kName;
  }();
  return registered;
}

}  // namespace countersign
