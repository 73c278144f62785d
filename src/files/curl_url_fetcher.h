// CurlUrlFetcher: the UrlFetcher on libcurl. http/https only (redirects too, at most 5),
// bounded by FetchOptions' size and time limits, streamed straight to the destination file.
// SSRF protection checks every address libcurl is about to connect to (after DNS, for every
// redirect hop), so DNS rebinding and redirects to internal hosts are refused; proxies from the
// environment are ignored for the same reason.
// Thread-safe: each Fetch uses its own easy handle; libcurl's global state is initialised once.
#pragma once

#include <memory>
#include <string>

#include "files/url_fetcher.h"

namespace countersign {

class CurlUrlFetcher : public UrlFetcher {
 public:
  // Initialises libcurl once per process (std::call_once). kInternal when that fails.
  static StatusOr<std::unique_ptr<CurlUrlFetcher>> Create();

  // Errors are kInvalidArgument "Could not download <url>: <reason>", except kInternal when
  // `dest_path` cannot be created or written.
  Status Fetch(const std::string& url, const std::string& dest_path,
               const FetchOptions& options) override;

 private:
  CurlUrlFetcher() = default;
};

}  // namespace countersign
