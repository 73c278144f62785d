// UrlFetcher: downloads a document named by a `file_urls` entry into a local file, bounded in
// size and time. Only http and https (also after redirects, at most 5). Unless
// `allow_private_addresses`, connections to loopback, private, link-local and other
// non-public addresses are refused (SSRF protection), checked on the resolved address.
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace countersign {

struct FetchOptions {
  int64_t max_bytes = 40ll << 20;
  int timeout_seconds = 30;
  bool allow_private_addresses = false;
};

class UrlFetcher {
 public:
  virtual ~UrlFetcher() = default;
  // Downloads `url` into `dest_path`. kInvalidArgument for the user, naming the URL: a bad
  // scheme or malformed URL, a file over max_bytes, or one message for every network outcome
  // (refused address, unreachable, time-out, redirects, HTTP status other than 2xx), so the
  // answers cannot be used to scan hosts and ports. On error `dest_path` is removed.
  virtual Status Fetch(const std::string& url, const std::string& dest_path,
                       const FetchOptions& options) = 0;
};

}  // namespace countersign
