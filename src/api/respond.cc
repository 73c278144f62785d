#include "api/respond.h"

#include <charconv>
#include <iostream>

#include "core/json_dump.h"
#include "core/log.h"
#include "http/status_mapping.h"
#include "wire/render.h"

namespace countersign::api {

http::Response Respond(const StatusOr<nlohmann::json>& result, int ok_status) {
  if (!result.ok()) return http::ErrorResponse(result.status());
  return http::JsonResponse(ok_status, DumpJson(*result));
}

http::Response RespondText(StatusOr<std::string> result, int ok_status) {
  if (!result.ok()) return http::ErrorResponse(result.status());
  return http::JsonResponse(ok_status, std::move(result).value());
}

void AddIgnoredWarnings(const RequestFields& fields, nlohmann::json& body) {
  auto keys = fields.IgnoredKeys();
  if (!keys.empty()) body["warnings"] = wire::IgnoredParameterWarnings(keys);
}

void LogIfError(const Status& status, const char* what) {
  if (!status.ok()) log::Warn("api", what, {{"error", status.ToString()}});
}

namespace {

StatusOr<int> IntParam(const http::Request& request, const char* name, int fallback) {
  auto raw = request.Query(name);
  if (!raw) return fallback;
  int value = 0;
  auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (raw->empty() || ec != std::errc() || p != raw->data() + raw->size()) {
    return InvalidArgument(std::string(name) + " must be an integer", name);
  }
  return value;
}

}  // namespace

StatusOr<std::pair<int, int>> PageParams(const http::Request& request) {
  CS_ASSIGN_OR_RETURN(int page, IntParam(request, "page", 1));
  CS_ASSIGN_OR_RETURN(int page_size, IntParam(request, "page_size", 20));
  if (page < 1) return InvalidArgument("page must be 1 or more", "page");
  if (page_size < 1 || page_size > 100) {
    return InvalidArgument("page_size must be between 1 and 100", "page_size");
  }
  return std::make_pair(page, page_size);
}

}  // namespace countersign::api
