// Request ids (core/ids.h): their format, and that they do not repeat within or across threads.
#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"

namespace countersign {
namespace {

TEST(RequestIdTest, IsSixteenLowercaseHexDigits) {
  ASSERT_TRUE(InitCrypto().ok());
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewRequestId();
    ASSERT_EQ(id.size(), 16u) << id;
    ASSERT_TRUE(IsLowerHex(id)) << id;
  }
}

TEST(RequestIdTest, NoIdRepeatsWithinOrAcrossThreads) {
  ASSERT_TRUE(InitCrypto().ok());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50000;
  std::vector<std::vector<std::string>> minted(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&minted, t] {
      for (int i = 0; i < kPerThread; ++i) minted[t].push_back(NewRequestId());
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& ids : minted) all.insert(ids.begin(), ids.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  // Random, not a sequence: successive ids of one thread differ in their first half too.
  EXPECT_NE(minted[0][0].substr(0, 8), minted[0][1].substr(0, 8));
}

}  // namespace
}  // namespace countersign
