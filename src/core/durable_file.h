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
// Caching::kDirect writes around the page cache (O_DIRECT), through an aligned buffer the object
// owns, for large files written once and seldom read soon (uploaded documents). In this virtual
// machine a buffered 1 MB write that needed fresh page-cache pages cost ~2 ms of CPU, a direct
// one ~0.5 ms (bench/RESULTS.md). Where the file system refuses direct I/O the file is written
// through the page cache after all; either way the content is synced before it is published.
//
// Also here: UniqueFd (a file descriptor closed when it goes out of scope), SyncFolder and
// FileError.
// Not thread-safe: one owner per object.
#pragma once

#include <cstdint>
#include <memory>
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
  enum class Caching { kPageCache, kDirect };
  // What Publish does with a file already at the name.
  enum class Existing {
    kKeep,     // keeps one of the two: only for names of one content (a hash, a unique id)
    kReplace,  // replaces it at once (rename): readers see the old file or the new one
  };

  // A new, empty file (mode 0600) on the file system of `folder`, to be published under a name
  // on that same file system. kInternal (with the errno text) when it cannot be created.
  static StatusOr<DurableFile> Create(const std::string& folder,
                                      Caching caching = Caching::kPageCache);

  DurableFile(DurableFile&& other) noexcept;
  DurableFile& operator=(DurableFile&&) = delete;
  DurableFile(const DurableFile&) = delete;
  DurableFile& operator=(const DurableFile&) = delete;
  // A file that was not published is removed.
  ~DurableFile();

  // Appends `data` (with kDirect, whole buffers go to disk as they fill; the rest at Publish).
  // kInternal on I/O errors.
  Status Write(std::string_view data);
  // Sets the file's permission bits (0600 until then). kInternal on errors.
  Status SetMode(unsigned mode);
  // Syncs the content (once, also across retries) and then gives the file the name `path`; a
  // file already there is handled as `existing` says. kNotFound when the folder of `path` does
  // not exist (create it and call again); kInternal on other errors. After success the object
  // only closes the file.
  Status Publish(const std::string& path, Existing existing = Existing::kKeep);

 private:
  struct FreeBuffer {
    void operator()(char* p) const;
  };

  DurableFile(UniqueFd fd, std::string temp_path, bool direct);
  // What errors call the file before it is published: its temp path, or "a new file".
  std::string Name() const;
  // Writes `data` at `offset` (pwrite, so a retried Publish rewrites the same bytes). Drops
  // O_DIRECT and writes through the page cache when the file system refuses direct I/O.
  Status WriteAt(std::string_view data, int64_t offset);
  // With kDirect: writes what waits in the buffer, padded to a whole block, and cuts the file
  // back to its length.
  Status WriteTail();

  UniqueFd fd_;
  std::string temp_path_;                     // empty for an unnamed (O_TMPFILE) file
  bool direct_ = false;                       // O_DIRECT is on
  std::unique_ptr<char, FreeBuffer> buffer_;  // kDirect: the aligned buffer
  size_t buffered_ = 0;                       // bytes waiting in buffer_
  int64_t written_ = 0;                       // bytes written to the file
  bool synced_ = false;
  bool published_ = false;
};

// fsyncs the folder `path`, so that the names created in it survive a crash. kInternal (with the
// errno text) on errors.
Status SyncFolder(const std::string& path);

// The error of a failed file system call: kInternal "<what> <path>: <strerror(err)>".
Status FileError(const std::string& what, const std::string& path, int err);

}  // namespace countersign
