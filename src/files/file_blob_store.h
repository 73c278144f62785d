// FileBlobStore: the BlobStore on a local (or shared, POSIX) folder. Blobs live at
// `<root>/ab/cd/<sha256>` (the hash's first two byte pairs as folders); writes go to
// `<root>/tmp/<random>` (hashed in the same pass), are fsync'd once, renamed into place and the
// folder is fsync'd once (its parents only when they were created). Content that is already
// stored is neither synced nor renamed again. Thread-safe and safe across processes sharing
// the folder: a blob is only ever renamed into place complete, and equal names mean equal bytes.
// Folders are created 0700 and files 0600: instances sharing the folder run as one user.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "files/blob_store.h"

namespace countersign {

class FileBlobStore : public BlobStore {
 public:
  // Creates `root` and `root/tmp` when missing. kInternal (with the errno text) when they
  // cannot be created.
  static StatusOr<std::unique_ptr<FileBlobStore>> Open(const std::string& root);

  StatusOr<BlobInfo> Put(std::string_view data) override;
  StatusOr<BlobInfo> PutFile(const std::string& temp_path) override;
  std::string NewTempPath() override;
  // kNotFound also for a `sha256` that is not 64 lowercase hex digits.
  StatusOr<std::string> PathOf(const std::string& sha256) override;
  StatusOr<std::string> Read(const std::string& sha256) override;

  const std::string& root() const { return root_; }

 private:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}

  // `<root>/ab/cd/<sha256>`; `sha256` must be valid.
  std::string FinalPath(const std::string& sha256) const;
  // Moves the complete, fsync'd file `temp_path` to the blob's place (or drops it when the blob
  // already exists). The temp file is gone afterwards either way.
  Status Commit(const std::string& temp_path, const std::string& sha256);
  // The end of Put and PutFile: `temp_fd` (closed here) is the temp file `temp_path` whose
  // content hashes to `sha256`, and `written` how writing or reading it went. The temp file is
  // dropped when the blob already exists (no fsync) or anything failed; otherwise fsync'd,
  // closed and committed. It is gone afterwards either way.
  Status Keep(int temp_fd, const std::string& temp_path, const std::string& sha256, Status written);

  const std::string root_;
};

}  // namespace countersign
