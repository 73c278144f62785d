// PublicUrl: the server's public base URL (e.g. "https://sign.example.com"), used to build
// links in responses and emails. Set once the server knows it (with --port 0, after binding);
// read by any thread. Thread-safe.
#pragma once

#include <mutex>
#include <string>

namespace countersign {

class PublicUrl {
 public:
  explicit PublicUrl(std::string url = "") : url_(std::move(url)) {}
  std::string Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return url_;
  }
  void Set(std::string url) {
    std::lock_guard<std::mutex> lock(mu_);
    url_ = std::move(url);
  }

 private:
  mutable std::mutex mu_;
  std::string url_;
};

}  // namespace countersign
