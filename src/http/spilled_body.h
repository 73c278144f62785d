// SpilledBody: a request body that the server wrote to a file while it arrived (large
// multipart uploads, see http/upload_spill.h) instead of holding it in memory. The file is
// mapped read-only when the handler first reads it, so only the pages a handler touches are
// resident, and the file is removed when the last owner lets go. Not thread-safe: owned by
// one request, read by the one thread handling it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace countersign::http {

class SpilledBody {
 public:
  // Takes over the file at `path` (complete: every byte of the body), removed on destruction.
  explicit SpilledBody(std::string path) : path_(std::move(path)) {}
  ~SpilledBody();
  SpilledBody(const SpilledBody&) = delete;
  SpilledBody& operator=(const SpilledBody&) = delete;

  // The body's bytes, valid while this object lives. kInternal when the file cannot be
  // opened or mapped.
  StatusOr<std::string_view> View();
  const std::string& path() const { return path_; }
  // Lets the kernel take back the mapped pages read so far (the mapping is read-only and
  // private, so nothing is lost): they are read again from the page cache when used next.
  void ReleaseResidentPages() const;

 private:
  std::string path_;
  void* map_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
};

}  // namespace countersign::http
