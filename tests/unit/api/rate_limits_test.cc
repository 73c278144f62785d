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
