#include "http/protocol_checks.h"

#include <http_parser.h>
#include <strings.h>

#include "core/json_dump.h"
#include "http/status_mapping.h"
#include "wire/error.h"

namespace countersign::http {

namespace {

Response Refused(int status, Code code, std::string message) {
  return JsonResponse(status, DumpJson(wire::RenderError(Status(code, std::move(message)))));
}

bool NameIs(std::string_view name, std::string_view lower) {
  return name.size() == lower.size() && strncasecmp(name.data(), lower.data(), lower.size()) == 0;
}

bool ValueIs(std::string_view value, std::string_view lower) {
  return NameIs(TrimSpaces(value), lower);
}

}  // namespace

std::optional<Response> CheckProtocol(const Request& request, int major, int minor) {
  if (major != 1) {
    return Refused(505, Code::kInvalidArgument, "Only HTTP/1.0 and HTTP/1.1 are supported.");
  }
  // One pass over the headers (this runs for every request).
  int hosts = 0;
  bool bad_host = false;
  bool bad_transfer = false;
  bool encoded = false;
  for (const auto& [name, value] : request.headers) {
    if (NameIs(name, "host")) {
      ++hosts;
      // RFC 9112 §3.2: a host[:port], or empty; one value (no list), no spaces.
      for (char c : TrimSpaces(value)) bad_host = bad_host || c == ' ' || c == '\t' || c == ',';
    } else if (NameIs(name, "transfer-encoding")) {
      bad_transfer = bad_transfer || !ValueIs(value, "chunked");
    } else if (NameIs(name, "content-encoding")) {
      encoded = encoded || !ValueIs(value, "identity");
    }
  }
  if ((minor >= 1 && hosts != 1) || hosts > 1) {
    return Refused(400, Code::kInvalidArgument,
                   "An HTTP/1.1 request must have exactly one Host header.");
  }
  if (bad_host) return Refused(400, Code::kInvalidArgument, "The Host header is not a valid host.");
  if (bad_transfer) {
    return Refused(501, Code::kInvalidArgument,
                   "Transfer-Encoding is supported only as chunked alone.");
  }
  const bool has_body = !request.body.empty() || request.spilled_body != nullptr;
  if (has_body && encoded) {
    return Refused(415, Code::kUnsupportedMedia,
                   "Content-Encoding is not supported: send the request body unencoded.");
  }
  return std::nullopt;
}

std::string MalformedRequestAnswer(int http_errno, std::string_view description) {
  const bool callback = http_errno >= HPE_CB_message_begin && http_errno <= HPE_CB_chunk_complete;
  const Response answer =
      http_errno == HPE_INVALID_METHOD
          ? Refused(501, Code::kInvalidArgument, "The request method is not supported.")
      : http_errno == HPE_HEADER_OVERFLOW
          ? Refused(431, Code::kInvalidArgument, "The request's header fields are too large.")
      : callback ? ErrorResponse(Internal("The request could not be read."))
                 : Refused(400, Code::kInvalidArgument,
                           "The request is not valid HTTP/1.1: " + std::string(description) + ".");
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + " " +
                    ReasonPhrase(answer.status) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : answer.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(answer.body.size()) + "\r\n\r\n" + answer.body;
  return out;
}

}  // namespace countersign::http
