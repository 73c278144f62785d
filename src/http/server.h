// HttpServer: serves a Router over HTTP/1.1 with RESTinio on a pool of threads. This header
// is free of RESTinio; server.cc is the only translation unit that includes it.
// Run() blocks until SIGINT/SIGTERM or Stop(); the router is shared read-only by all threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "http/router.h"

namespace countersign::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0: the OS picks a free port
  int threads = 2;
  size_t max_body_bytes = 64u << 20;
  size_t max_url_bytes = 16u << 10;
  // Routes on Lane::kCompute / kFetch run on these bounded queues; a request finding its queue
  // full is answered 503 with Retry-After: busy_retry_after_seconds.
  int compute_threads = 2;
  size_t compute_queue = 64;
  int fetch_threads = 16;
  size_t fetch_queue = 64;
  int busy_retry_after_seconds = 5;
};

// Serves `router` until SIGINT or SIGTERM. `on_listening` runs once with the bound port.
// Errors: kUnavailable when the address cannot be bound.
Status RunHttpServer(const ServerOptions& options, const Router& router,
                     const std::function<void(uint16_t port)>& on_listening);

}  // namespace countersign::http
