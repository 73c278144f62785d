#include "api/rate_limits.h"

#include <algorithm>
#include <cstring>

namespace countersign::api {
namespace {

// Dropbox Sign's high-tier operations (help centre list), without the "/v3" prefix.
constexpr std::string_view kHighTierPrefixes[] = {
    "/signature_request/send",  // also send_with_template
    "/signature_request/bulk_send_with_template",
    "/signature_request/create_embedded",  // also ..._with_template
    "/signature_request/bulk_create_embedded_with_template",
    "/signature_request/files",  // also files_as_data_uri, files_as_file_url
    "/template/files",
    "/template/create_embedded_draft",
    "/unclaimed_draft/create",  // also create_embedded, create_embedded_with_template
};

// limiter.Acquire for the bucket `kind` + `id` + `suffix` (e.g. "api:acct:" id ":standard"),
// the name composed on the stack when it fits.
StatusOr<RateDecision> AcquireBucket(RateLimiter& limiter, std::string_view kind,
                                     std::string_view id, std::string_view suffix, int64_t limit) {
  char buffer[160];
  const size_t size = kind.size() + id.size() + suffix.size();
  if (size > sizeof buffer) {
    return limiter.Acquire(std::string(kind).append(id).append(suffix), limit);
  }
  std::memcpy(buffer, kind.data(), kind.size());
  std::memcpy(buffer + kind.size(), id.data(), id.size());
  std::memcpy(buffer + kind.size() + id.size(), suffix.data(), suffix.size());
  return limiter.Acquire(std::string_view(buffer, size), limit);
}

}  // namespace

ApiRateLimits::ApiRateLimits(RateLimiter& limiter, ApiRateLimitOptions options)
    : limiter_(limiter), options_(options) {}

bool ApiRateLimits::IsHighTier(std::string_view path) {
  if (path.substr(0, 4) == "/v3/") path.remove_prefix(3);
  return std::any_of(
      std::begin(kHighTierPrefixes), std::end(kHighTierPrefixes),
      [&](std::string_view prefix) { return path.substr(0, prefix.size()) == prefix; });
}

RateTier ApiRateLimits::TierOf(std::string_view path) {
  return IsHighTier(path) ? RateTier::kHigh : RateTier::kStandard;
}

RateTier ApiRateLimits::TierOf(std::string_view path, RequestFields& fields) {
  if (fields.Has("test_mode")) {
    StatusOr<std::optional<bool>> test_mode = fields.Bool("test_mode");
    if (test_mode.ok() && test_mode->value_or(false)) return RateTier::kTestMode;
  }
  return TierOf(path);
}

Status ApiRateLimits::Count(const http::Request& request, const std::string& account_id,
                            const std::string& client_id, RateTier tier) {
  int64_t limit = options_.standard_per_window;
  const char* suffix = ":standard";
  if (tier == RateTier::kHigh) {
    limit = options_.high_per_window;
    suffix = ":high";
  } else if (tier == RateTier::kTestMode) {
    limit = options_.test_mode_per_window;
    suffix = ":test";
  }
  if (limit <= 0) return Status::Ok();
  CS_ASSIGN_OR_RETURN(RateDecision shown,
                      AcquireBucket(limiter_, "api:acct:", account_id, suffix, limit));
  if (shown.allowed && !client_id.empty()) {
    CS_ASSIGN_OR_RETURN(RateDecision app,
                        AcquireBucket(limiter_, "api:app:", client_id, suffix, limit));
    if (!app.allowed || app.remaining < shown.remaining) shown = app;
  }
  http::Params& headers = request.response_headers;
  headers.reserve(headers.size() + 4);
  headers.emplace_back("X-RateLimit-Limit", std::to_string(shown.limit));
  headers.emplace_back("X-RateLimit-Remaining", std::to_string(shown.remaining));
  headers.emplace_back("X-Ratelimit-Reset", std::to_string(shown.reset_at));
  if (shown.allowed) return Status::Ok();
  headers.emplace_back("Retry-After", std::to_string(shown.retry_after));
  if (options_.counters != nullptr) {
    options_.counters->CountRateLimitRefusal(tier == RateTier::kHigh       ? "high"
                                             : tier == RateTier::kTestMode ? "test_mode"
                                                                           : "standard");
  }
  return Status(Code::kResourceExhausted, "Too many requests.");
}

http::Handler WithRateHeaders(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& request) {
    http::Response response = handler(request);
    if ((response.status >= 200 && response.status < 300) || response.status == 429) {
      // Moved to the response, the request's list left empty.
      response.headers.reserve(response.headers.size() + request.response_headers.size());
      for (auto& [name, value] : request.response_headers) {
        response.SetHeader(std::move(name), std::move(value));
      }
      request.response_headers.clear();
    }
    return response;
  };
}

void AddApiRoute(http::Router& router, std::string method, std::string pattern,
                 http::Handler handler, http::Lane lane) {
  router.Add(std::move(method), std::move(pattern), WithRateHeaders(std::move(handler)), lane);
}

}  // namespace countersign::api
