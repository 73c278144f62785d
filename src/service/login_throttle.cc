#include "service/login_throttle.h"

#include "core/crypto.h"
#include "service/validation.h"

namespace countersign {
namespace {

std::string EmailBucket(const std::string& email) {
  return "login:email:" + Sha256Hex(ToLower(Trim(email)));
}
std::string IpBucket(const std::string& ip) { return "login:ip:" + ip; }

}  // namespace

LoginThrottle::LoginThrottle(RateLimitStore& store, const Clock& clock, Options options)
    : store_(store), clock_(clock), options_(options) {
  if (options_.window_seconds < 1) options_.window_seconds = 1;
}

int64_t LoginThrottle::WindowStart() const {
  const int64_t now = clock_.NowSeconds();
  return now - now % options_.window_seconds;
}

Status LoginThrottle::Check(const std::string& email, const std::string& ip) {
  const int64_t window_start = WindowStart();
  bool refused = false;
  if (options_.max_failures_per_email > 0) {
    CS_ASSIGN_OR_RETURN(int64_t failures, store_.Taken(EmailBucket(email), window_start));
    refused = failures >= options_.max_failures_per_email;
  }
  if (!refused && options_.max_failures_per_ip > 0 && !ip.empty()) {
    CS_ASSIGN_OR_RETURN(int64_t failures, store_.Taken(IpBucket(ip), window_start));
    refused = failures >= options_.max_failures_per_ip;
  }
  if (!refused) return Status::Ok();
  const int64_t wait = SecondsLeft();
  const int64_t minutes = (wait + 59) / 60;
  return Status(Code::kResourceExhausted, "Too many failed log-in attempts. Try again in " +
                                              std::to_string(minutes) +
                                              (minutes == 1 ? " minute." : " minutes."));
}

int64_t LoginThrottle::SecondsLeft() const {
  return WindowStart() + options_.window_seconds - clock_.NowSeconds();
}

Status LoginThrottle::RecordFailure(const std::string& email, const std::string& ip) {
  const int64_t window_start = WindowStart();
  if (options_.max_failures_per_email > 0) {
    CS_RETURN_IF_ERROR(
        store_.Take(EmailBucket(email), window_start, options_.max_failures_per_email, 1).status());
  }
  if (options_.max_failures_per_ip > 0 && !ip.empty()) {
    CS_RETURN_IF_ERROR(
        store_.Take(IpBucket(ip), window_start, options_.max_failures_per_ip, 1).status());
  }
  return Status::Ok();
}

}  // namespace countersign
