#include "wire/error.h"

namespace countersign::wire {

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

nlohmann::json RenderError(const Status& status) {
  nlohmann::json err = {{"error_msg", status.message()},
                        {"error_name", ErrorNameFor(status.code())}};
  if (status.code() == Code::kInternal) err["error_msg"] = "An internal error occurred.";
  if (!status.path().empty()) err["error_path"] = status.path();
  return nlohmann::json{{"error", err}};
}

}  // namespace countersign::wire
