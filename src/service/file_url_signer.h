// FileUrlSigner: signs and checks the expiring download links of files_as_file_url
// (HMAC-SHA256 over request id, expiry and download flag, with a server key shared by every
// instance through the SettingsStore). Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"

namespace countersign {

class FileUrlSigner {
 public:
  FileUrlSigner(std::string key, const Clock& clock) : key_(std::move(key)), clock_(clock) {}

  // The query string "expires=<t>&dl=<0|1>&sig=<hex>" for a link valid `ttl_seconds`;
  // `expires_at` receives t.
  std::string SignQuery(const std::string& request_id, bool force_download, int64_t ttl_seconds,
                        int64_t& expires_at) const;
  // kNotFound for a wrong signature (tampered link), kGone for an expired one.
  Status Verify(const std::string& request_id, const std::string& expires,
                const std::string& download, const std::string& signature) const;

 private:
  std::string Mac(const std::string& request_id, const std::string& expires,
                  const std::string& download) const;

  std::string key_;
  const Clock& clock_;
};

}  // namespace countersign
