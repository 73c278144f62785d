// OpsMetrics: the one metrics registry of a server process (Prometheus, prometheus-cpp core),
// created by the Application and passed by reference to whatever counts. It owns the counters
// and histograms that move with events (HTTP requests and their latency, log-ins, OAuth grants,
// event deliveries, rate-limit refusals) and renders them, together with gauges read at scrape
// time (OpsSnapshot: database pool, queues, workers), in the Prometheus text format.
//
// Thread-safe: counting and Render may run on any threads at once.
#pragma once

#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/ops_counters.h"
#include "core/work_queue.h"
#include "service/exact_read_cache.h"
#include "store/database_probe.h"

namespace prometheus {
class Registry;
template <typename T>
class Family;
class Counter;
class Histogram;
}  // namespace prometheus

namespace countersign {

// What is read, not counted, at one scrape. A value type; absent parts are left out.
struct OpsSnapshot {
  std::optional<DatabasePoolStats> pool;
  std::vector<DurableQueueStats> durable_queues;                    // mail, events, advance
  std::vector<std::pair<std::string, WorkQueue::Stats>> lanes;      // compute, fetch
  std::vector<std::pair<std::string, bool>> workers;                // name -> running
  std::vector<std::pair<std::string, ReadCacheStats>> read_caches;  // bearer_token, api_key
  std::optional<bool> database_up;
};

class OpsMetrics final : public OpsCounters {
 public:
  OpsMetrics();
  ~OpsMetrics() override;
  OpsMetrics(const OpsMetrics&) = delete;
  OpsMetrics& operator=(const OpsMetrics&) = delete;

  void CountLogin(std::string_view outcome) override;
  void CountOAuthGrant(std::string_view grant_type, std::string_view outcome) override;
  void CountDelivery(std::string_view outcome) override;
  void CountRateLimitRefusal(std::string_view tier) override;

  // One answered HTTP request. `route` is the matched pattern, or empty when none matched
  // (counted as "unmatched", so client-chosen paths never become label values).
  void ObserveRequest(std::string_view method, std::string_view route, int status, double seconds);

  // Everything counted so far plus `snapshot`, in the Prometheus text exposition format 0.0.4.
  std::string Render(const OpsSnapshot& snapshot) const;

 private:
  // The two series one (route, method, status) moves. Family::Add builds a label map and takes
  // the family's lock on every call, so each is found once and kept (label values come from
  // fixed sets, so the map stays small).
  struct RequestSeries {
    prometheus::Counter* requests = nullptr;
    prometheus::Histogram* latency = nullptr;
  };
  RequestSeries SeriesFor(std::string_view method, std::string_view route, int status);

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& logins_;
  prometheus::Family<prometheus::Counter>& grants_;
  prometheus::Family<prometheus::Counter>& deliveries_;
  prometheus::Family<prometheus::Counter>& refusals_;
  std::shared_mutex series_mu_;
  // "route\nmethod\nstatus" -> its series; guarded by series_mu_.
  std::unordered_map<std::string, RequestSeries> series_;
};

}  // namespace countersign
