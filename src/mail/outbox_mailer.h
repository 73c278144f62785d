// OutboxMailer: the default Mailer. Instead of talking to a mail server it writes each message
// as an RFC 5322 file `<folder>/<unix-time>-<message_id>.eml`, so development installs and tests
// can read what would have been sent. Files (mode 0600: mail holds signing links) appear
// atomically (core/durable_file.h: written unnamed, fsync, linked into place), so a reader never
// sees a partial message; their names are durable once Flush() synced the folder, once for a
// whole batch. A message sent again before a Flush succeeded (the worker retries a batch whose
// Flush failed) reuses its file instead of writing a second one.
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "mail/mailer.h"

namespace countersign {

class OutboxMailer : public Mailer {
 public:
  // `folder` is created (with parents) on first use. `clock` must outlive this object.
  OutboxMailer(std::string folder, std::string from_address, std::string from_name,
               const Clock& clock);

  // kInvalidArgument when `message_id` is empty or holds characters other than
  // [A-Za-z0-9._-], or the recipient is not a plain address; kUnavailable when the folder or
  // file cannot be written (retry later). OK without writing when this mailer wrote the
  // message's file since the last successful Flush and the file is still there.
  Status Send(const MailMessage& message, const std::string& message_id) override;
  bool GroupsDurability() const override { return true; }
  // Syncs the folder (the names of the files Send wrote). kUnavailable when it cannot; the
  // files stay, and Send reuses them.
  Status Flush() override;

  const std::string& folder() const { return folder_; }

 private:
  const std::string folder_;
  const std::string from_address_;
  const std::string from_name_;
  const Clock& clock_;
  std::mutex mu_;
  // Message id -> file path, for the files written since the last successful Flush (or during
  // it); guarded by mu_.
  std::unordered_map<std::string, std::string> unflushed_;
};

}  // namespace countersign
