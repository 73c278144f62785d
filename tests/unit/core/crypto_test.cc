#include "core/crypto.h"

#include <gtest/gtest.h>

#include <string>

namespace countersign {
namespace {

TEST(HashPinTest, SaltedCheapArgon2idThatVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  StatusOr<std::string> a = HashPin("4321");
  StatusOr<std::string> b = HashPin("4321");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b) << "salted";
  // The documented cost: 1 pass over 1 MiB (m is in KiB).
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << *a;
  EXPECT_TRUE(VerifyPassword("4321", *a));
  EXPECT_FALSE(VerifyPassword("4322", *a));
  EXPECT_FALSE(VerifyPassword("", *a));
}

TEST(IsLowerHexTest, AcceptsWhatRandomHexAndSha256HexWriteAndNothingElse) {
  EXPECT_TRUE(IsLowerHex(RandomHex(32)));
  EXPECT_TRUE(IsLowerHex(Sha256Hex("x")));
  EXPECT_TRUE(IsLowerHex("0123456789abcdef"));
  EXPECT_TRUE(IsLowerHex(""));
  for (const char* bad : {"ABCDEF", "0g", "12 3", "-1", "ff\n"}) {
    EXPECT_FALSE(IsLowerHex(bad)) << bad;
  }
}

}  // namespace
}  // namespace countersign
