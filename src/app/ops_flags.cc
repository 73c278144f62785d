#include "app/ops_flags.h"

namespace countersign {

void AddOpsFlags(CLI::App& serve, Config& config) {
  serve.add_flag("--metrics", config.metrics_enabled,
                 "Serve GET /metrics (Prometheus text) to anyone who can reach the port; "
                 "default: 404");
  serve
      .add_option("--metrics-token", config.metrics_token,
                  "Serve GET /metrics only with 'Authorization: Bearer TOKEN' (implies --metrics)")
      ->envname("COUNTERSIGN_METRICS_TOKEN");
  serve
      .add_option("--shutdown-grace-seconds", config.shutdown_grace_seconds,
                  "On SIGTERM/SIGINT, how long to wait for requests in progress (default 20)")
      ->check(CLI::Range(0, 3600));
}

}  // namespace countersign
