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

// Where a route's handler runs. kInline: on the HTTP thread; only for fast work (no password
// hashing, rendering, PDF work or outbound calls). kCompute: on the bounded compute queue
// (argon2id, page rendering, PDF merging). kFetch: on the bounded fetch queue, for handlers
// that wait on other servers (sends with file_urls).
enum class Lane { kInline, kCompute, kFetch };

// The outcome of routing one request: the handler to run and its lane. With no handler, the
// router answers `fallback_status` (404, or 405 with `allow` listing the path's methods).
struct RouteMatch {
  const Handler* handler = nullptr;
  Lane lane = Lane::kInline;
  const std::string* pattern = nullptr;  // the route, e.g. "/v3/api_app/{client_id}" (logs)
  int fallback_status = 0;
  std::string allow;  // for 405: "GET, HEAD, POST"
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler, Lane lane = Lane::kInline);

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
  };
  static std::vector<std::string> Split(const std::string& path);
  static bool Match(const Route& route, const std::vector<std::string>& segments, Params& captures);

  std::vector<Route> routes_;
  Handler not_found_;
  Handler method_not_allowed_;
};

}  // namespace countersign::http
