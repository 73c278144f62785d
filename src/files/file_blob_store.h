// FileBlobStore: the BlobStore on a local (or shared, POSIX) folder. Blobs live at
// `<root>/ab/cd/<sha256>` (the hash's first two byte pairs as folders). Put hashes the bytes,
// then writes new content as an unnamed file in `<root>/tmp` (core/durable_file.h: O_TMPFILE,
// or a hidden temp file where the file system has none; direct I/O where it allows), fsync'd
// once and linked into place, and the blob's folder is fsync'd once; its parents are synced the
// first time this process uses that folder, since the folder may be another writer's, made a
// moment ago. Content that is already stored is not written again; only its folder is synced
// (the blob may be another writer's, linked a moment ago). Thread-safe and safe across processes
// sharing the folder: a blob only ever gets its name complete, and equal names mean equal bytes.
// Folders are created 0700 and files 0600: instances sharing the folder run as one user.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

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

  // Gives `sha256` its final name with `publish` (which gets the final path and answers
  // kNotFound while the blob's folder does not exist), creating the folders when needed, then
  // MakeNameDurable.
  using Publisher = std::function<Status(const std::string& final_path)>;
  Status Place(const std::string& sha256, const Publisher& publish);
  // Makes the name of the stored blob `sha256` survive a crash, whoever published it: syncs
  // its folder, and the folders above unless this process has made their entries durable
  // before (a folder made by another writer may still wait for its parent's sync).
  Status MakeNameDurable(const std::string& sha256);
  // Syncs `parent` unless the entry of folder `key` ("ab" or "abcd") in it is known durable.
  Status MakeEntryDurable(const std::string& key, const std::string& parent);

  // `<root>/ab` (depth 1) or `<root>/ab/cd` (depth 2) for `sha256` "abcd…", which must be valid.
  std::string Folder(const std::string& sha256, int depth) const;
  // `<root>/ab/cd/<sha256>`; `sha256` must be valid.
  std::string FinalPath(const std::string& sha256) const;

  const std::string root_;
  std::mutex mu_;
  std::unordered_set<std::string> durable_folders_;  // keys for MakeEntryDurable; by mu_
};

}  // namespace countersign
