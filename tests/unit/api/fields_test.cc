#include "api/fields.h"

#include <gtest/gtest.h>

namespace countersign::api {
namespace {

http::Request Body(std::string content_type, std::string body) {
  http::Request r;
  r.method = "POST";
  r.headers = {{"Content-Type", std::move(content_type)}};
  r.body = std::move(body);
  return r;
}

TEST(RequestFieldsTest, JsonBody) {
  auto req = Body("application/json", R"({"name":"A","domains":["a.com"],"flag":"True"})");
  auto f = RequestFields::FromBody(req);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->String("name")->value(), "A");
  EXPECT_EQ(f->StringArray("domains")->value(), std::vector<std::string>{"a.com"});
  EXPECT_TRUE(f->Bool("flag")->value());
  EXPECT_FALSE(f->String("missing")->has_value());
}

TEST(RequestFieldsTest, EmptyJsonBodyIsNoFields) {
  auto req = Body("application/json", "");
  auto f = RequestFields::FromBody(req);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->IgnoredKeys().empty());
}

TEST(RequestFieldsTest, MalformedJsonIsBadRequest) {
  auto req = Body("application/json", "{not json");
  EXPECT_EQ(RequestFields::FromBody(req).status().code(), Code::kInvalidArgument);
  auto array = Body("application/json", "[1,2]");
  EXPECT_EQ(RequestFields::FromBody(array).status().code(), Code::kInvalidArgument);
}

TEST(RequestFieldsTest, FormWithBracketNotation) {
  auto req = Body("application/x-www-form-urlencoded",
                  "domains[]=a.com&domains[]=b.com&oauth[callback_url]=https%3A%2F%2Fx.com&"
                  "oauth[scopes][0]=account_access&test_mode=1");
  auto f = RequestFields::FromBody(req);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->StringArray("domains")->value(), (std::vector<std::string>{"a.com", "b.com"}));
  auto oauth = f->Object("oauth");
  ASSERT_TRUE(oauth.ok());
  EXPECT_EQ((**oauth)["callback_url"], "https://x.com");
  auto scopes = AsStringArray((**oauth)["scopes"], "oauth[scopes]");
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(*scopes, std::vector<std::string>{"account_access"});
  EXPECT_TRUE(f->Bool("test_mode")->value());
}

TEST(RequestFieldsTest, MultipartWithJsonTextAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"domains\"\r\n\r\n[\"a.com\"]\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"oauth\"\r\n\r\n"
      "{\"callback_url\":\"https://a.com/cb\",\"scopes\":[\"account_access\"]}\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF-1.4 data\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"unknown\"\r\n\r\nx\r\n"
      "--XyZ--\r\n";
  auto req = Body("multipart/form-data; boundary=XyZ", body);
  auto f = RequestFields::FromBody(req);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->StringArray("domains")->value(), std::vector<std::string>{"a.com"});
  auto oauth = f->Object("oauth");
  ASSERT_TRUE(oauth.ok() && oauth->has_value());
  EXPECT_EQ((**oauth)["callback_url"], "https://a.com/cb");
  ASSERT_EQ(f->files().size(), 1u);
  EXPECT_EQ(f->files()[0].name, "files[0]");
  EXPECT_EQ(f->files()[0].filename.value_or(""), "a.pdf");
  EXPECT_EQ(f->files()[0].data, "%PDF-1.4 data");
  EXPECT_EQ(f->IgnoredKeys(), (std::vector<std::string>{"files", "unknown"}));
}

TEST(RequestFieldsTest, WrongTypesNameThePath) {
  auto req = Body("application/json", R"({"name":{"a":1},"flag":"maybe","n":"12x"})");
  auto f = RequestFields::FromBody(req);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->String("name").status().path(), "name");
  EXPECT_EQ(f->Bool("flag").status().path(), "flag");
  EXPECT_EQ(f->Int("n").status().path(), "n");
}

// Found by fuzz/fuzz_fields.cc: a nested key under an a[] list made nlohmann::json throw
// (an uncaught type_error, a 500) instead of the 400 every other conflict gets.
TEST(RequestFieldsTest, NestedKeyUnderAListIsAConflict) {
  for (const char* body : {"a[]=1&a[0][b]=2", "a[]=1&a[][b]=2", "a=1&a[b]=2"}) {
    auto req = Body("application/x-www-form-urlencoded", body);
    auto f = RequestFields::FromBody(req);
    ASSERT_FALSE(f.ok()) << body;
    EXPECT_EQ(f.status().code(), Code::kInvalidArgument) << body;
    EXPECT_EQ(f.status().path(), "a") << body;
  }
  std::string multipart =
      "--B\r\nContent-Disposition: form-data; name=\"signers[]\"\r\n\r\nx\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"signers[0][name]\"\r\n\r\nA\r\n--B--\r\n";
  auto req = Body("multipart/form-data; boundary=B", multipart);
  EXPECT_EQ(RequestFields::FromBody(req).status().code(), Code::kInvalidArgument);
}

TEST(RequestFieldsTest, UnsupportedContentType) {
  auto req = Body("text/plain", "hello");
  EXPECT_EQ(RequestFields::FromBody(req).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace countersign::api

namespace countersign::api {
namespace {

TEST(RequestFieldsTest, DeeplyNestedJsonIsRefusedNotFatal) {
  std::string deep(100000, '[');
  auto req = Body("application/json", "{\"metadata\":" + deep + "}");
  EXPECT_EQ(RequestFields::FromBody(req).status().code(), Code::kInvalidArgument);
  std::string nested_text = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_TRUE(ParseClientJson(nested_text).is_discarded());
  std::string ok_text = "{\"a\":" + std::string(10, '[') + std::string(10, ']') + "}";
  EXPECT_FALSE(ParseClientJson(ok_text).is_discarded());
  // The limit is 32 nested arrays and objects, the outer object included.
  EXPECT_FALSE(ParseClientJson("{\"a\":" + std::string(31, '[') + std::string(31, ']') + "}")
                   .is_discarded());
  EXPECT_TRUE(ParseClientJson("{\"a\":" + std::string(32, '[') + std::string(32, ']') + "}")
                  .is_discarded());
  // Brackets in strings, escaped quotes included, are text, not nesting.
  const std::string brackets = std::string(40, '[') + "\\\"" + std::string(40, '{');
  nlohmann::json in_string = ParseClientJson("{\"a\":\"" + brackets + "\"}");
  ASSERT_FALSE(in_string.is_discarded());
  EXPECT_EQ(in_string["a"], std::string(40, '[') + "\"" + std::string(40, '{'));
  // More closed than opened is malformed, and hides no deep nesting after it.
  EXPECT_TRUE(ParseClientJson("]]" + std::string(40, '[') + std::string(40, ']')).is_discarded());
  auto form = Body("application/x-www-form-urlencoded", "metadata=" + std::string(5000, '['));
  auto f = RequestFields::FromBody(form);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->Object("metadata").status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace countersign::api
