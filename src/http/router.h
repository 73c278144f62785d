// Router: maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` segments that capture one path segment into Request::path_params, e.g.
// "/v3/api_app/{client_id}". Literal routes win over captures. Routes are added at start-up;
// Dispatch is then thread-safe (read-only).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace countersign::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  // Runs the matching handler. No path match: `not_found`. Path matched with another method:
  // `method_not_allowed` (both default to Dropbox Sign JSON errors, settable below).
  Response Dispatch(Request& request) const;

  void SetNotFound(Handler handler) { not_found_ = std::move(handler); }
  void SetMethodNotAllowed(Handler handler) { method_not_allowed_ = std::move(handler); }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static std::vector<std::string> Split(const std::string& path);
  static bool Match(const Route& route, const std::vector<std::string>& segments, Params& captures);

  std::vector<Route> routes_;
  Handler not_found_;
  Handler method_not_allowed_;
};

}  // namespace countersign::http
