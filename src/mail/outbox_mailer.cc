#include "mail/outbox_mailer.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "mail/mime.h"

namespace countersign {
namespace {

bool IsSafeFileId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status Unavailable(const std::string& what, const std::string& path, int error) {
  return Status(Code::kUnavailable, what + " " + path + ": " + std::strerror(error));
}

// Owns a file descriptor; closes it on destruction.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now; returns close's errno (0 when it succeeded).
  int Close() {
    int rc = ::close(std::exchange(fd_, -1));
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes `data` to a new temp file in `folder` (mode 0600: mail holds signing links), syncs it
// and renames it to `target`; then syncs `folder` so the new name survives a crash. Removes the
// temp file on failure.
Status WriteAtomically(const std::string& folder, const std::string& target,
                       const std::string& data) {
  std::string temp = folder + "/.tmp-XXXXXX";
  Fd fd(::mkostemp(temp.data(), O_CLOEXEC));
  if (fd.get() < 0) return Unavailable("cannot create a file in", folder, errno);
  Status status;
  size_t written = 0;
  while (written < data.size() && status.ok()) {
    ssize_t n = ::write(fd.get(), data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) status = Unavailable("cannot write", temp, errno);
    if (n > 0) written += static_cast<size_t>(n);
  }
  if (status.ok() && ::fsync(fd.get()) != 0) status = Unavailable("cannot sync", temp, errno);
  if (int error = fd.Close(); status.ok() && error != 0) {
    status = Unavailable("cannot close", temp, error);
  }
  if (status.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    status = Unavailable("cannot rename to", target, errno);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) ::fsync(dir.get());  // best effort: the file itself is complete
  return Status::Ok();
}

}  // namespace

OutboxMailer::OutboxMailer(std::string folder, std::string from_address, std::string from_name,
                           const Clock& clock)
    : folder_(std::move(folder)),
      from_address_(std::move(from_address)),
      from_name_(std::move(from_name)),
      clock_(clock) {}

Status OutboxMailer::Send(const MailMessage& message, const std::string& message_id) {
  if (!IsSafeFileId(message_id)) {
    return InvalidArgument("The message id must be [A-Za-z0-9._-]+.");
  }
  if (!IsPlainMailAddress(message.to_email)) {
    return InvalidArgument("The recipient address is not valid.");
  }
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error) {
    return Status(Code::kUnavailable, "cannot create " + folder_ + ": " + error.message());
  }
  int64_t now = clock_.NowSeconds();
  std::string name = std::to_string(now) + "-" + message_id + ".eml";
  return WriteAtomically(folder_, folder_ + "/" + name,
                         BuildMimeMessage(message, from_address_, from_name_, message_id, now));
}

}  // namespace countersign
