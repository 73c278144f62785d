#include "app/ops_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace countersign {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// Request latency buckets, in seconds: from a cached page to a send that fetches file_urls.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return kBuckets;
}

std::string Text(std::string_view s) { return std::string(s); }

// A family of metrics read at scrape time rather than counted.
class PulledFamily {
 public:
  PulledFamily(std::string name, std::string help, MetricType type) {
    family_.name = std::move(name);
    family_.help = std::move(help);
    family_.type = type;
  }
  // Adds one sample with labels `labels` (name, value pairs).
  PulledFamily& Add(std::vector<ClientMetric::Label> labels, double value) {
    ClientMetric metric;
    metric.label = std::move(labels);
    if (family_.type == MetricType::Counter) {
      metric.counter.value = value;
    } else {
      metric.gauge.value = value;
    }
    family_.metric.push_back(std::move(metric));
    return *this;
  }
  void AppendTo(std::vector<MetricFamily>& out) {
    if (!family_.metric.empty()) out.push_back(std::move(family_));
  }

 private:
  MetricFamily family_;
};

void AppendSnapshot(const OpsSnapshot& s, std::vector<MetricFamily>& out) {
  if (s.database_up) {
    PulledFamily("countersign_database_up", "1 when the database answered a trivial query",
                 MetricType::Gauge)
        .Add({}, *s.database_up ? 1 : 0)
        .AppendTo(out);
  }
  if (s.pool) {
    const DatabasePoolStats& p = *s.pool;
    PulledFamily("countersign_db_pool_connections", "Database connections of this instance",
                 MetricType::Gauge)
        .Add({{"state", "in_use"}}, p.in_use)
        .Add({{"state", "idle"}}, p.size - p.in_use)
        .AppendTo(out);
    PulledFamily("countersign_db_pool_waiting", "Callers waiting now for a database connection",
                 MetricType::Gauge)
        .Add({}, p.waiting)
        .AppendTo(out);
    PulledFamily("countersign_db_pool_acquired_total", "Database connections lent out",
                 MetricType::Counter)
        .Add({}, static_cast<double>(p.acquired_total))
        .AppendTo(out);
    PulledFamily("countersign_db_pool_waits_total",
                 "Times a caller had to wait for a database connection", MetricType::Counter)
        .Add({}, static_cast<double>(p.waits_total))
        .AppendTo(out);
    PulledFamily("countersign_db_pool_wait_seconds_total",
                 "Time callers spent waiting for a database connection", MetricType::Counter)
        .Add({}, p.wait_seconds_total)
        .AppendTo(out);
    PulledFamily("countersign_db_write_transactions_total",
                 "Write transactions this instance committed", MetricType::Counter)
        .Add({}, static_cast<double>(p.write_transactions_total))
        .AppendTo(out);
    PulledFamily("countersign_db_commits_total",
                 "Database COMMITs that carried them (SQLite commits many writers at once)",
                 MetricType::Counter)
        .Add({}, static_cast<double>(p.commits_total))
        .AppendTo(out);
  }
  PulledFamily depth("countersign_queue_depth",
                     "Items waiting: mail, event deliveries and request jobs in the database "
                     "(all instances), compute and fetch work in this instance",
                     MetricType::Gauge);
  PulledFamily age("countersign_queue_oldest_age_seconds",
                   "Age of the oldest waiting item of each queue (0: empty)", MetricType::Gauge);
  for (const DurableQueueStats& q : s.durable_queues) {
    depth.Add({{"queue", q.name}}, static_cast<double>(q.depth));
    age.Add({{"queue", q.name}}, static_cast<double>(q.oldest_age));
  }
  PulledFamily running("countersign_work_queue_running",
                       "Compute and fetch jobs running now in this instance", MetricType::Gauge);
  for (const auto& [name, stats] : s.lanes) {
    depth.Add({{"queue", name}}, static_cast<double>(stats.waiting));
    age.Add({{"queue", name}}, stats.oldest_wait_seconds);
    running.Add({{"queue", name}}, static_cast<double>(stats.running));
  }
  depth.AppendTo(out);
  age.AppendTo(out);
  running.AppendTo(out);
  PulledFamily workers("countersign_worker_up", "1 while the background worker runs",
                       MetricType::Gauge);
  for (const auto& [name, up] : s.workers) workers.Add({{"worker", name}}, up ? 1 : 0);
  workers.AppendTo(out);
  if (s.read_caches.empty()) return;
  PulledFamily hits("countersign_auth_cache_hits_total",
                    "Authentications answered from the exact read cache (no commit since the read)",
                    MetricType::Counter);
  PulledFamily reads("countersign_auth_cache_reads_total", "Authentications that read the database",
                     MetricType::Counter);
  PulledFamily entries("countersign_auth_cache_entries", "Entries the read cache holds now",
                       MetricType::Gauge);
  for (const auto& [name, stats] : s.read_caches) {
    hits.Add({{"cache", name}}, static_cast<double>(stats.hits));
    reads.Add({{"cache", name}}, static_cast<double>(stats.reads));
    entries.Add({{"cache", name}}, static_cast<double>(stats.entries));
  }
  hits.AppendTo(out);
  reads.AppendTo(out);
  entries.AppendTo(out);
}

}  // namespace

