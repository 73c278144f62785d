#include "app/ops_routes.h"

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/log.h"
#include "http/status_mapping.h"

namespace countersign {
namespace {

http::Response Json(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump();
  r.SetHeader("Content-Type", "application/json");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

// True when `request` carries `Authorization: Bearer <token>`.
bool HasBearer(const http::Request& request, const std::string& token) {
  auto header = request.Header("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (!header || header->size() <= kScheme.size()) return false;
  std::string scheme(header->substr(0, kScheme.size()));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return false;
  return ConstantTimeEquals(header->substr(kScheme.size()), token);
}

http::Response Metrics(const OpsSources& sources, DatabaseReadiness& database,
                       const OpsRouteOptions& options, const http::Request& request) {
  if (!options.metrics_enabled) return http::ErrorResponse(NotFound());
  if (!options.metrics_token.empty() && !HasBearer(request, options.metrics_token)) {
    http::Response r = http::ErrorResponse(
        Status(Code::kUnauthenticated, "The metrics endpoint requires its Bearer token."));
    r.SetHeader("WWW-Authenticate", "Bearer realm=\"countersign-metrics\"");
    return r;
  }
  OpsSnapshot snapshot;
  snapshot.database_up = database.Failing() != "database";
  snapshot.pool = sources.probe.Pool();
  if (*snapshot.database_up) {
    auto queues = sources.probe.Queues(sources.clock.NowSeconds());
    if (queues.ok()) {
      snapshot.durable_queues = std::move(queues).value();
    } else {
      log::Warn("metrics", "cannot read the queue depths", {{"error", queues.status().ToString()}});
    }
  }
  snapshot.lanes = sources.server.Lanes();
  snapshot.workers = sources.workers();
  if (sources.read_caches) snapshot.read_caches = sources.read_caches();
  http::Response r;
  r.body = sources.metrics.Render(snapshot);
  r.SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace

Readiness CheckReadiness(const OpsSources& sources, DatabaseReadiness& database) {
  Readiness out;
  if (sources.server.draining()) out.failing.push_back("stopping");
  if (std::string failing = database.Failing(); !failing.empty()) {
    out.failing.push_back(std::move(failing));
  }
  for (const auto& [name, running] : sources.workers()) {
    if (!running) out.failing.push_back("worker:" + name);
  }
  return out;
}

void RegisterOpsRoutes(http::Router& router, const OpsSources& sources, OpsRouteOptions options) {
  router.Add("GET", "/healthz", [](http::Request&) { return Json(200, {{"status", "ok"}}); });
  // Shared by both routes; the router's handlers own it.
  auto database = std::make_shared<DatabaseReadiness>(sources.probe, options.database_timeout);
  router.Add("GET", "/readyz", [&sources, database](http::Request&) {
    Readiness readiness = CheckReadiness(sources, *database);
    if (readiness.ready()) return Json(200, {{"status", "ready"}});
    return Json(503, {{"status", "not_ready"}, {"failing", readiness.failing}});
  });
  router.Add("GET", "/metrics",
             [&sources, database, options = std::move(options)](http::Request& r) {
               return Metrics(sources, *database, options, r);
             });
}

}  // namespace countersign
