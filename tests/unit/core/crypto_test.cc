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

}  // namespace
}  // namespace countersign
