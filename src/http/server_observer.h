// ServerObserver: what the HTTP server (http/server.h) tells its owner while it runs: each
// answered request (metrics), the moment it begins to stop (readiness turns false), and its
// bounded work queues while they exist (metrics read their depth). Implemented in app/.
//
// Thread-safety: OnResponse is called from any HTTP or queue thread at once; the others from
// the server's threads, one at a time.
#pragma once

#include <string_view>

#include "core/work_queue.h"

namespace countersign::http {

class ServerObserver {
 public:
  virtual ~ServerObserver() = default;

  // After each response is handed to its connection. `route` is the matched pattern
  // ("/v3/api_app/{client_id}"), or empty when no route matched the path; `seconds` runs from
  // the request's arrival (after its body was read) to its answer.
  virtual void OnResponse(std::string_view method, std::string_view route, int status,
                          double seconds) = 0;
  // Once, when the server begins to stop (SIGTERM or SIGINT): no connection is accepted from
  // now on; requests in progress are being finished.
  virtual void OnDraining() = 0;
  // With the compute and fetch queues once they exist, and with two nulls before they are
  // destroyed; the pointers are valid until that second call.
  virtual void OnQueues(const WorkQueue* compute, const WorkQueue* fetch) = 0;
};

}  // namespace countersign::http
