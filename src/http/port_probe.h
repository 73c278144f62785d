// Whether a TCP port is free to listen on, checked before the HTTP server's event loops bind it
// with SO_REUSEPORT (http/server.h): that option would otherwise let a second server join a
// port another one (of the same user) already serves, and take part of its connections.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace countersign::http {

// OK when nothing listens on address:port (an IPv4 or IPv6 literal), and always for port 0.
// Errors: kUnavailable "cannot listen: ..." when the port is taken or the address is not an
// address of this machine. Only a check: the port may be taken between it and the real bind.
Status CheckPortFree(const std::string& address, uint16_t port);

}  // namespace countersign::http
