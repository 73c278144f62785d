// HTTP/1.1's rules for a request that the parser lets through (RFC 9112 §3.2, RFC 9110 §8.4),
// checked before routing, and the answer to one it cannot read. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace countersign::http {

// The answer to `request` (sent as HTTP/`major`.`minor`) when it breaks one of these rules,
// nullopt when it may be routed:
// - another major version than 1 → 505;
// - no Host header (HTTP/1.1 or a later 1.x), more than one, or one that holds spaces or a
//   list → 400 (an empty one is allowed, RFC 9112 §3.2);
// - a Transfer-Encoding other than chunked alone (e.g. "gzip, chunked") → 501: the parser
//   undoes the chunks only;
// - a body with a Content-Encoding other than identity → 415: the body would otherwise be read
//   as if it were not encoded.
// Every answer is in the API's error format, error_name bad_request.
std::optional<Response> CheckProtocol(const Request& request, int major, int minor);

// The whole HTTP/1.1 answer, as bytes, to a request the parser could not read: `http_errno` is
// http_parser's error and `description` its text. An unknown method → 501, more than 80 KB of
// header fields → 431, an error of one of
// the server's own parser callbacks (e.g. a spilled upload that could not be written) → 500,
// any other → 400, in the API's error format and with "Connection: close" (the connection is
// closed right after it).
std::string MalformedRequestAnswer(int http_errno, std::string_view description);

}  // namespace countersign::http
