// ServerState: the app's view of its running HTTP server, as the http::ServerObserver it gives
// RunHttpServer. It forwards every answered request to OpsMetrics, remembers whether the server
// has begun to stop (readiness turns false then, so a load balancer stops sending), and reads
// the compute and fetch queues for metrics while they exist.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "app/ops_metrics.h"
#include "http/server_observer.h"

namespace countersign {

class ServerState final : public http::ServerObserver {
 public:
  // `metrics` must outlive this object.
  explicit ServerState(OpsMetrics& metrics) : metrics_(metrics) {}

  void OnResponse(std::string_view method, std::string_view route, int status,
                  double seconds) override {
    metrics_.ObserveRequest(method, route, status, seconds);
  }
  void OnDraining() override { draining_ = true; }
  void OnQueues(const WorkQueue* compute, const WorkQueue* fetch) override;

  // True once the server began to stop.
  bool draining() const { return draining_.load(); }
  // The compute and fetch queues now, by name; empty when the server is not running.
  std::vector<std::pair<std::string, WorkQueue::Stats>> Lanes() const;

 private:
  OpsMetrics& metrics_;
  std::atomic<bool> draining_{false};
  mutable std::mutex mu_;
  std::vector<const WorkQueue*> queues_;  // guarded by mu_
};

}  // namespace countersign
