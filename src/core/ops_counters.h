// OpsCounters: the operational events that layers below app/ report for metrics (log-ins, OAuth
// grants, event deliveries, rate-limit refusals). The one implementation lives in app/
// (Prometheus); code that is given no OpsCounters (a null pointer) reports nothing. Label values
// must come from a small fixed set (outcome names, grant types, tiers), never from client input.
//
// Thread-safe: implementations may be called from any thread at once.
#pragma once

#include <string_view>

namespace countersign {

class OpsCounters {
 public:
  virtual ~OpsCounters() = default;

  // One log-in attempt on the login page: "success", "failure" (wrong email or password) or
  // "throttled" (refused by the log-in throttle).
  virtual void CountLogin(std::string_view outcome) = 0;
  // One token-endpoint call: `grant_type` "authorization_code" or "refresh_token" (as decided,
  // also when inferred) or "unsupported"; `outcome` "success" or the error_name it answered.
  virtual void CountOAuthGrant(std::string_view grant_type, std::string_view outcome) = 0;
  // One event-callback try: "delivered", "retry" or "failed" (given up).
  virtual void CountDelivery(std::string_view outcome) = 0;
  // One /v3 call refused with 429: `tier` "standard", "high" or "test_mode".
  virtual void CountRateLimitRefusal(std::string_view tier) = 0;
};

}  // namespace countersign
