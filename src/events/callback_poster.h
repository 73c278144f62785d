// CallbackPoster: POSTs one event to a callback URL the way Dropbox Sign does —
// multipart/form-data with the JSON payload in the field `json` — and reports what the
// receiver answered. Only http/https; unless `allow_private_addresses`, loopback, private and
// other non-public addresses are refused on the resolved address, so a callback URL cannot be
// pointed at the server's own admin endpoints or an internal network; redirects are not
// followed; at most `max_body_bytes` of the answer are read. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace countersign {

struct CallbackOptions {
  int timeout_seconds = 30;
  bool allow_private_addresses = false;
  size_t max_body_bytes = 64 * 1024;
};

struct CallbackResult {
  int http_status = 0;  // 0 when no HTTP answer (refused, timed out, unreachable)
  std::string body;     // at most max_body_bytes
  std::string error;    // why there was no answer, or empty
};

class CallbackPoster {
 public:
  virtual ~CallbackPoster() = default;
  virtual CallbackResult Post(const std::string& url, const std::string& json_payload,
                              const CallbackOptions& options) = 0;
};

// The libcurl implementation. kInternal when libcurl cannot be initialised.
StatusOr<std::unique_ptr<CallbackPoster>> MakeCurlCallbackPoster();

}  // namespace countersign
