#include "http/protocol_checks.h"

#include <http_parser.h>

#include "http/status_mapping.h"

namespace countersign::http {

std::optional<Response> CheckProtocol(const Request& request, int major, int minor) {
  if (major != 1) {
    return ErrorResponse(InvalidArgument("Only HTTP/1.0 and HTTP/1.1 are supported."), 505);
  }
  // One pass over the headers (this runs for every request).
  int hosts = 0;
  bool bad_host = false;
  bool bad_transfer = false;
  bool encoded = false;
  for (const auto& [name, value] : request.headers) {
    if (IEquals(name, "host")) {
      ++hosts;
      // RFC 9112 §3.2: a host[:port], or empty; one value (no list), no spaces.
      for (char c : TrimSpaces(value)) bad_host = bad_host || c == ' ' || c == '\t' || c == ',';
    } else if (IEquals(name, "transfer-encoding")) {
      bad_transfer = bad_transfer || !IEquals(TrimSpaces(value), "chunked");
    } else if (IEquals(name, "content-encoding")) {
      encoded = encoded || !IEquals(TrimSpaces(value), "identity");
    }
  }
  if ((minor >= 1 && hosts != 1) || hosts > 1) {
    return ErrorResponse(InvalidArgument("An HTTP/1.1 request must have exactly one Host header."));
  }
  if (bad_host) return ErrorResponse(InvalidArgument("The Host header is not a valid host."));
  if (bad_transfer) {
    return ErrorResponse(InvalidArgument("Transfer-Encoding is supported only as chunked alone."),
                         501);
  }
  const bool has_body = !request.body.empty() || request.spilled_body != nullptr;
  if (has_body && encoded) {
    return ErrorResponse(
        Status(Code::kUnsupportedMedia,
               "Content-Encoding is not supported: send the request body unencoded."));
  }
  return std::nullopt;
}

std::string MalformedRequestAnswer(int http_errno, std::string_view description) {
  const bool callback = http_errno >= HPE_CB_message_begin && http_errno <= HPE_CB_chunk_complete;
  const Response answer =
      http_errno == HPE_INVALID_METHOD
          ? ErrorResponse(InvalidArgument("The request method is not supported."), 501)
      : http_errno == HPE_HEADER_OVERFLOW
          ? ErrorResponse(InvalidArgument("The request's header fields are too large."), 431)
      : callback ? ErrorResponse(Internal("The request could not be read."))
                 : ErrorResponse(InvalidArgument(
                       "The request is not valid HTTP/1.1: " + std::string(description) + "."));
  std::string out = "HTTP/1.1 " + std::to_string(answer.status) + " " +
                    ReasonPhrase(answer.status) + "\r\nConnection: close\r\n";
  for (const auto& [name, value] : answer.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(answer.body.size()) + "\r\n\r\n" + answer.body;
  return out;
}

}  // namespace countersign::http
