#include "http/status_mapping.h"

#include <nlohmann/json.hpp>

namespace countersign::http {

int HttpStatusFor(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kInvalidGrant:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kInvalidClient:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kConflict:
      return 409;
    case Code::kGone:
      return 410;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kUnsupportedMedia:
      return 415;
    case Code::kResourceExhausted:
      return 429;
    case Code::kInternal:
      return 500;
    case Code::kUnavailable:
      return 503;
  }
  return 500;
}

std::string ErrorNameFor(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return "bad_request";
    case Code::kInvalidGrant:
      return "invalid_grant";
    case Code::kUnauthenticated:
      return "unauthorized";
    case Code::kInvalidClient:
      return "invalid_client";
    case Code::kPermissionDenied:
      return "forbidden";
    case Code::kNotFound:
      return "not_found";
    case Code::kConflict:
      return "conflict";
    case Code::kGone:
      return "deleted";
    case Code::kPayloadTooLarge:
      return "bad_request";
    case Code::kUnsupportedMedia:
      return "bad_request";
    case Code::kResourceExhausted:
      return "exceeded_rate";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kOk:
    case Code::kInternal:
      break;
  }
  return "internal_error";
}

Response JsonResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", "application/json");
  return r;
}

Response ErrorResponse(const Status& status) {
  nlohmann::json err = {{"error_msg", status.message()},
                        {"error_name", ErrorNameFor(status.code())}};
  if (status.code() == Code::kInternal) err["error_msg"] = "An internal error occurred.";
  if (!status.path().empty()) err["error_path"] = status.path();
  return JsonResponse(HttpStatusFor(status.code()),
                      nlohmann::json{{"error", err}}.dump(
                          -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace countersign::http
