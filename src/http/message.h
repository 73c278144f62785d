// Request and Response: the transport-neutral HTTP messages every handler sees. The RESTinio
// server (http/server.cc) is the only code that converts to and from the wire library, so no
// other translation unit includes the heavy Asio headers. Value types; thread-compatible.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/spilled_body.h"

namespace countersign::http {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;     // "GET", "POST", ... upper case
  std::string path;       // decoded path without the query, e.g. "/v3/api_app/abc"
  std::string raw_query;  // the query string as received, without '?'
  Params query;           // decoded query parameters in order ("refresh" -> "")
  Params headers;         // as received; look up with Header()
  std::string body;       // empty when the body was spilled to a file (below)
  // A large multipart body the server wrote to a file as it arrived (http/upload_spill.h);
  // null for every other request. Read bodies through Body(), which sees both.
  std::shared_ptr<SpilledBody> spilled_body;
  std::string remote_ip;
  std::string request_id;  // set by the server: X-Request-Id, echoed and in every log line
  Params path_params;      // filled by the Router, e.g. {"client_id", "abc"}
  // Headers that code under the handler (e.g. api::ApiRateLimits) asks to add to the response;
  // a wrapper around the handler copies them (api::WithRateHeaders).
  mutable Params response_headers;

  // The body's bytes, in memory or spilled (mapped on first use), valid while the request
  // lives. kInternal only when a spilled body cannot be read back.
  StatusOr<std::string_view> Body() const;
  // Case-insensitive header lookup; the first value, or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Every value of header `name` (case-insensitive), in order, joined by "," (a list header
  // sent on several lines, RFC 9110 §5.3); "" when there is none.
  std::string HeaderList(std::string_view name) const;
  // First query parameter named `name`, or nullopt. HasQuery is true even for "?refresh".
  std::optional<std::string_view> Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  // Value of the cookie `name` from the Cookie header, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Params headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
};

// Percent-decodes `s`; when `plus_is_space`, '+' becomes ' ' (form and query encoding).
std::string UrlDecode(std::string_view s, bool plus_is_space = true);
// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
std::string UrlEncode(std::string_view s);
// Splits "a=1&b=2" into decoded pairs; a key without '=' gets an empty value.
Params ParseUrlEncoded(std::string_view s);

// The request's X-Request-Id when it is a sane token (at most 64 of [A-Za-z0-9._-], so a
// proxy's id carries through), else a new random one (16 hex digits).
std::string RequestIdFor(const Request& request);

// `s` without the spaces and tabs at either end (HTTP's optional whitespace).
std::string_view TrimSpaces(std::string_view s);

// Whether `a` and `b` are equal ignoring ASCII case (header names, tokens).
bool IEquals(std::string_view a, std::string_view b);

}  // namespace countersign::http
