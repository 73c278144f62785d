// HttpServer: serves a Router over HTTP/1.1 with RESTinio on one or more event loops. This header
// is free of RESTinio; server.cc is the only translation unit that includes it.
// RunHttpServer blocks until SIGINT/SIGTERM; the router is shared read-only by all threads.
//
// Graceful stop: on the first SIGTERM or SIGINT the server stops accepting connections (new
// ones are refused by the OS), tells the observer (OnDraining), and keeps serving the requests
// in progress and those that arrive on connections already open, each answered with
// `Connection: close`. It returns once no request is in progress and either every connection
// has closed or none has shown activity for `drain_idle` (a connection kept alive but idle, or
// one whose request stalls that long), or when `shutdown_grace` has passed, whichever is first.
// A second signal returns at once. Requests still queued on the compute and fetch lanes then
// run but their answers are not sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/status.h"
#include "http/client_address.h"
#include "http/router.h"
#include "http/server_observer.h"

namespace countersign::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 8080;  // 0: the OS picks a free port
  // HTTP threads, and the event loops they run: `loops` loops (each its own io_context and
  // listening socket on the same port, SO_REUSEPORT, the kernel spreading new connections over
  // them), each run by threads / loops threads (rounded up; loops is at most threads). One
  // thread per loop keeps all of a connection's work on one thread, with no wake-ups across
  // threads; one loop of many threads lets any idle thread take any request, which suits
  // handlers that block (PostgreSQL round trips). With several loops, a port already in use
  // fails as it does with one.
  int threads = 2;
  int loops = 1;
  size_t max_body_bytes = 64u << 20;
  size_t max_url_bytes = 16u << 10;
  // multipart/form-data bodies of at least upload_spill_min_bytes (by Content-Length) are
  // written to files in this folder as they arrive instead of being held in memory
  // (http/upload_spill.h); "" keeps every body in memory.
  std::string upload_spill_dir;
  size_t upload_spill_min_bytes = 4u << 20;
  // Routes on Lane::kCompute / kFetch run on these bounded queues; a request finding its queue
  // full is answered 503 with Retry-After: busy_retry_after_seconds.
  int compute_threads = 2;
  size_t compute_queue = 64;
  int fetch_threads = 16;
  size_t fetch_queue = 64;
  int busy_retry_after_seconds = 5;
  // Reverse proxies whose X-Forwarded-For names the client (http/client_address.h); none by
  // default, so that the header is ignored.
  TrustedProxies trusted_proxies;
  // The bound of a graceful stop, and how long the open connections must stay quiet before it
  // ends without waiting for them to close (see the top of this file).
  std::chrono::milliseconds shutdown_grace{20000};
  std::chrono::milliseconds drain_idle{1000};
  // Told of every response, the start of a stop and the lanes' queues; null: nobody. Must
  // outlive RunHttpServer.
  ServerObserver* observer = nullptr;
};

// Serves `router` until SIGINT or SIGTERM, then stops gracefully (above) and returns OK.
// `on_listening` runs once with the bound port. Errors: kUnavailable when the address cannot
// be bound.
Status RunHttpServer(const ServerOptions& options, const Router& router,
                     const std::function<void(uint16_t port)>& on_listening);

}  // namespace countersign::http
