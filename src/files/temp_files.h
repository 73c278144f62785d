// TempFiles: temporary files removed when their owner goes out of scope, whatever path it
// leaves by (a send that failed half-way, a download's ZIP or merged PDF once read back). A
// path can be released to a new owner (BlobStore::PutFile takes its file over). Not
// thread-safe: one owner.
#pragma once

#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

namespace countersign {

class TempFiles {
 public:
  TempFiles() = default;
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  ~TempFiles() {
    for (const std::string& path : paths_) {
      if (!path.empty()) unlink(path.c_str());
    }
  }

  // Takes `path` (a file that may not exist yet) and returns it. The reference is valid until
  // the next Add or Release.
  const std::string& Add(std::string path) { return paths_.emplace_back(std::move(path)); }
  // The i-th path, no longer removed here.
  std::string Release(size_t i) { return std::exchange(paths_[i], std::string()); }

 private:
  std::vector<std::string> paths_;
};

}  // namespace countersign
