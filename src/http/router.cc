#include "http/router.h"

#include <algorithm>

namespace countersign::http {

void Router::Add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back({std::move(method), Split(pattern), std::move(handler)});
  // Literal segments before captures, so "/v3/api_app/list" wins over "/v3/api_app/{id}".
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    auto captures = [](const Route& r) {
      return std::count_if(r.segments.begin(), r.segments.end(),
                           [](const std::string& s) { return s.front() == '{'; });
    };
    return captures(a) < captures(b);
  });
}

std::vector<std::string> Router::Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string::npos) slash = path.size();
    if (slash > i) out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool Router::Match(const Route& route, const std::vector<std::string>& segments, Params& captures) {
  if (route.segments.size() != segments.size()) return false;
  Params found;
  for (size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.front() == '{') {
      found.emplace_back(want.substr(1, want.size() - 2), segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  captures = std::move(found);
  return true;
}

Response Router::Dispatch(Request& request) const {
  const std::vector<std::string> segments = Split(request.path);
  bool path_matched = false;
  for (const Route& route : routes_) {
    Params captures;
    if (!Match(route, segments, captures)) continue;
    path_matched = true;
    if (route.method != request.method && !(request.method == "HEAD" && route.method == "GET")) {
      continue;
    }
    request.path_params = std::move(captures);
    return route.handler(request);
  }
  const Handler& fallback = path_matched ? method_not_allowed_ : not_found_;
  if (fallback) return fallback(request);
  Response r;
  r.status = path_matched ? 405 : 404;
  return r;
}

}  // namespace countersign::http
