#include "http/router.h"

#include <gtest/gtest.h>

#include "http/message.h"

namespace countersign::http {
namespace {

Response Text(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

Request Make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(RouterTest, LiteralBeatsCaptureAndCapturesAreNamed) {
  Router router;
  router.Add("GET", "/v3/api_app/{client_id}",
             [](Request& r) { return Text("get " + std::string(r.PathParam("client_id"))); });
  router.Add("GET", "/v3/api_app/list", [](Request&) { return Text("list"); });
  Request list = Make("GET", "/v3/api_app/list");
  EXPECT_EQ(router.Dispatch(list).body, "list");
  Request one = Make("GET", "/v3/api_app/abc123");
  EXPECT_EQ(router.Dispatch(one).body, "get abc123");
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  Router router;
  router.Add("GET", "/v3/account", [](Request&) { return Text("ok"); });
  Request missing = Make("GET", "/v3/nothing");
  EXPECT_EQ(router.Dispatch(missing).status, 404);
  Request wrong = Make("DELETE", "/v3/account");
  EXPECT_EQ(router.Dispatch(wrong).status, 405);
  Request head = Make("HEAD", "/v3/account");
  EXPECT_EQ(router.Dispatch(head).status, 200);
  Request trailing = Make("GET", "/v3/account/");
  EXPECT_EQ(router.Dispatch(trailing).body, "ok");
}

TEST(RouterTest, A405NamesTheAllowedMethodsEvenWithACustomHandler) {
  Router router;
  router.Add("GET", "/v3/account", [](Request&) { return Text("get"); });
  router.Add("POST", "/v3/account", [](Request&) { return Text("post"); });
  router.SetMethodNotAllowed([](Request&) {
    Response r = Text("{\"error\":{}}");
    r.status = 405;
    return r;
  });
  Request wrong = Make("DELETE", "/v3/account");
  Response r = router.Dispatch(wrong);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, "{\"error\":{}}");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, HEAD, POST"}));
}

TEST(RouterTest, ResolveReportsEachRoutesLane) {
  Router router;
  router.Add("GET", "/login", [](Request&) { return Text("form"); });
  router.Add(
      "POST", "/login", [](Request&) { return Text("hashed"); }, Lane::kCompute);
  router.Add(
      "POST", "/send", [](Request&) { return Text("sent"); }, Lane::kFetch);
  Request get = Make("GET", "/login");
  EXPECT_EQ(router.Resolve(get).lane, Lane::kInline);
  Request post = Make("POST", "/login");
  RouteMatch m = router.Resolve(post);
  EXPECT_EQ(m.lane, Lane::kCompute);
  EXPECT_EQ(router.Run(m, post).body, "hashed");
  Request send = Make("POST", "/send");
  EXPECT_EQ(router.Resolve(send).lane, Lane::kFetch);
  Request missing = Make("GET", "/nothing");
  RouteMatch none = router.Resolve(missing);
  EXPECT_EQ(none.fallback_status, 404);
  EXPECT_EQ(none.lane, Lane::kInline);
}

TEST(MessageTest, UrlCodingAndQueryParsing) {
  EXPECT_EQ(UrlDecode("a+b%2Bc%40x.com"), "a b+c@x.com");
  EXPECT_EQ(UrlDecode("a+b", /*plus_is_space=*/false), "a+b");
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlEncode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  Params q = ParseUrlEncoded("refresh&x=1&&y=a%20b");
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"refresh", ""}));
  EXPECT_EQ(q[2].second, "a b");
}

TEST(MessageTest, HeadersAreCaseInsensitiveAndCookiesParse) {
  Request r;
  r.headers = {{"Content-Type", "application/json"}, {"Cookie", "a=1; cs_session=xyz ; b=2"}};
  EXPECT_EQ(r.Header("content-type").value_or(""), "application/json");
  EXPECT_EQ(r.Cookie("cs_session").value_or(""), "xyz");
  EXPECT_FALSE(r.Cookie("missing").has_value());
  r.query = {{"refresh", ""}};
  EXPECT_TRUE(r.HasQuery("refresh"));
}

TEST(MessageTest, AListHeaderSentOnSeveralLinesIsOneList) {
  Request r;
  r.headers = {
      {"X-Forwarded-For", "1.1.1.1, 2.2.2.2"}, {"Host", "h"}, {"x-forwarded-for", "3.3.3.3"}};
  EXPECT_EQ(r.HeaderList("X-FORWARDED-FOR"), "1.1.1.1, 2.2.2.2,3.3.3.3");
  EXPECT_EQ(r.HeaderList("Forwarded"), "");
  EXPECT_EQ(TrimSpaces(" \t a b\t "), "a b");
}

}  // namespace
}  // namespace countersign::http
