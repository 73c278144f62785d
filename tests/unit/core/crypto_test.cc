#include "core/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/sha256_stream.h"

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

// FIPS 180-4 / NIST examples, so a change of the implementation keeps every stored token hash.
TEST(Sha256HexTest, GivesTheStandardDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Each thread hashes with its own context: concurrent calls give the same digests.
TEST(Sha256HexTest, ConcurrentCallsAgree) {
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        if (Sha256Hex("abc") !=
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") {
          ++wrong[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

// The stream behind Sha256Hex: input in pieces, and each HexDigest starts the next digest.
TEST(Sha256StreamTest, PiecesAndReuseGiveTheStandardDigests) {
  Sha256Stream stream;
  stream.Update("ab");
  stream.Update("c");
  EXPECT_EQ(stream.HexDigest(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(stream.HexDigest(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string big(300000, 'q');
  for (size_t at = 0; at < big.size(); at += 7000) stream.Update(big.substr(at, 7000));
  EXPECT_EQ(stream.HexDigest(), Sha256Hex(big));
}

TEST(BufferedRandomHexTest, HexOfTheAskedLengthAndNoRepeatsAcrossRefills) {
  ASSERT_TRUE(InitCrypto().ok());
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {  // 8 bytes each: the 512-byte buffer is refilled 15 times
    const std::string id = BufferedRandomHex(8);
    ASSERT_EQ(id.size(), 16u);
    ASSERT_TRUE(IsLowerHex(id));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(BufferedRandomHex(64).size(), 128u);
  EXPECT_EQ(BufferedRandomHex(100).size(), 200u);  // above the buffer's share: RandomHex
}

}  // namespace
}  // namespace countersign
