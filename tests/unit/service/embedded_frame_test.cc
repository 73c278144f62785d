// Where an embedded signing page may be framed: the parent's origin as the browser writes it,
// on the app's domains or their subdomains only, unless a test-mode request skips the check.
#include "service/embedded_frame.h"

#include <gtest/gtest.h>

namespace countersign {
namespace {

TEST(EmbeddedFrameTest, TheOriginIsWhatTheBrowserWrites) {
  EXPECT_EQ(*WebOriginOf("https://App.Example.com/path?q=1#x"), "https://app.example.com");
  EXPECT_EQ(*WebOriginOf("http://localhost:5173/host.html"), "http://localhost:5173");
  EXPECT_EQ(*WebOriginOf("https://example.com:443/"), "https://example.com");
  EXPECT_EQ(*WebOriginOf("http://example.com:80"), "http://example.com");
  for (const char* bad : {"", "javascript:alert(1)", "//example.com/x", "ftp://example.com/",
                          "https://user:pw@example.com/", "https://exa mple.com/", "example.com"}) {
    StatusOr<std::string> origin = WebOriginOf(bad);
    EXPECT_FALSE(origin.ok()) << bad;
    if (!origin.ok()) {
      EXPECT_EQ(origin.status().path(), "parent_url") << bad;
    }
  }
}

TEST(EmbeddedFrameTest, OnlyTheDomainsAndTheirSubdomains) {
  const std::vector<std::string> domains = {"example.com", "localhost"};
  EXPECT_TRUE(OriginOnDomains("https://example.com", domains));
  EXPECT_TRUE(OriginOnDomains("https://app.example.com", domains));
  EXPECT_TRUE(OriginOnDomains("http://localhost:8080", domains));
  EXPECT_FALSE(OriginOnDomains("https://badexample.com", domains));
  EXPECT_FALSE(OriginOnDomains("https://example.com.evil.net", domains));
  EXPECT_FALSE(OriginOnDomains("http://127.0.0.1:8080", domains));
  EXPECT_FALSE(OriginOnDomains("https://example.com", {}));
}

TEST(EmbeddedFrameTest, SkippingTheCheckNeedsATestModeRequest) {
  const std::vector<std::string> domains = {"example.com"};
  EXPECT_EQ(*AllowedParentOrigin("https://www.example.com/app", domains, false, false),
            "https://www.example.com");
  StatusOr<std::string> elsewhere =
      AllowedParentOrigin("http://127.0.0.1:3000/", domains, /*test_mode=*/false, true);
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(*AllowedParentOrigin("http://127.0.0.1:3000/", domains, true, true),
            "http://127.0.0.1:3000");
  EXPECT_EQ(AllowedParentOrigin("http://127.0.0.1:3000/", domains, true, false).status().code(),
            Code::kPermissionDenied);
  StatusOr<std::string> missing = AllowedParentOrigin("", domains, true, true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().path(), "parent_url");
}

}  // namespace
}  // namespace countersign
