#include "files/address_policy.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstring>

namespace countersign {

namespace {

bool InPrefix(uint32_t addr, uint32_t prefix, int bits) {
  uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (addr & mask) == (prefix & mask);
}

uint32_t Ipv4At(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

bool AllZero(const uint8_t* p, int n) {
  for (int i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

}  // namespace

bool IsPublicIpv4(uint32_t a) {
  struct Range {
    uint32_t prefix;
    int bits;
  };
  static constexpr Range kBlocked[] = {
      {0x00000000, 8},   // 0.0.0.0/8 "this network", unspecified
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 CGNAT
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata)
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 IETF protocol assignments
      {0xC0000200, 24},  // 192.0.2/24 documentation (TEST-NET-1)
      {0xC0586300, 24},  // 192.88.99/24 deprecated 6to4 relay anycast
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xC6336400, 24},  // 198.51.100/24 documentation (TEST-NET-2)
      {0xCB007100, 24},  // 203.0.113/24 documentation (TEST-NET-3)
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, 255.255.255.255 broadcast
  };
  for (const Range& r : kBlocked) {
    if (InPrefix(a, r.prefix, r.bits)) return false;
  }
  return true;
}

bool IsPublicIpv6(const uint8_t b[16]) {
  // ::/96 covers ::, ::1 and the deprecated IPv4-compatible form ::a.b.c.d.
  if (AllZero(b, 12)) {
    uint32_t v4 = Ipv4At(b + 12);
    return v4 > 1 && IsPublicIpv4(v4);
  }
  // ::ffff:a.b.c.d IPv4-mapped.
  if (AllZero(b, 10) && b[10] == 0xff && b[11] == 0xff) return IsPublicIpv4(Ipv4At(b + 12));
  // 64:ff9b::a.b.c.d NAT64 well-known prefix.
  static constexpr uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, sizeof kNat64) == 0) return IsPublicIpv4(Ipv4At(b + 12));
  // 2002:aabb:ccdd::/48 6to4 embeds a.b.c.d.
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublicIpv4(Ipv4At(b + 2));
  // 2001:db8::/32 documentation; 2001::/32 Teredo (embeds an obscured IPv4 address).
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return false;
  // 100::/64 discard-only.
  if (b[0] == 0x01 && AllZero(b + 1, 7)) return false;
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local
  if (b[0] == 0xff) return false;                           // ff00::/8 multicast
  return true;
}

bool IsPublicAddress(const struct sockaddr* addr, socklen_t len) {
  if (addr == nullptr) return false;
  if (addr->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    return IsPublicIpv4(ntohl(in->sin_addr.s_addr));
  }
  if (addr->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    return IsPublicIpv6(in6->sin6_addr.s6_addr);
  }
  return false;
}

bool IsOwnAddress(const struct sockaddr* addr, socklen_t len) {
  if (addr == nullptr) return false;
  struct ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return true;  // cannot tell: treat as ours, refuse
  bool own = false;
  for (struct ifaddrs* i = list; i != nullptr && !own; i = i->ifa_next) {
    const struct sockaddr* a = i->ifa_addr;
    if (a == nullptr || a->sa_family != addr->sa_family) continue;
    if (a->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
      own = reinterpret_cast<const sockaddr_in*>(a)->sin_addr.s_addr ==
            reinterpret_cast<const sockaddr_in*>(addr)->sin_addr.s_addr;
    } else if (a->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
      own = std::memcmp(&reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr,
                        &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr,
                        sizeof(in6_addr)) == 0;
    }
  }
  freeifaddrs(list);
  return own;
}

bool IsAllowedOutboundAddress(const struct sockaddr* addr, socklen_t len) {
  return IsPublicAddress(addr, len) && !IsOwnAddress(addr, len);
}

}  // namespace countersign
