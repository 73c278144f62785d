// The password rules: length, the common-password list, repeats, the email's local part.
#include "service/password_policy.h"

#include <gtest/gtest.h>

#include "service/service_fixture.h"

namespace countersign {
namespace {

TEST(PasswordPolicyTest, RejectsShortCommonRepeatedAndEmailBasedPasswords) {
  const std::pair<const char*, const char*> bad[] = {
      {"12345678", "at least 10 characters"},
      {"short", "at least 10 characters"},
      {"1234567890", "most common passwords"},
      {"Password123", "most common passwords"},
      {"QWERTYUIOP", "most common passwords"},
      {"aaaaaaaaaaaa", "one character repeated"},
      {"jsmith-2024!", "must not contain your email address"},
  };
  for (const auto& [password, why] : bad) {
    Status st = CheckNewPassword(password, "JSmith@example.com");
    EXPECT_EQ(st.code(), Code::kInvalidArgument) << password;
    EXPECT_EQ(st.path(), "password") << password;
    EXPECT_NE(st.message().find(why), std::string::npos) << password << ": " << st.message();
  }
  EXPECT_EQ(CheckNewPassword(std::string(1025, 'x') + "y", "").code(), Code::kInvalidArgument);
}

TEST(PasswordPolicyTest, AcceptsLongUncommonPasswords) {
  EXPECT_TRUE(CheckNewPassword("correct horse battery", "jsmith@example.com").ok());
  EXPECT_TRUE(CheckNewPassword("Pw-x8Jq2mQ0Zt7-9", "").ok());
  EXPECT_TRUE(CheckNewPassword("ab-tree-lantern", "ab@example.com").ok());  // local part < 3
}

using PasswordRulesTest = ServiceFixture;

TEST_F(PasswordRulesTest, SignUpAndSetPasswordApplyTheRules) {
  AccountService strict(*stores_.accounts, clock_, AccountService::Options{true});
  auto weak = strict.Create("ann@example.com", "12345678");
  EXPECT_EQ(weak.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(weak.status().path(), "password");
  EXPECT_EQ(strict.HashNewPassword("ann.2024.password", "ann@example.com").status().path(),
            "password");
  EXPECT_TRUE(strict.HashNewPassword("violet tractor smile", "ann@example.com").ok());
  EXPECT_TRUE(strict.Create("ann@example.com", "violet tractor smile").ok());
}

}  // namespace
}  // namespace countersign
