#include "api/rate_limits.h"

#include <algorithm>

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

}  // namespace

ApiRateLimits::ApiRateLimits(RateLimiter& limiter, ApiRateLimitOptions options)
    : limiter_(limiter), options_(options) {}

bool ApiRateLimits::IsHighTier(std::string_view path) {
  if (path.substr(0, 4) == "/v3/") path.remove_prefix(3);
  return std::any_of(
      std::begin(kHighTierPrefixes), std::end(kHighTierPrefixes),
      [&](std::string_view prefix) { return path.substr(0, prefix.size()) == prefix; });
}

Status ApiRateLimits::Count(const http::Request& request, const std::string& account_id,
                            const std::string& client_id) {
  const bool high = IsHighTier(request.path);
  const int64_t limit = high ? options_.high_per_window : options_.standard_per_window;
  if (limit <= 0) return Status::Ok();
  const std::string tier = high ? ":high" : ":standard";
  CS_ASSIGN_OR_RETURN(RateDecision shown, limiter_.Acquire("api:acct:" + account_id + tier, limit));
  if (shown.allowed && !client_id.empty()) {
    CS_ASSIGN_OR_RETURN(RateDecision app, limiter_.Acquire("api:app:" + client_id + tier, limit));
    if (!app.allowed || app.remaining < shown.remaining) shown = app;
  }
  http::Params& headers = request.response_headers;
  headers.emplace_back("X-RateLimit-Limit", std::to_string(shown.limit));
  headers.emplace_back("X-RateLimit-Remaining", std::to_string(shown.remaining));
  headers.emplace_back("X-Ratelimit-Reset", std::to_string(shown.reset_at));
  if (shown.allowed) return Status::Ok();
  headers.emplace_back("Retry-After", std::to_string(shown.retry_after));
  return Status(Code::kResourceExhausted, "Too many requests.");
}

http::Handler WithRateHeaders(http::Handler handler) {
  return [handler = std::move(handler)](http::Request& request) {
    http::Response response = handler(request);
    if ((response.status >= 200 && response.status < 300) || response.status == 429) {
      for (auto& [name, value] : request.response_headers) response.SetHeader(name, value);
    }
    return response;
  };
}

void AddApiRoute(http::Router& router, std::string method, std::string pattern,
                 http::Handler handler, http::Lane lane) {
  router.Add(std::move(method), std::move(pattern), WithRateHeaders(std::move(handler)), lane);
}

}  // namespace countersign::api
