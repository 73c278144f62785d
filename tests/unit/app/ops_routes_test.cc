// The operator endpoints through the Router with a fake DatabaseProbe: readiness naming what
// fails, /metrics off, token-protected, and rendering counted and read values.
#include "app/ops_routes.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

namespace countersign {
namespace {

class FakeProbe final : public DatabaseProbe {
 public:
  // Counts the pings; while Hang() holds, a ping waits for Release(), like a silent database.
  Status Ping() override {
    ++pings;
    std::unique_lock<std::mutex> lock(mu_);
    released_.wait(lock, [this] { return !hanging_; });
    return up ? Status::Ok() : Status(Code::kUnavailable, "down");
  }
  void Hang() {
    std::lock_guard<std::mutex> lock(mu_);
    hanging_ = true;
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      hanging_ = false;
    }
    released_.notify_all();
  }
  Status CheckMigrations() override {
    return current ? Status::Ok() : Status(Code::kUnavailable, "migration 11 is not applied");
  }
  DatabasePoolStats Pool() const override {
    DatabasePoolStats p;
    p.size = 4;
    p.in_use = 1;
    p.waits_total = 7;
    return p;
  }
  StatusOr<std::vector<DurableQueueStats>> Queues(int64_t now) override {
    return std::vector<DurableQueueStats>{{"mail", 3, 42}};
  }
  bool up = true;
  bool current = true;
  std::atomic<int> pings{0};

 private:
  std::mutex mu_;
  std::condition_variable released_;
  bool hanging_ = false;
};

class OpsRoutesTest : public ::testing::Test {
 protected:
  void Register(OpsRouteOptions options) {
    RegisterOpsRoutes(router_, sources_, std::move(options));
  }
  http::Response Get(const std::string& path, const std::string& authorization = "") {
    http::Request r;
    r.method = "GET";
    r.path = path;
    if (!authorization.empty()) r.headers.emplace_back("Authorization", authorization);
    return router_.Dispatch(r);
  }

  FakeProbe probe_;
  FakeClock clock_;
  OpsMetrics metrics_;
  ServerState server_{metrics_};
  bool mail_running_ = true;
  OpsSources sources_{
      probe_,
      clock_,
      server_,
      metrics_,
      [this] {
        return std::vector<std::pair<std::string, bool>>{{"mail", mail_running_}, {"events", true}};
      },
      [] {
        return std::vector<std::pair<std::string, ReadCacheStats>>{{"bearer_token", {7, 2, 1}}};
      }};
  http::Router router_;
};

TEST_F(OpsRoutesTest, ReadyOnlyWhenDatabaseMigrationsAndWorkersAreAndNotStopping) {
  Register({});
  EXPECT_EQ(Get("/healthz").status, 200);
  EXPECT_EQ(Get("/readyz").status, 200);
  probe_.current = false;
  mail_running_ = false;
  http::Response r = Get("/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(nlohmann::json::parse(r.body)["failing"],
            nlohmann::json({"migrations", "worker:mail"}));
  probe_.up = false;
  probe_.current = true;
  mail_running_ = true;
  server_.OnDraining();
  EXPECT_EQ(nlohmann::json::parse(Get("/readyz").body)["failing"],
            nlohmann::json({"stopping", "database"}));
  EXPECT_EQ(Get("/healthz").status, 200);  // the process still serves
}

TEST_F(OpsRoutesTest, ASilentDatabaseIsNotReadyAfterTheTimeoutAndHoldsOneCheck) {
  OpsRouteOptions options;
  options.metrics_enabled = true;
  options.database_timeout = std::chrono::milliseconds(50);
  Register(options);
  probe_.Hang();
  http::Response r = Get("/readyz");  // answers although the ping does not return
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(nlohmann::json::parse(r.body)["failing"], nlohmann::json({"database"}));
  EXPECT_EQ(Get("/readyz").status, 503);
  EXPECT_NE(Get("/metrics").body.find("countersign_database_up 0"), std::string::npos);
  EXPECT_EQ(probe_.pings, 1);  // the later probes waited for the check in flight
  probe_.Release();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) status = Get("/readyz").status;
  EXPECT_EQ(status, 200);  // the check in flight answered at last
  const int before = probe_.pings;
  EXPECT_EQ(Get("/readyz").status, 200);
  EXPECT_EQ(probe_.pings, before + 1);  // with none in flight, each probe checks afresh
}

TEST_F(OpsRoutesTest, MetricsAre404WhenOff) {
  Register({});
  EXPECT_EQ(Get("/metrics").status, 404);
}

TEST_F(OpsRoutesTest, MetricsNeedTheBearerTokenWhenOneIsSet) {
  Register({true, "s3cret"});
  EXPECT_EQ(Get("/metrics").status, 401);
  EXPECT_EQ(Get("/metrics", "Bearer wrong").status, 401);
  EXPECT_EQ(Get("/metrics", "Basic czNjcmV0Og==").status, 401);
  EXPECT_EQ(Get("/metrics", "Bearer s3cret").status, 200);
}

TEST_F(OpsRoutesTest, MetricsRenderCountedAndReadValues) {
  Register({true, ""});
  metrics_.CountLogin("failure");
  metrics_.CountOAuthGrant("refresh_token", "success");
  metrics_.CountDelivery("retry");
  metrics_.CountRateLimitRefusal("high");
  server_.OnResponse("GET", "/v3/account", 200, 0.003);
  server_.OnResponse("GET", "", 404, 0.001);
  WorkQueue compute("compute", 1, 4);
  server_.OnQueues(&compute, nullptr);
  http::Response r = Get("/metrics");
  ASSERT_EQ(r.status, 200);
  const std::string& text = r.body;
  for (const char* line : {
           "countersign_logins_total{outcome=\"failure\"} 1",
           "countersign_oauth_grants_total{grant_type=\"refresh_token\",outcome=\"success\"} 1",
           "countersign_event_deliveries_total{outcome=\"retry\"} 1",
           "countersign_rate_limit_refusals_total{tier=\"high\"} 1",
           "countersign_http_requests_total{method=\"GET\",route=\"/v3/account\",status=\"200\"} 1",
           "countersign_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1",
           "countersign_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v3/account\","
           "le=\"0.005\"} 1",
           "countersign_db_pool_connections{state=\"in_use\"} 1",
           "countersign_db_pool_waits_total 7",
           "countersign_queue_depth{queue=\"mail\"} 3",
           "countersign_queue_oldest_age_seconds{queue=\"mail\"} 42",
           "countersign_queue_depth{queue=\"compute\"} 0",
           "countersign_worker_up{worker=\"mail\"} 1",
           "countersign_database_up 1",
           "countersign_auth_cache_hits_total{cache=\"bearer_token\"} 7",
           "countersign_auth_cache_reads_total{cache=\"bearer_token\"} 2",
           "countersign_auth_cache_entries{cache=\"bearer_token\"} 1",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
  server_.OnQueues(nullptr, nullptr);
  EXPECT_EQ(Get("/metrics").body.find("queue=\"compute\""), std::string::npos);
}

}  // namespace
}  // namespace countersign
