// ApiRateLimits: which tier a call counts in, and that each tier has its own quota.
#include "api/rate_limits.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/sqlite/sqlite_stores.h"

namespace countersign::api {
namespace {

http::Request Body(const std::string& path, std::string content_type, std::string body) {
  http::Request r;
  r.method = "POST";
  r.path = path;
  r.headers = {{"Content-Type", std::move(content_type)}};
  r.body = std::move(body);
  return r;
}

RateTier TierOfBody(const http::Request& request) {
  auto fields = RequestFields::FromBody(request);
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
  return ApiRateLimits::TierOf(request.path, *fields);
}

TEST(ApiRateTierTest, ByPath) {
  EXPECT_EQ(ApiRateLimits::TierOf("/v3/signature_request/send"), RateTier::kHigh);
  EXPECT_EQ(ApiRateLimits::TierOf("/v3/signature_request/files/abc"), RateTier::kHigh);
  EXPECT_EQ(ApiRateLimits::TierOf("/v3/account"), RateTier::kStandard);
}

TEST(ApiRateTierTest, TestModeAsTheSendParserReadsIt) {
  const std::string send = "/v3/signature_request/send";
  const std::string json = "application/json";
  const std::string form = "application/x-www-form-urlencoded";
  for (const char* yes : {R"({"test_mode":true})", R"({"test_mode":1})", R"({"test_mode":"True"})",
                          R"({"test_mode":"1"})"}) {
    EXPECT_EQ(TierOfBody(Body(send, json, yes)), RateTier::kTestMode) << yes;
  }
  for (const char* no : {R"({"test_mode":false})", R"({"test_mode":"0"})", R"({"title":"x"})",
                         R"({"test_mode":"maybe"})", R"({"test_mode":[true]})"}) {
    EXPECT_EQ(TierOfBody(Body(send, json, no)), RateTier::kHigh) << no;
  }
  EXPECT_EQ(TierOfBody(Body(send, form, "title=x&test_mode=1")), RateTier::kTestMode);
  EXPECT_EQ(TierOfBody(Body(send, form, "test_mode=false")), RateTier::kHigh);
  const std::string multipart =
      "--b\r\nContent-Disposition: form-data; name=\"test_mode\"\r\n\r\ntrue\r\n--b--\r\n";
  EXPECT_EQ(TierOfBody(Body(send, "multipart/form-data; boundary=b", multipart)),
            RateTier::kTestMode);
  EXPECT_EQ(TierOfBody(Body("/v3/account", json, R"({"test_mode":false})")), RateTier::kStandard);
}

TEST(ApiRateLimitsTest, EachTierHasItsOwnQuotaPerAccountAndApp) {
  auto stores = OpenSqliteStores(":memory:", 1);
  ASSERT_TRUE(stores.ok()) << stores.status().ToString();
  FakeClock clock;
  RateLimiter limiter(*stores->rate_limits, clock, RateLimiter::Options{});
  ApiRateLimits limits(limiter, ApiRateLimitOptions{5, 3, 2});
  http::Request request = Body("/v3/signature_request/send", "application/json", "{}");
  auto count = [&](const std::string& account, const std::string& app, RateTier tier) {
    request.response_headers.clear();
    return limits.Count(request, account, app, tier).code();
  };
  EXPECT_EQ(count("a", "", RateTier::kTestMode), Code::kOk);
  EXPECT_EQ(request.response_headers.at(0).second, "2");  // X-RateLimit-Limit
  EXPECT_EQ(count("a", "", RateTier::kTestMode), Code::kOk);
  EXPECT_EQ(count("a", "", RateTier::kTestMode), Code::kResourceExhausted);
  EXPECT_EQ(count("a", "", RateTier::kHigh), Code::kOk);  // the other tiers are untouched
  EXPECT_EQ(request.response_headers.at(0).second, "3");
  EXPECT_EQ(count("a", "", RateTier::kStandard), Code::kOk);
  // The app's test-mode quota is shared by the accounts it acts for.
  EXPECT_EQ(count("b", "app", RateTier::kTestMode), Code::kOk);
  EXPECT_EQ(count("c", "app", RateTier::kTestMode), Code::kOk);
  EXPECT_EQ(count("d", "app", RateTier::kTestMode), Code::kResourceExhausted);
  EXPECT_EQ(count("d", "", RateTier::kTestMode), Code::kOk);
}

TEST(ApiRateLimitsTest, BucketNamesAndHeadersAsBefore) {
  // The bucket rows are shared with other instances (and other versions): their names stay
  // "api:acct:<id><suffix>" and "api:app:<client id><suffix>", also for ids too long for the
  // stack buffer, where two ids that differ only at the end are two buckets.
  auto stores = OpenSqliteStores(":memory:", 1);
  ASSERT_TRUE(stores.ok());
  FakeClock clock{1700000000};  // window_start 1699999980 for 60 s windows
  RateLimiter limiter(*stores->rate_limits, clock, RateLimiter::Options{60});
  ApiRateLimits limits(limiter, ApiRateLimitOptions{100, 25, 10});
  http::Request request = Body("/v3/account", "application/json", "{}");
  const std::string long_a(300, 'a');
  const std::string long_b = std::string(299, 'a') + "b";
  ASSERT_TRUE(limits.Count(request, "acct1", "client1", RateTier::kStandard).ok());
  ASSERT_TRUE(limits.Count(request, long_a, "", RateTier::kHigh).ok());
  ASSERT_TRUE(limits.Count(request, long_b, "", RateTier::kTestMode).ok());
  const int64_t window = 1699999980;
  for (const std::string& bucket :
       {std::string("api:acct:acct1:standard"), std::string("api:app:client1:standard"),
        "api:acct:" + long_a + ":high", "api:acct:" + long_b + ":test"}) {
    StatusOr<int64_t> taken = stores->rate_limits->Taken(bucket, window);
    ASSERT_TRUE(taken.ok());
    EXPECT_GT(*taken, 0) << bucket;
  }
  EXPECT_EQ(*stores->rate_limits->Taken("api:acct:" + long_a + ":test", window), 0);
  const http::Params want = {
      {"X-RateLimit-Limit", "100"},        {"X-RateLimit-Remaining", "99"},
      {"X-Ratelimit-Reset", "1700000040"}, {"X-RateLimit-Limit", "25"},
      {"X-RateLimit-Remaining", "24"},     {"X-Ratelimit-Reset", "1700000040"},
      {"X-RateLimit-Limit", "10"},         {"X-RateLimit-Remaining", "9"},
      {"X-Ratelimit-Reset", "1700000040"}};
  EXPECT_EQ(request.response_headers, want);
}

TEST(ApiRateLimitsTest, WithRateHeadersMovesThemOnSuccessOnly) {
  auto handler = [](int status) {
    return WithRateHeaders([status](http::Request& request) {
      request.response_headers = {{"X-RateLimit-Limit", "100"}, {"X-RateLimit-Remaining", "9"}};
      http::Response response;
      response.status = status;
      response.SetHeader("Content-Type", "application/json");
      return response;
    });
  };
  http::Request request;
  http::Response ok = handler(200)(request);
  EXPECT_EQ(ok.headers, (http::Params{{"Content-Type", "application/json"},
                                      {"X-RateLimit-Limit", "100"},
                                      {"X-RateLimit-Remaining", "9"}}));
  EXPECT_EQ(handler(429)(request).headers.size(), 3u);
  EXPECT_EQ(handler(400)(request).headers.size(), 1u);
}

TEST(ApiRateLimitsTest, ZeroIsUnlimitedWithoutHeaders) {
  auto stores = OpenSqliteStores(":memory:", 1);
  ASSERT_TRUE(stores.ok());
  FakeClock clock;
  RateLimiter limiter(*stores->rate_limits, clock, RateLimiter::Options{});
  ApiRateLimits limits(limiter, ApiRateLimitOptions{5, 3, 0});
  http::Request request = Body("/v3/signature_request/send", "application/json", "{}");
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(limits.Count(request, "a", "", RateTier::kTestMode).ok());
  }
  EXPECT_TRUE(request.response_headers.empty());
}

}  // namespace
}  // namespace countersign::api
