// DurableFile: a new file that appears under its final name only complete and on disk. It is
// written, fsync'd once, then given its name, so neither a reader nor a crash ever finds it
// partial under that name. Where the file system supports O_TMPFILE (Linux: ext4, xfs, btrfs,
// tmpfs) the file has no name at all until it is published (linkat): no temp entry to create,
// sync and remove, and nothing left behind by a crash. Elsewhere it is a hidden temp file
// (`.tmp-XXXXXX`) in the folder given to Create, renamed into place.
//
// The name itself survives a crash only once its folder is synced (SyncFolder): the caller does
// that, once per folder for several files if it publishes several.
//
// Also here: UniqueFd (a file descriptor closed when it goes out of scope), SyncFolder and
// FileError.
// Not thread-safe: one owner per object.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace countersign {

// Owns a file descriptor (or -1); closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  // Gives up the descriptor without closing it.
  int Release() { return std::exchange(fd_, -1); }
  // Closes now; returns close(2)'s errno, 0 when it succeeded (or there was nothing to close).
  int Close();

 private:
  int fd_ = -1;
};

class DurableFile {
 public:
  // A new, empty file (mode 0600) on the file system of `folder`, to be published under a name
  // on that same file system. kInternal (with the errno text) when it cannot be created.
  static StatusOr<DurableFile> Create(const std::string& folder);

  DurableFile(DurableFile&& other) noexcept;
  DurableFile& operator=(DurableFile&&) = delete;
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;
  // A file that was not published is removed.
  ~DurableFile();

  // Appends `data`. kInternal on I/O errors.
  Status Write(std::string_view data);
  // Syncs the content (once, also across retries) and then gives the file the name `path`.
  // When `path` already exists it is kept or replaced, depending on the file system: publish a
  // name only for one content. kNotFound when the folder of `path` does not exist (create it and
  // call again); kInternal on other errors. After success the object only closes the file.
  Status Publish(const std::string& path);

 private:
  DurableFile(UniqueFd fd, std::string temp_path)
      : fd_(std::move(fd)), temp_path_(std::move(temp_path)) {}

  UniqueFd fd_;
  std::string temp_path_;  // empty for an unnamed (O_TMPFILE) file
  bool synced_ = false;
  bool published_ = false;
};

// fsyncs the folder `path`, so that the names created in it survive a crash. kInternal (with the
// errno text) on errors.
Status SyncFolder(const std::string& path);

// The error of a failed file system call: kInternal "<what> <path>: <strerror(err)>".
Status FileError(const std::string& what, const std::string& path, int err);

}  // namespace countersign
