// The command-line options of the operations features (health, metrics, graceful stop), kept
// apart from main.cc's long list. Thread-compatible.
#pragma once

#include <CLI/CLI.hpp>

#include "app/config.h"

namespace countersign {

// Adds --metrics, --metrics-token (also COUNTERSIGN_METRICS_TOKEN) and
// --shutdown-grace-seconds to `serve`, writing into `config`.
void AddOpsFlags(CLI::App& serve, Config& config);

}  // namespace countersign
