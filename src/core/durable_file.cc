#include "core/durable_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace countersign {

namespace {

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

StatusOr<DurableFile> DurableFile::Create(const std::string& folder) {
#ifdef O_TMPFILE
  if (CanLinkUnnamedFiles()) {
    UniqueFd fd(open(folder.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600));
    if (fd.get() >= 0) return DurableFile(std::move(fd), std::string());
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
  return DurableFile(std::move(fd), std::move(temp));
}

DurableFile::DurableFile(DurableFile&& other) noexcept
    : fd_(std::move(other.fd_)),
      temp_path_(std::exchange(other.temp_path_, std::string())),
      synced_(other.synced_),
      published_(std::exchange(other.published_, true)) {}

DurableFile::~DurableFile() {
  if (!published_ && !temp_path_.empty()) unlink(temp_path_.c_str());
}

Status DurableFile::Write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd_.get(), data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("Cannot write", temp_path_.empty() ? "a new file" : temp_path_, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status DurableFile::Publish(const std::string& path) {
  if (!synced_) {
    if (fsync(fd_.get()) != 0) return FileError("Cannot fsync the new file", path, errno);
    synced_ = true;
  }
  int rc;
  if (temp_path_.empty()) {
    const std::string self = "/proc/self/fd/" + std::to_string(fd_.get());
    rc = linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW);
    if (rc != 0 && errno == EEXIST) rc = 0;  // the same content is there already
  } else {
    rc = rename(temp_path_.c_str(), path.c_str());
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
