// The operator endpoints, outside /v3 and the pages: GET /healthz (the process serves: always
// 200), GET /readyz (200 only when the database answers, its schema is current, every
// background worker runs and the server is not stopping; else 503 naming what is not ready) and
// GET /metrics (Prometheus text; 404 unless enabled, and with a token only for
// `Authorization: Bearer <token>`). No session, no rate limit, no account data; each is a few
// cheap queries at most. Thread-safe once registered.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "app/ops_metrics.h"
#include "app/server_state.h"
#include "core/clock.h"
#include "http/router.h"
#include "store/database_probe.h"

namespace countersign {

struct OpsRouteOptions {
  bool metrics_enabled = false;  // off: /metrics answers 404
  std::string metrics_token;     // not empty: /metrics requires it as a Bearer token
};

// What the endpoints read. Everything must outlive the router.
struct OpsSources {
  DatabaseProbe& probe;
  const Clock& clock;
  ServerState& server;
  OpsMetrics& metrics;
  // The background workers by name ("mail", "events", "advance") and whether each runs.
  std::function<std::vector<std::pair<std::string, bool>>()> workers;
};

// The outcome of one readiness check: what failed, by name ("database", "migrations",
// "worker:mail", "stopping"); ready when empty.
struct Readiness {
  std::vector<std::string> failing;
  bool ready() const { return failing.empty(); }
};
Readiness CheckReadiness(const OpsSources& sources);

void RegisterOpsRoutes(http::Router& router, const OpsSources& sources, OpsRouteOptions options);

}  // namespace countersign
