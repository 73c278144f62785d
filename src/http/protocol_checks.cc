#include "http/protocol_checks.h"

#include <strings.h>

#include "core/json_dump.h"
#include "http/status_mapping.h"
#include "wire/error.h"

namespace countersign::http {

namespace {

Response Refused(int status, Code code, std::string message) {
  return JsonResponse(status, DumpJson(wire::RenderError(Status(code, std::move(message)))));
}

size_t CountHeaders(const Request& request, std::string_view name) {
  size_t n = 0;
  for (const auto& [key, value] : request.headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) ++n;
  }
  return n;
}

}  // namespace

std::optional<Response> CheckProtocol(const Request& request, int major, int minor) {
  if (major != 1) {
    return Refused(505, Code::kInvalidArgument, "Only HTTP/1.0 and HTTP/1.1 are supported.");
  }
  if (minor >= 1 && CountHeaders(request, "host") != 1) {
    return Refused(400, Code::kInvalidArgument,
                   "An HTTP/1.1 request must have exactly one Host header.");
  }
  if (std::optional<std::string_view> host = request.Header("host")) {
    // RFC 9112 §3.2: a host[:port], or empty; one value (no list), no spaces.
    if (TrimSpaces(*host).find_first_of(" \t,") != std::string_view::npos) {
      return Refused(400, Code::kInvalidArgument, "The Host header is not a valid host.");
    }
  }
  const std::string transfer(TrimSpaces(request.HeaderList("transfer-encoding")));
  if (!transfer.empty() && strcasecmp(transfer.c_str(), "chunked") != 0) {
    return Refused(501, Code::kInvalidArgument,
                   "Transfer-Encoding is supported only as chunked alone.");
  }
  const bool has_body = !request.body.empty() || request.spilled_body != nullptr;
  const std::string encoding(TrimSpaces(request.HeaderList("content-encoding")));
  if (has_body && !encoding.empty() && strcasecmp(encoding.c_str(), "identity") != 0) {
    return Refused(415, Code::kUnsupportedMedia,
                   "Content-Encoding is not supported: send the request body unencoded.");
  }
  return std::nullopt;
}

}  // namespace countersign::http
