#include "http/router.h"

#include <algorithm>
#include <future>

namespace countersign::http {

void Router::Add(std::string method, std::string pattern, Handler handler, Lane lane) {
  std::vector<std::string> segments = Split(pattern);
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler), lane, {}});
  // Literal segments before captures, so "/v3/api_app/list" wins over "/v3/api_app/{id}".
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    auto captures = [](const Route& r) {
      return std::count_if(r.segments.begin(), r.segments.end(),
                           [](const std::string& s) { return s.front() == '{'; });
    };
    return captures(a) < captures(b);
  });
}

void Router::AddAsync(std::string method, std::string pattern, AsyncHandler handler) {
  Handler blocking = [handler](Request& request) {
    std::promise<Response> answer;
    std::future<Response> answered = answer.get_future();
    handler(request, [&answer](Response response) { answer.set_value(std::move(response)); });
    return answered.get();
  };
  Add(method, pattern, std::move(blocking), Lane::kInline);
  for (Route& route : routes_) {
    if (route.method == method && route.pattern == pattern)
      route.async_handler = std::move(handler);
  }
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

bool Router::Has(const std::string& method, const std::string& pattern) const {
  const std::vector<std::string> want = Split(pattern);
  auto same = [](const std::string& a, const std::string& b) {
    return a == b || (a.front() == '{' && b.front() == '{');
  };
  return std::any_of(routes_.begin(), routes_.end(), [&](const Route& r) {
    return r.method == method && r.segments.size() == want.size() &&
           std::equal(want.begin(), want.end(), r.segments.begin(), same);
  });
}

RouteMatch Router::Resolve(Request& request) const {
  const std::vector<std::string> segments = Split(request.path);
  RouteMatch match;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    Params captures;
    if (!Match(route, segments, captures)) continue;
    if (route.method != request.method && !(request.method == "HEAD" && route.method == "GET")) {
      if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) {
        allowed.push_back(route.method);
        if (route.method == "GET") allowed.push_back("HEAD");
      }
      continue;
    }
    request.path_params = std::move(captures);
    match.handler = &route.handler;
    if (route.async_handler) match.async_handler = &route.async_handler;
    match.lane = route.lane;
    match.pattern = &route.pattern;
    return match;
  }
  match.fallback_status = allowed.empty() ? 404 : 405;
  std::sort(allowed.begin(), allowed.end());
  for (const std::string& m : allowed) match.allow += (match.allow.empty() ? "" : ", ") + m;
  const Handler& fallback = allowed.empty() ? not_found_ : method_not_allowed_;
  if (fallback) match.handler = &fallback;
  return match;
}

Response Router::Run(const RouteMatch& match, Request& request) const {
  Response r;
  if (match.handler != nullptr) {
    r = (*match.handler)(request);
  } else {
    r.status = match.fallback_status;
  }
  if (match.fallback_status == 405) r.SetHeader("Allow", match.allow);
  return r;
}

Response Router::Dispatch(Request& request) const {
  RouteMatch match = Resolve(request);
  return Run(match, request);
}

}  // namespace countersign::http
