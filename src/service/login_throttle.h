// LoginThrottle: slows password guessing on the log-in page. Failed log-ins are counted per
// email address and per client IP in fixed windows, in the database (RateLimitStore buckets
// "login:email:<sha256 of the address>" and "login:ip:<address>"), so the count holds across
// instances and restarts. Once either count reaches its limit, log-in for that address (or
// from that IP) is refused until the window ends, whether or not the password is right —
// otherwise the refusal itself would confirm a guess. Addresses are stored only as hashes.
// Behind a proxy the IP is the proxy's; the per-address limit still applies. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "store/rate_limit_store.h"

namespace countersign {

class LoginThrottle {
 public:
  struct Options {
    int64_t max_failures_per_email = 10;  // 0: no limit
    int64_t max_failures_per_ip = 100;    // 0: no limit
    int64_t window_seconds = 900;
  };

  LoginThrottle(RateLimitStore& store, const Clock& clock, Options options);

  // OK while neither the address nor the IP has reached its failure limit in this window;
  // otherwise kResourceExhausted with a message saying how long to wait. Database errors as
  // they come.
  Status Check(const std::string& email, const std::string& ip);
  // Counts one failed log-in against the address and the IP.
  Status RecordFailure(const std::string& email, const std::string& ip);
  // Seconds until the current window ends (when a refusal lifts; for Retry-After).
  int64_t SecondsLeft() const;

 private:
  int64_t WindowStart() const;

  RateLimitStore& store_;
  const Clock& clock_;
  Options options_;
};

}  // namespace countersign
