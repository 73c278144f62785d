// BlobStore: immutable files (uploaded documents, produced PDFs) stored once by the SHA-256 of
// their content under a folder that every instance can share. A blob becomes visible only
// after it is completely written and flushed (written unnamed or under a temp name, fsync, then
// linked or renamed into place, fsync of the folder), so a crash never leaves a partial blob
// under its final name. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign {

struct BlobInfo {
  std::string sha256;  // lowercase hex; the blob's name
  int64_t size = 0;
};

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores `data` (kept in memory once by the caller; not copied). Idempotent: storing the
  // same content again returns the same BlobInfo and leaves the stored blob alone. kInternal on I/O
  // errors.
  virtual StatusOr<BlobInfo> Put(std::string_view data) = 0;
  // Moves the file at `temp_path` (on the same file system, e.g. from NewTempPath) into the
  // store under its content hash, after fsync. The temp file is gone afterwards either way.
  virtual StatusOr<BlobInfo> PutFile(const std::string& temp_path) = 0;
  // A fresh path in the store's temp folder for a caller that streams a file (downloads).
  virtual std::string NewTempPath() = 0;
  // The path of the blob; kNotFound when it does not exist.
  virtual StatusOr<std::string> PathOf(const std::string& sha256) = 0;
  // The blob's bytes. kNotFound when it does not exist.
  virtual StatusOr<std::string> Read(const std::string& sha256) = 0;
};

}  // namespace countersign
