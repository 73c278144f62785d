// The operator endpoints, outside /v3 and the pages: GET /healthz (the process serves: always
// 200), GET /readyz (200 only when the database answers, its schema is current, every
// background worker runs and the server is not stopping; else 503 naming what is not ready) and
// GET /metrics (Prometheus text; 404 unless enabled, and with a token only for
// `Authorization: Bearer <token>`). No session, no rate limit, no account data; each is a few
// cheap queries at most, and the database's answer is awaited at most
// OpsRouteOptions::database_timeout (DatabaseReadiness). Thread-safe once registered.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "app/database_readiness.h"
#include "app/ops_metrics.h"
#include "app/server_state.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/database_probe.h"

namespace countersign {

struct OpsRouteOptions {
  bool metrics_enabled = false;  // off: /metrics answers 404
  std::string metrics_token;     // not empty: /metrics requires it as a Bearer token
  // How long /readyz and /metrics wait for the database before they count it as down.
  std::chrono::milliseconds database_timeout = std::chrono::seconds(2);
};

// What the endpoints read. Everything must outlive the router.
struct OpsSources {
  DatabaseProbe& probe;
  const Clock& clock;
  ServerState& server;
  OpsMetrics& metrics;
  // The background workers by name ("mail", "events", "advance") and whether each runs.
  std::function<std::vector<std::pair<std::string, bool>>()> workers;
  // The exact read caches of authentication by name ("bearer_token", "api_key"); none when the
  // database has no commit watch.
  std::function<std::vector<std::pair<std::string, ReadCacheStats>>()> read_caches;
};

// The outcome of one readiness check: what failed, by name ("database", "migrations",
// "worker:mail", "stopping"); ready when empty.
struct Readiness {
  std::vector<std::string> failing;
  bool ready() const { return failing.empty(); }
};
Readiness CheckReadiness(const OpsSources& sources, DatabaseReadiness& database);

void RegisterOpsRoutes(http::Router& router, const OpsSources& sources, OpsRouteOptions options);

}  // namespace countersign
