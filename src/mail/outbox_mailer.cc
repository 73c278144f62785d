#include "mail/outbox_mailer.h"

#include <filesystem>
#include <utility>

#include "core/durable_file.h"
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

// Writes `data` as the new file `target` in `folder` (mode 0600: mail holds signing links),
// complete and synced before it has that name (which survives a crash once `folder` is synced).
Status WriteAtomically(const std::string& folder, const std::string& target,
                       const std::string& data) {
  StatusOr<DurableFile> file = DurableFile::Create(folder);
  Status status = file.status();
  if (status.ok()) status = file->Write(data);
  if (status.ok()) status = file->Publish(target);
  if (!status.ok()) return Status(Code::kUnavailable, status.message());
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
  std::lock_guard<std::mutex> lock(mu_);
  auto written = unflushed_.find(message_id);
  if (written != unflushed_.end() && std::filesystem::exists(written->second, error)) {
    return Status::Ok();  // the next Flush makes it durable
  }
  int64_t now = clock_.NowSeconds();
  std::string path = folder_ + "/" + std::to_string(now) + "-" + message_id + ".eml";
  CS_RETURN_IF_ERROR(WriteAtomically(
      folder_, path, BuildMimeMessage(message, from_address_, from_name_, message_id, now)));
  unflushed_[message_id] = std::move(path);
  return Status::Ok();
}

Status OutboxMailer::Flush() {
  std::unordered_map<std::string, std::string> flushing;
  {
    std::lock_guard<std::mutex> lock(mu_);
    flushing.swap(unflushed_);  // files written from now on wait for the next Flush
  }
  Status synced = SyncFolder(folder_);
  if (synced.ok()) return Status::Ok();
  std::lock_guard<std::mutex> lock(mu_);
  unflushed_.merge(flushing);  // not durable yet: a retried Send reuses them
  return Status(Code::kUnavailable, synced.message());
}

}  // namespace countersign
