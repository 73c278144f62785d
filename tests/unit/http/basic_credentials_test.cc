#include "http/basic_credentials.h"

#include <gtest/gtest.h>

namespace countersign::http {
namespace {

TEST(BasicCredentialsTest, DecodesUserAndPasswordAfterTheFirstColon) {
  // base64("id:se:cret")
  auto c = DecodeBasic("bAsIc   aWQ6c2U6Y3JldA==", 2048);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->user, "id");
  EXPECT_EQ(c->password, "se:cret");
  EXPECT_TRUE(c->has_colon);
  auto key_only = DecodeBasic("Basic S0VZ", 2048);  // base64("KEY")
  ASSERT_TRUE(key_only.has_value());
  EXPECT_EQ(key_only->user, "KEY");
  EXPECT_FALSE(key_only->has_colon);
}

TEST(BasicCredentialsTest, RefusesOtherSchemesEmptyOversizedAndNonBase64) {
  EXPECT_FALSE(IsBasicScheme("Bearer abc"));
  EXPECT_FALSE(DecodeBasic("Bearer aWQ6", 2048).has_value());
  EXPECT_FALSE(DecodeBasic("Basic ", 2048).has_value());
  EXPECT_FALSE(DecodeBasic("Basic !!!!", 2048).has_value());
  EXPECT_FALSE(DecodeBasic("Basic " + std::string(40, 'A'), 16).has_value());
  EXPECT_FALSE(DecodeBasic("Basi", 2048).has_value());
}

}  // namespace
}  // namespace countersign::http
