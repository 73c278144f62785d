#include "http/spilled_body.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace countersign::http {

SpilledBody::~SpilledBody() {
  if (map_ != nullptr) munmap(map_, size_);
  unlink(path_.c_str());
}

void SpilledBody::ReleaseResidentPages() const {
  if (map_ != nullptr) madvise(map_, size_, MADV_DONTNEED);
}

StatusOr<std::string_view> SpilledBody::View() {
  if (mapped_) return std::string_view(static_cast<const char*>(map_), size_);
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Internal("Cannot open the uploaded body: " + std::string(strerror(errno)));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return Internal("Cannot stat the uploaded body: " + std::string(strerror(err)));
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* map = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
      const int err = errno;
      close(fd);
      return Internal("Cannot map the uploaded body: " + std::string(strerror(err)));
    }
    map_ = map;
    madvise(map_, size_, MADV_SEQUENTIAL);
  }
  close(fd);
  mapped_ = true;
  return std::string_view(static_cast<const char*>(map_), size_);
}

}  // namespace countersign::http