OpsMetrics::OpsMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("countersign_http_requests_total")
                    .Help("HTTP requests answered, by route pattern, method and status")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("countersign_http_request_duration_seconds")
                   .Help("Time from a request's arrival to its answer, by route pattern")
                   .Register(*registry_)),
      logins_(prometheus::BuildCounter()
                  .Name("countersign_logins_total")
                  .Help("Log-in attempts on the login page, by outcome")
                  .Register(*registry_)),
      grants_(prometheus::BuildCounter()
                  .Name("countersign_oauth_grants_total")
                  .Help("Token endpoint requests, by grant type and outcome")
                  .Register(*registry_)),
      deliveries_(prometheus::BuildCounter()
                      .Name("countersign_event_deliveries_total")
                      .Help("Event callback tries, by outcome (delivered, retry, failed)")
                      .Register(*registry_)),
      refusals_(prometheus::BuildCounter()
                    .Name("countersign_rate_limit_refusals_total")
                    .Help("API calls refused with 429, by rate-limit tier")
                    .Register(*registry_)) {}

OpsMetrics::~OpsMetrics() = default;

void OpsMetrics::CountLogin(std::string_view outcome) {
  logins_.Add({{"outcome", Text(outcome)}}).Increment();
}

void OpsMetrics::CountOAuthGrant(std::string_view grant_type, std::string_view outcome) {
  grants_.Add({{"grant_type", Text(grant_type)}, {"outcome", Text(outcome)}}).Increment();
}

void OpsMetrics::CountDelivery(std::string_view outcome) {
  deliveries_.Add({{"outcome", Text(outcome)}}).Increment();
}

void OpsMetrics::CountRateLimitRefusal(std::string_view tier) {
  refusals_.Add({{"tier", Text(tier)}}).Increment();
}

OpsMetrics::RequestSeries OpsMetrics::SeriesFor(std::string_view method, std::string_view route,
                                                int status) {
  std::string key;
  key.reserve(route.size() + method.size() + 8);
  key.append(route).append(1, '\n').append(method).append(1, '\n').append(std::to_string(status));
  {
    std::shared_lock<std::shared_mutex> lock(series_mu_);
    auto it = series_.find(key);
    if (it != series_.end()) return it->second;
  }
  const std::string pattern = route.empty() ? "unmatched" : Text(route);
  RequestSeries series;
  series.requests = &requests_.Add(
      {{"route", pattern}, {"method", Text(method)}, {"status", std::to_string(status)}});
  series.latency = &latency_.Add({{"route", pattern}, {"method", Text(method)}}, LatencyBuckets());
  std::unique_lock<std::shared_mutex> lock(series_mu_);
  series_.emplace(std::move(key), series);
  return series;
}

void OpsMetrics::ObserveRequest(std::string_view method, std::string_view route, int status,
                                double seconds) {
  const RequestSeries series = SeriesFor(method, route, status);
  series.requests->Increment();
  series.latency->Observe(seconds);
}

std::string OpsMetrics::Render(const OpsSnapshot& snapshot) const {
  std::vector<MetricFamily> families = registry_->Collect();
  AppendSnapshot(snapshot, families);
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace countersign
