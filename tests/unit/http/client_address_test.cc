// X-Forwarded-For is believed only from trusted proxies, read from the right, and never past
// the first address that is not a trusted proxy.
#include "http/client_address.h"

#include <gtest/gtest.h>

namespace countersign::http {
namespace {

TrustedProxies Trusted(std::string_view list) {
  StatusOr<TrustedProxies> parsed = TrustedProxies::Parse(list);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : TrustedProxies();
}

TEST(TrustedProxiesTest, AddressesAndRangesOfBothFamilies) {
  const TrustedProxies t = Trusted(" 127.0.0.1, 10.0.0.0/8 ,192.168.1.128/25, ::1, fd00::/8");
  EXPECT_TRUE(t.Contains("127.0.0.1"));
  EXPECT_FALSE(t.Contains("127.0.0.2"));
  EXPECT_TRUE(t.Contains("10.255.3.4"));
  EXPECT_FALSE(t.Contains("11.0.0.1"));
  EXPECT_TRUE(t.Contains("192.168.1.200"));
  EXPECT_FALSE(t.Contains("192.168.1.127"));  // /25: the upper half only
  EXPECT_TRUE(t.Contains("::1"));
  EXPECT_TRUE(t.Contains("fd12:3456::9"));
  EXPECT_FALSE(t.Contains("fe80::1"));
  EXPECT_TRUE(t.Contains("::ffff:10.1.2.3"));  // an IPv4-mapped peer is its IPv4 address
  EXPECT_FALSE(t.Contains("not-an-ip"));
  EXPECT_FALSE(t.Contains(""));
  EXPECT_TRUE(Trusted("0.0.0.0/0").Contains("203.0.113.9"));
  EXPECT_FALSE(Trusted("0.0.0.0/0").Contains("2001:db8::1"));
}

TEST(TrustedProxiesTest, AnEmptyListTrustsNothing) {
  EXPECT_TRUE(Trusted("").empty());
  EXPECT_TRUE(Trusted(" , ").empty());
  EXPECT_FALSE(Trusted("").Contains("127.0.0.1"));
}

TEST(TrustedProxiesTest, BadEntriesAreRefusedByName) {
  for (const char* bad : {"localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/8x",
                          "1.2.3", "10.0.0.0/-1"}) {
    StatusOr<TrustedProxies> parsed = TrustedProxies::Parse(std::string("127.0.0.1,") + bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(bad), std::string::npos) << parsed.status().message();
  }
}

TEST(ClientAddressTest, WithoutTrustedProxiesTheHeaderIsIgnored) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.5", TrustedProxies()), "127.0.0.1");
}

TEST(ClientAddressTest, AnUntrustedPeerIsTheClientWhateverItForwards) {
  EXPECT_EQ(ClientAddress("198.51.100.7", "203.0.113.5", Trusted("127.0.0.1")), "198.51.100.7");
}

TEST(ClientAddressTest, TheRightMostUntrustedAddressIsTheClient) {
  const TrustedProxies t = Trusted("127.0.0.1, 10.0.0.0/8");
  // nginx on loopback appended the address it saw.
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.5", t), "203.0.113.5");
  // The client forged an entry; a load balancer (10.x) and nginx passed it on.
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", t), "203.0.113.5");
  // Several header lines count as one list, in order.
  EXPECT_EQ(ClientAddress("127.0.0.1", "1.1.1.1,203.0.113.5 ,10.0.0.2", t), "203.0.113.5");
  EXPECT_EQ(ClientAddress("127.0.0.1", "2001:db8::7", t), "2001:db8::7");
}

TEST(ClientAddressTest, EdgeCasesStopAtTheLastAddressVouchedFor) {
  const TrustedProxies t = Trusted("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", t), "127.0.0.1");                   // no header
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.3, 10.0.0.2", t), "10.0.0.3");  // all trusted
  EXPECT_EQ(ClientAddress("127.0.0.1", "203.0.113.5, unknown", t), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "unknown, 10.0.0.2", t), "10.0.0.2");
  EXPECT_EQ(ClientAddress("127.0.0.1", " , 203.0.113.5", t), "203.0.113.5");
}

}  // namespace
}  // namespace countersign::http
