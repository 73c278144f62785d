// Address policy for outbound fetches (SSRF protection): tells whether a resolved socket
// address is a public unicast address that a user-supplied URL may reach. Pure functions;
// thread-safe.
#pragma once

#include <sys/socket.h>

#include <cstdint>

namespace countersign {

// False for loopback (127/8, ::1), private (10/8, 172.16/12, 192.168/16, fc00::/7),
// link-local (169.254/16, fe80::/10), unspecified / "this network" (0/8, ::), multicast
// (224/4, ff00::/8), reserved and broadcast (240/4), CGNAT (100.64/10), IETF protocol
// assignments (192.0.0/24), benchmarking (198.18/15), documentation (192.0.2/24,
// 198.51.100/24, 203.0.113/24, 2001:db8::/32), 6to4 relay anycast (192.88.99/24), Teredo
// (2001::/32), discard-only (100::/64), deprecated site-local (fec0::/10), and
// for IPv6 forms embedding such an IPv4 address (IPv4-mapped ::ffff:0:0/96, IPv4-compatible
// ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16). False for families other than AF_INET/AF_INET6.
bool IsPublicAddress(const struct sockaddr* addr, socklen_t len);

// True when the address is one of this host's own interface addresses (its public address
// included), looked up now; true also when the interfaces cannot be listed.
bool IsOwnAddress(const struct sockaddr* addr, socklen_t len);

// The check outbound fetches and callbacks apply: public and not this host's own address.
bool IsAllowedOutboundAddress(const struct sockaddr* addr, socklen_t len);

// The same as IsPublicAddress for an IPv4 address in host byte order.
bool IsPublicIpv4(uint32_t host_order);

// The same for a 16-byte IPv6 address in network byte order.
bool IsPublicIpv6(const uint8_t bytes[16]);

}  // namespace countersign
