#include "core/durable_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

namespace countersign {

namespace {

// Direct I/O wants the memory, the file offset and the length aligned to the device's logical
// block; 4096 covers 512- and 4096-byte devices.
constexpr size_t kBlock = 4096;
// kDirect: written to disk each time it fills. Each direct write waits for the device, so a
// 1 MB document goes in one request rather than four of 256 KiB (bench/RESULTS.md).
constexpr size_t kBufferBytes = 1024 * 1024;

// Whether an unnamed file can later be linked through /proc/self/fd (linkat with AT_EMPTY_PATH
// would need CAP_DAC_READ_SEARCH). A property of the environment, probed once.
bool CanLinkUnnamedFiles() {
  static const bool can = access("/proc/self/fd", X_OK) == 0;
  return can;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.Release();
  }
  return *this;
}

UniqueFd::~UniqueFd() { Close(); }

int UniqueFd::Close() {
  if (fd_ < 0) return 0;
  const int rc = close(std::exchange(fd_, -1));
  return rc == 0 ? 0 : errno;
}

void DurableFile::FreeBuffer::operator()(char* p) const { std::free(p); }

DurableFile::DurableFile(UniqueFd fd, std::string temp_path, bool direct)
    : fd_(std::move(fd)), temp_path_(std::move(temp_path)), direct_(direct) {
  if (!direct_) return;
  buffer_.reset(static_cast<char*>(std::aligned_alloc(kBlock, kBufferBytes)));
  if (!buffer_) throw std::bad_alloc();
}

StatusOr<DurableFile> DurableFile::Create(const std::string& folder, Caching caching) {
#ifdef O_TMPFILE
  if (CanLinkUnnamedFiles()) {
    constexpr int kFlags = O_TMPFILE | O_WRONLY | O_CLOEXEC;
    if (caching == Caching::kDirect) {
      UniqueFd fd(open(folder.c_str(), kFlags | O_DIRECT, 0600));
      if (fd.get() >= 0) return DurableFile(std::move(fd), std::string(), true);
      // No direct I/O here (EINVAL), or an error the open below reports too.
    }
    UniqueFd fd(open(folder.c_str(), kFlags, 0600));
    if (fd.get() >= 0) return DurableFile(std::move(fd), std::string(), false);
    // Unsupported by the kernel or the file system: a named temp file instead. Other errors
    // (no such folder, no permission, no space) would fail that too, and say why.
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
      return FileError("Cannot create a file in", folder, errno);
    }
  }
#endif
  std::string temp = folder + "/.tmp-XXXXXX";
  UniqueFd fd(mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return FileError("Cannot create a file in", folder, errno);
  return DurableFile(std::move(fd), std::move(temp), false);
}

DurableFile::DurableFile(DurableFile&& other) noexcept
    : fd_(std::move(other.fd_)),
      temp_path_(std::exchange(other.temp_path_, std::string())),
      direct_(other.direct_),
      buffer_(std::move(other.buffer_)),
      buffered_(std::exchange(other.buffered_, 0)),
      written_(other.written_),
      synced_(other.synced_),
      published_(std::exchange(other.published_, true)) {}

DurableFile::~DurableFile() {
  if (!published_ && !temp_path_.empty()) unlink(temp_path_.c_str());
}

std::string DurableFile::Name() const { return temp_path_.empty() ? "a new file" : temp_path_; }

Status DurableFile::WriteAt(std::string_view data, int64_t offset) {
  while (!data.empty()) {
    const ssize_t n = pwrite(fd_.get(), data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EINVAL && direct_) {
        // The file system wants other alignment, or no direct I/O after all: page cache.
        const int flags = fcntl(fd_.get(), F_GETFL);
        if (flags >= 0 && fcntl(fd_.get(), F_SETFL, flags & ~O_DIRECT) == 0) {
          direct_ = false;
          continue;
        }
      }
      return FileError("Cannot write", Name(), errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return Status::Ok();
}

Status DurableFile::Write(std::string_view data) {
  if (!buffer_) {
    CS_RETURN_IF_ERROR(WriteAt(data, written_));
    written_ += static_cast<int64_t>(data.size());
    return Status::Ok();
  }
  while (!data.empty()) {
    const size_t n = std::min(kBufferBytes - buffered_, data.size());
    std::memcpy(buffer_.get() + buffered_, data.data(), n);
    buffered_ += n;
    data.remove_prefix(n);
    if (buffered_ == kBufferBytes) {
      CS_RETURN_IF_ERROR(WriteAt(std::string_view(buffer_.get(), kBufferBytes), written_));
      written_ += static_cast<int64_t>(kBufferBytes);
      buffered_ = 0;
    }
  }
  return Status::Ok();
}

Status DurableFile::WriteTail() {
  if (buffered_ == 0) return Status::Ok();
  // Changes nothing until it succeeds, so that a retried Publish writes the tail again.
  const size_t padded = direct_ ? (buffered_ + kBlock - 1) / kBlock * kBlock : buffered_;
  std::memset(buffer_.get() + buffered_, 0, padded - buffered_);
  CS_RETURN_IF_ERROR(WriteAt(std::string_view(buffer_.get(), padded), written_));
  const int64_t length = written_ + static_cast<int64_t>(buffered_);
  if (padded != buffered_ && ftruncate(fd_.get(), length) != 0) {
    return FileError("Cannot truncate", Name(), errno);
  }
  written_ = length;
  buffered_ = 0;
  return Status::Ok();
}

Status DurableFile::SetMode(unsigned mode) {
  if (fchmod(fd_.get(), static_cast<mode_t>(mode)) != 0) {
    return FileError("Cannot set the mode of", Name(), errno);
  }
  return Status::Ok();
}

Status DurableFile::Publish(const std::string& path, Existing existing) {
  if (!synced_) {
    CS_RETURN_IF_ERROR(WriteTail());
    if (fsync(fd_.get()) != 0) return FileError("Cannot fsync the new file", path, errno);
    synced_ = true;
  }
  int rc;
  if (temp_path_.empty()) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_.get());
    if (existing == Existing::kKeep) {
      rc = linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
      if (rc != 0 && errno == EEXIST) rc = 0;  // the same content is there already
    } else {
      // linkat cannot replace: a name of its own first (unique while this fd is open in this
      // process), then renamed over `path`.
      const std::string staged =
          path + ".publishing-" + std::to_string(getpid()) + "-" + std::to_string(fd_.get());
      unlink(staged.c_str());  // left by a process that crashed here with this pid and fd
      rc = linkat(AT_FDCWD, self.c_str(), AT_FDCWD, staged.c_str(), AT_SYMLINK_FOLLOW);
      if (rc == 0 && (rc = rename(staged.c_str(), path.c_str())) != 0) {
        const int err = errno;
        unlink(staged.c_str());
        errno = err;
      }
    }
  } else {
    rc = rename(temp_path_.c_str(), path.c_str());  // replaces, as both kinds allow
  }
  if (rc != 0) {
    if (errno == ENOENT) return NotFound("No folder for " + path);
    return FileError("Cannot publish", path, errno);
  }
  published_ = true;
  fd_.Close();
  return Status::Ok();
}

Status FileError(const std::string& what, const std::string& path, int err) {
  return Internal(what + " " + path + ": " + std::strerror(err));
}

Status SyncFolder(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return FileError("Cannot open folder", path, errno);
  if (fsync(fd.get()) != 0) return FileError("Cannot fsync folder", path, errno);
  return Status::Ok();
}

}  // namespace countersign
