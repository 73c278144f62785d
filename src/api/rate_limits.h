// ApiRateLimits: Dropbox Sign's API rate limits on /v3 (CONTRACT.md §2.4, §2.1 `exceeded_rate`).
//
// Tiers and defaults come from Dropbox Sign's help centre ("Which API requests count against
// the Dropbox Sign API Request Limit?"): standard endpoints 100 requests per minute, the
// "high tier" endpoints (sending, embedded creation, file downloads) 25 per minute, and test
// mode 10 per minute. A call is in the test-mode tier when its parameters say test_mode is
// true (the handler tells, from the fields it parsed: TierOf(path, fields)); it then counts
// there instead of in its path's tier, so test calls neither use up nor are held back by the
// production quotas. Dropbox Sign counts per account; here a call also counts against its app
// when it comes with an OAuth access token (Bearer), so one app cannot use up every quota of
// the accounts it acts for, nor one account the quota of the app. Both quotas are per tier; a
// call the app's quota refuses has still used one of the account's. Only authenticated calls
// count. The window is fixed (--rate-limit-window-seconds, default 60); the spec describes
// X-RateLimit-Limit as "per hour", but the documented figures are per minute, and the header
// carries the window's quota.
//
// The counting is RateLimiter's (database-backed slices, memory on the hot path). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/fields.h"
#include "core/ops_counters.h"
#include "core/status.h"
#include "http/message.h"
#include "http/router.h"
#include "service/rate_limiter.h"

namespace countersign::api {

struct ApiRateLimitOptions {
  int64_t standard_per_window = 100;  // 0: unlimited
  int64_t high_per_window = 25;       // 0: unlimited
  int64_t test_mode_per_window = 10;  // 0: unlimited
  OpsCounters* counters = nullptr;    // counts refusals (metrics); null: not counted
};

enum class RateTier { kStandard, kHigh, kTestMode };

class ApiRateLimits {
 public:
  ApiRateLimits(RateLimiter& limiter, ApiRateLimitOptions options);

  // Counts `request` against the account (and, when `client_id` is not empty, the app) in
  // `tier`, and leaves the rate headers in request.response_headers for WithRateHeaders.
  // kResourceExhausted ("Too many requests.") beyond either quota, with Retry-After among those
  // headers; database errors as they come.
  Status Count(const http::Request& request, const std::string& account_id,
               const std::string& client_id, RateTier tier);

  // True for the high-tier operations (path with or without the "/v3" prefix).
  static bool IsHighTier(std::string_view path);
  // The tier of a call to `path` by its path alone: kHigh or kStandard.
  static RateTier TierOf(std::string_view path);
  // The tier of a call to `path` with parameters `fields`: kTestMode when `test_mode` reads as
  // true the way the send parser reads it (true, 1, "true", "1", any case), else
  // TierOf(path). A `test_mode` of the wrong type is left for the handler to refuse.
  static RateTier TierOf(std::string_view path, RequestFields& fields);

 private:
  RateLimiter& limiter_;
  ApiRateLimitOptions options_;
};

// Wraps a /v3 handler so the headers left in request.response_headers move to its response:
// all of them on a 2xx or 429 answer, none on other errors.
http::Handler WithRateHeaders(http::Handler handler);
// router.Add(method, pattern, WithRateHeaders(handler), lane): how every /v3 route is added.
void AddApiRoute(http::Router& router, std::string method, std::string pattern,
                 http::Handler handler, http::Lane lane = http::Lane::kInline);

}  // namespace countersign::api
