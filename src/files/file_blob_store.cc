#include "files/file_blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "core/crypto.h"
#include "core/durable_file.h"
#include "core/sha256_stream.h"
#include "files/temp_files.h"

namespace countersign {

namespace {

constexpr size_t kChunk = 64 * 1024;

bool IsHexSha256(const std::string& s) { return s.size() == 64 && IsLowerHex(s); }

// Makes `path` a folder unless it is one already.
Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return FileError("Cannot create folder", path, errno);
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
  CS_RETURN_IF_ERROR(MakeDir(clean));
  CS_RETURN_IF_ERROR(MakeDir(clean + "/tmp"));
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(clean));
}

std::string FileBlobStore::Folder(const std::string& sha256, int depth) const {
  std::string out = root_ + "/" + sha256.substr(0, 2);
  if (depth == 2) out += "/" + sha256.substr(2, 2);
  return out;
}

std::string FileBlobStore::FinalPath(const std::string& sha256) const {
  return Folder(sha256, 2) + "/" + sha256;
}

std::string FileBlobStore::NewTempPath() { return root_ + "/tmp/" + RandomHex(16); }

Status FileBlobStore::Place(const std::string& sha256, const Publisher& publish) {
  const std::string final_path = FinalPath(sha256);
  // A concurrent writer of the same content may publish first; both files hold the same bytes,
  // so keeping either is right.
  Status st = publish(final_path);
  if (st.code() == Code::kNotFound) {
    // The first blob of its folder: create the folders only now.
    CS_RETURN_IF_ERROR(MakeDir(Folder(sha256, 1)));
    CS_RETURN_IF_ERROR(MakeDir(Folder(sha256, 2)));
    st = publish(final_path);
  }
  CS_RETURN_IF_ERROR(st);
  return MakeNameDurable(sha256);
}

Status FileBlobStore::MakeNameDurable(const std::string& sha256) {
  CS_RETURN_IF_ERROR(SyncFolder(Folder(sha256, 2)));
  // Whoever created the folders (another thread or instance) may not have synced their parents
  // yet: that is only known for the ones this process has synced itself.
  CS_RETURN_IF_ERROR(MakeEntryDurable(sha256.substr(0, 2), root_));
  return MakeEntryDurable(sha256.substr(0, 4), Folder(sha256, 1));
}

Status FileBlobStore::MakeEntryDurable(const std::string& key, const std::string& parent) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (durable_folders_.count(key) != 0) return Status::Ok();
  }
  CS_RETURN_IF_ERROR(SyncFolder(parent));
  std::lock_guard<std::mutex> lock(mu_);
  durable_folders_.insert(key);
  return Status::Ok();
}

StatusOr<BlobInfo> FileBlobStore::Put(std::string_view data) {
  // Hashed first, so that content already stored is not written at all; new content is
  // written around the page cache (DurableFile::Caching::kDirect).
  Sha256Stream hash;
  hash.Update(data);
  BlobInfo info;
  info.sha256 = hash.HexDigest();
  info.size = static_cast<int64_t>(data.size());
  if (Exists(FinalPath(info.sha256))) {
    // Stored already, perhaps a moment ago by a writer that has not synced its name yet.
    CS_RETURN_IF_ERROR(MakeNameDurable(info.sha256));
    return info;
  }
  CS_ASSIGN_OR_RETURN(DurableFile file,
                      DurableFile::Create(root_ + "/tmp", DurableFile::Caching::kDirect));
  CS_RETURN_IF_ERROR(file.Write(data));
  CS_RETURN_IF_ERROR(
      Place(info.sha256, [&file](const std::string& path) { return file.Publish(path); }));
  return info;
}

StatusOr<BlobInfo> FileBlobStore::PutFile(const std::string& temp_path) {
  TempFiles owned;  // the temp file is gone afterwards, whatever happens
  owned.Add(temp_path);
  // Read-write so that fsync also works on file systems that refuse it on read-only fds.
  UniqueFd fd(open(temp_path.c_str(), O_RDWR | O_CLOEXEC));
  if (fd.get() < 0) return FileError("Cannot open", temp_path, errno);
  Sha256Stream hash;
  std::unique_ptr<char[]> buf(new char[kChunk]);
  BlobInfo info;
  for (;;) {
    ssize_t n = read(fd.get(), buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("Cannot read", temp_path, errno);
    }
    if (n == 0) break;
    hash.Update(std::string_view(buf.get(), static_cast<size_t>(n)));
    info.size += n;
  }
  info.sha256 = hash.HexDigest();
  if (Exists(FinalPath(info.sha256))) {
    CS_RETURN_IF_ERROR(MakeNameDurable(info.sha256));  // as in Put
    return info;
  }
  if (fsync(fd.get()) != 0) return FileError("Cannot fsync", temp_path, errno);
  if (int err = fd.Close(); err != 0) return FileError("Cannot close", temp_path, err);
  CS_RETURN_IF_ERROR(Place(info.sha256, [&temp_path](const std::string& path) {
    if (rename(temp_path.c_str(), path.c_str()) == 0) return Status::Ok();
    if (errno == ENOENT) return NotFound("No folder for " + path);
    return FileError("Cannot rename blob to", path, errno);
  }));
  owned.Release(0);
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
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return NotFound("No such file.");
    return FileError("Cannot open", path, errno);
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return FileError("Cannot stat", path, errno);
  std::string data;
  data.reserve(static_cast<size_t>(st.st_size));
  std::unique_ptr<char[]> buf(new char[kChunk]);
  for (;;) {
    ssize_t n = read(fd.get(), buf.get(), kChunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FileError("Cannot read", path, errno);
    }
    if (n == 0) break;
    data.append(buf.get(), static_cast<size_t>(n));
  }
  return data;
}

}  // namespace countersign
