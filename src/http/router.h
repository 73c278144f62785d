// Router: maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` segments that capture one path segment into Request::path_params, e.g.
// "/v3/api_app/{client_id}". Literal routes win over captures. Each route names the Lane its
// handler runs on, so the transport can keep slow work off the HTTP threads. Routes are added
// at start-up; Resolve, Run and Dispatch are then thread-safe (read-only).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace countersign::http {

using Handler = std::function<Response(Request&)>;
// Sends the answer of an asynchronous handler; callable from any thread.
using Responder = std::function<void(Response)>;
// A handler that answers through `respond`, exactly once, from any thread, possibly before it
// returns (e.g. once a queued write has committed, so no thread waits for it). It must copy
// what it needs from the Request before returning. If it throws it must not have called
// `respond`, and must not call it later.
using AsyncHandler = std::function<void(Request&, Responder)>;

// Where a route's handler runs. kInline: on the HTTP thread; only for fast work (no password
// hashing, rendering, PDF work or outbound calls). kCompute: on the bounded compute queue
// (argon2id, page rendering, PDF merging). kFetch: on the bounded fetch queue, for handlers
// that wait on other servers (sends with file_urls).
enum class Lane { kInline, kCompute, kFetch };

// The outcome of routing one request: the handler to run and its lane. With no handler, the
// router answers `fallback_status` (404, or 405 with `allow` listing the path's methods).
struct RouteMatch {
  const Handler* handler = nullptr;
  // Set for a route added with AddAsync (then `handler` runs it and waits for its answer).
  const AsyncHandler* async_handler = nullptr;
  Lane lane = Lane::kInline;
  const std::string* pattern = nullptr;  // the route, e.g. "/v3/api_app/{client_id}" (logs)
  int fallback_status = 0;
  std::string allow;  // for 405: "GET, HEAD, POST"
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, Lane lane = Lane::kInline);
  // An inline route whose handler answers asynchronously. The transport lets it answer later
  // without holding its thread; Run and Dispatch wait for the answer on the calling thread.
  void AddAsync(std::string method, std::string pattern, AsyncHandler handler);

  // True when a route for `method` has the same shape as `pattern` (capture names aside).
  bool Has(const std::string& method, const std::string& pattern) const;

  // Finds the route for `request` and fills request.path_params. No path match: the
  // `not_found` handler; path matched with another method: the `method_not_allowed` handler
  // (both inline).
  RouteMatch Resolve(Request& request) const;
  // Runs a resolved match; a 405 always carries `Allow`.
  Response Run(const RouteMatch& match, Request& request) const;
  // Resolve + Run on the calling thread, whatever the lane (tests, tools).
  Response Dispatch(Request& request) const;

  void SetNotFound(Handler handler) { not_found_ = std::move(handler); }
  void SetMethodNotAllowed(Handler handler) { method_not_allowed_ = std::move(handler); }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    Lane lane;
    AsyncHandler async_handler;  // empty for a route added with Add
  };
  static std::vector<std::string> Split(const std::string& path);
  static bool Match(const Route& route, const std::vector<std::string>& segments, Params& captures);

  std::vector<Route> routes_;
  Handler not_found_;
  Handler method_not_allowed_;
};

}  // namespace countersign::http
