// Tests of the shared input checks (service/validation.h): emails and URLs.
#include "service/validation.h"

#include <gtest/gtest.h>

#include <string>

namespace countersign {
namespace {

TEST(ValidationTest, EmailsAreAsciiOrWellFormedUtf8WithoutControlsOrOverrides) {
  EXPECT_TRUE(IsValidEmail("a.b+tag@example.com"));
  EXPECT_TRUE(IsValidEmail("j\xC3\xBCrgen@example.de"));    // RFC 6531: "jürgen"
  EXPECT_FALSE(IsValidEmail("\xFF\xFE@example.com"));       // not UTF-8
  EXPECT_FALSE(IsValidEmail("\xC0\xAE@example.com"));       // overlong "."
  EXPECT_FALSE(IsValidEmail("a\xE2\x80\xAE@example.com"));  // U+202E right-to-left override
  EXPECT_FALSE(IsValidEmail(std::string("a\0b@example.com", 15)));
  EXPECT_FALSE(IsValidEmail("a@b@example.com"));
  EXPECT_FALSE(IsValidEmail("a@localhost"));
  EXPECT_FALSE(IsValidEmail("a@ex\xC3\xA4mple.com"));  // hosts are punycoded
}

TEST(ValidationTest, UrlsFollowRfc3986) {
  EXPECT_TRUE(IsValidHttpUrl("https://example.com"));
  EXPECT_TRUE(IsValidHttpUrl("http://127.0.0.1:8080/cb?state=a%20b&x=[1]#top"));
  EXPECT_TRUE(IsValidHttpUrl("https://[::1]:65535/cb"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com:99999/cb"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com:0/cb"));
  EXPECT_FALSE(IsValidHttpUrl("https://[::1]:70000/cb"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com/cb\\@evil.com"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com/\"><script>"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com/a{b}|c^d`e"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com/100%"));
  EXPECT_FALSE(IsValidHttpUrl("https://example.com/%zz"));
  EXPECT_FALSE(IsValidHttpUrl("https://user@example.com/"));
  EXPECT_FALSE(IsValidHttpUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsValidHttpUrl("https://exa mple.com/"));
}

TEST(ValidationTest, RedirectUrisHaveNoFragment) {
  EXPECT_TRUE(IsValidRedirectUri("https://example.com/cb?x=1"));
  EXPECT_FALSE(IsValidRedirectUri("https://example.com/cb#frag"));
  EXPECT_FALSE(IsValidRedirectUri("https://example.com/cb#"));
}

}  // namespace
}  // namespace countersign
