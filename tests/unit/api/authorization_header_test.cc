#include "api/authorization_header.h"

#include <gtest/gtest.h>

namespace countersign::api {
namespace {

using Scheme = AuthorizationCredentials::Scheme;

TEST(AuthorizationHeaderTest, BasicGivesTheApiKeyBeforeTheColon) {
  // base64("KEY123:") and base64("KEY123:extra:parts"), any scheme case, spaces skipped.
  for (const char* header : {"Basic S0VZMTIzOg==", "basic   S0VZMTIzOmV4dHJhOnBhcnRz"}) {
    auto c = ParseAuthorizationHeader(header);
    ASSERT_TRUE(c.ok()) << header;
    EXPECT_EQ(c->scheme, Scheme::kBasic);
    EXPECT_EQ(c->secret, "KEY123");
  }
}

TEST(AuthorizationHeaderTest, BearerGivesTheToken) {
  auto c = ParseAuthorizationHeader("BEARER  tok.en-1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, Scheme::kBearer);
  EXPECT_EQ(c->secret, "tok.en-1");
}

TEST(AuthorizationHeaderTest, MissingOtherOrMalformedIsUnauthenticated) {
  for (const char* header : {"", "Basic", "Digest abc", "Bearer", "Basic !!!", "Basic "}) {
    auto c = ParseAuthorizationHeader(header);
    ASSERT_FALSE(c.ok()) << header;
    EXPECT_EQ(c.status().code(), Code::kUnauthenticated) << header;
  }
  EXPECT_EQ(ParseAuthorizationHeader("Basic !!!").status().message(),
            "Malformed Basic credentials.");
  EXPECT_EQ(ParseAuthorizationHeader("Token abc").status().message(),
            "Unauthorized user. No credentials supplied.");
  EXPECT_FALSE(ParseAuthorizationHeader("Basic " + std::string(1028, 'A')).ok());
}

}  // namespace
}  // namespace countersign::api
