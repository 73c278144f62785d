#include "files/file_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/crypto.h"
#include "core/sha256_stream.h"

namespace countersign {

namespace {

constexpr size_t kChunk = 64 * 1024;
// What Put hashes and then writes at a time: small enough to still be in cache when written.
constexpr size_t kWriteChunk = 256 * 1024;

Status Errno(const std::string& what, const std::string& path, int err) {
  return Internal(what + " " + path + ": " + std::strerror(err));
}

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  int get() const { return fd_; }
  // Gives up the descriptor without closing it.
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  // Closes now and reports close(2)'s result (0 or -1 with errno set).
  int Close() {
    int rc = close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

bool IsHexSha256(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Makes `path` a folder; `created` tells whether it did not exist before.
Status MakeDir(const std::string& path, bool* created) {
  *created = false;
  if (mkdir(path.c_str(), 0700) == 0) {
    *created = true;
    return Status::Ok();
  }
  if (errno == EEXIST) return Status::Ok();
  return Errno("Cannot create folder", path, errno);
}

Status SyncDir(const std::string& path) {
  Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Errno("Cannot open folder", path, errno);
  if (fsync(fd.get()) != 0) return Errno("Cannot fsync folder", path, errno);
  return Status::Ok();
}

Status WriteAll(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("Cannot write", path, errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

StatusOr<std::unique_ptr<FileBlobStore>> FileBlobStore::Open(const std::string& root) {
  CS_RETURN_IF_ERROR(InitCrypto());
  if (root.empty()) return Internal("The blob store folder is not set");
  std::string clean = root;
  while (clean.size() > 1 && clean.back() == '/') clean.pop_back();
  bool created = false;
  CS_RETURN_IF_ERROR(MakeDir(clean, &created));
  CS_RETURN_IF_ERROR(MakeDir(clean + "/tmp", &created));
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(clean));
}

std::string FileBlobStore::FinalPath(const std::string& sha256) const {
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256.substr(2, 2) + "/" + sha256;
}

std::string FileBlobStore::NewTempPath() { return root_ + "/tmp/" + RandomHex(16); }

Status FileBlobStore::Commit(const std::string& temp_path, const std::string& sha256) {
  std::string final_path = FinalPath(sha256);
  if (Exists(final_path)) {
    unlink(temp_path.c_str());
    return Status::Ok();
  }
  std::string dir1 = root_ + "/" + sha256.substr(0, 2);
  std::string dir2 = dir1 + "/" + sha256.substr(2, 2);
  bool created1 = false, created2 = false;
  Status st = MakeDir(dir1, &created1);
  if (st.ok()) st = MakeDir(dir2, &created2);
  // A concurrent writer of the same content may win the rename; both files hold the same
  // bytes, so replacing one with the other is harmless.
  if (st.ok() && rename(temp_path.c_str(), final_path.c_str()) != 0) {
    st = Errno("Cannot rename blob to", final_path, errno);
  }
  if (!st.ok()) {
    unlink(temp_path.c_str());
    return st;
  }
  if (created1) CS_RETURN_IF_ERROR(SyncDir(root_));
  if (created2) CS_RETURN_IF_ERROR(SyncDir(dir1));
  return SyncDir(dir2);
}

Status FileBlobStore::Keep(int temp_fd, const std::string& temp_path, const std::string& sha256,
                           Status written) {
  Fd fd(temp_fd);
  if (written.ok() && Exists(FinalPath(sha256))) {
    unlink(temp_path.c_str());
    return Status::Ok();
  }
  Status st = std::move(written);
  if (st.ok() && fsync(fd.get()) != 0) st = Errno("Cannot fsync", temp_path, errno);
  if (st.ok() && fd.Close() != 0) st = Errno("Cannot close", temp_path, errno);
  if (!st.ok()) {
    unlink(temp_path.c_str());
    return st;
  }
  return Commit(temp_path, sha256);
}

StatusOr<BlobInfo> FileBlobStore::Put(std::string_view data) {
  // One pass: each chunk is hashed while it is in cache, then written. Content already stored
  // costs the write but not the fsync.
  std::string temp_path = NewTempPath();
  Fd fd(open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return Errno("Cannot create", temp_path, errno);
  Sha256Stream hash;
  Status st;
  for (size_t at = 0; at < data.size() && st.ok(); at += kWriteChunk) {
    std::string_view chunk = data.substr(at, kWriteChunk);
    hash.Update(chunk);
    st = WriteAll(fd.get(), chunk.data(), chunk.size(), temp_path);
  }
  BlobInfo info;
  info.sha256 = hash.HexDigest();
  info.size = static_cast<int64_t>(data.size());
  CS_RETURN_IF_ERROR(Keep(fd.Release(), temp_path, info.sha256, st));
  return info;
}

StatusOr<BlobInfo> FileBlobStore::PutFile(const std::string& temp_path) {
  // Read-write so that fsync also works on file systems that refuse it on read-only fds.
  Fd fd(open(temp_path.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) {
    Status st = Errno("Cannot open", temp_path, errno);
    unlink(temp_path.c_str());
    return st;
  }
  Sha256Stream hash;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  int64_t size = 0;
  Status st;
  for (;;) {
    ssize_t n = read(fd.get(), buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      st = Errno("Cannot read", temp_path, errno);
      break;
    }
    if (n == 0) break;
    hash.Update(std::string_view(buf.get(), static_cast<size_t>(n)));
    size += n;
  }
  BlobInfo info;
  info.sha256 = hash.HexDigest();
  info.size = size;
  CS_RETURN_IF_ERROR(Keep(fd.Release(), temp_path, info.sha256, st));
  return info;
}

StatusOr<std::string> FileBlobStore::PathOf(const std::string& sha256) {
  if (!IsHexSha256(sha256)) return NotFound("No such file.");
  std::string path = FinalPath(sha256);
  if (!Exists(path)) return NotFound("No such file.");
  return path;
}

StatusOr<std::string> FileBlobStore::Read(const std::string& sha256) {
  if (!IsHexSha256(sha256)) return NotFound("No such file.");
  std::string path = FinalPath(sha256);
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound("No such file.");
    return Errno("Cannot open", path, errno);
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Errno("Cannot stat", path, errno);
  std::string data;
  data.reserve(static_cast<size_t>(st.st_size));
  std::unique_ptr<char[]> buf(new char[kChunk]);
  for (;;) {
    ssize_t n = read(fd.get(), buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("Cannot read", path, errno);
    }
    if (n == 0) break;
    data.append(buf.get(), static_cast<size_t>(n));
  }
  return data;
}

}  // namespace countersign
