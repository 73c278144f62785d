#include "service/file_url_signer.h"

#include <charconv>

#include "core/crypto.h"

namespace countersign {

std::string FileUrlSigner::Mac(const std::string& request_id, const std::string& expires,
                               const std::string& download) const {
  return HmacSha256Hex(key_, "file-url|" + request_id + "|" + expires + "|" + download);
}

std::string FileUrlSigner::SignQuery(const std::string& request_id, bool force_download,
                                     int64_t ttl_seconds, int64_t& expires_at) const {
  expires_at = clock_.NowSeconds() + ttl_seconds;
  const std::string expires = std::to_string(expires_at);
  const std::string dl = force_download ? "1" : "0";
  return "expires=" + expires + "&dl=" + dl + "&sig=" + Mac(request_id, expires, dl);
}

Status FileUrlSigner::Verify(const std::string& request_id, const std::string& expires,
                             const std::string& download, const std::string& signature) const {
  if (!ConstantTimeEquals(Mac(request_id, expires, download), signature)) {
    return NotFound("This file link is not valid.");
  }
  int64_t t = 0;
  auto [p, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), t);
  if (ec != std::errc() || p != expires.data() + expires.size() || clock_.NowSeconds() >= t) {
    return Status(Code::kGone, "This file link has expired.");
  }
  return Status::Ok();
}

}  // namespace countersign
