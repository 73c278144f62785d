#include "http/port_probe.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace countersign::http {

Status CheckPortFree(const std::string& address, uint16_t port) {
  if (port == 0) return Status::Ok();
  sockaddr_in v4{};
  sockaddr_in6 v6{};
  const sockaddr* addr = nullptr;
  socklen_t length = 0;
  if (inet_pton(AF_INET, address.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    addr = reinterpret_cast<const sockaddr*>(&v4);
    length = sizeof v4;
  } else if (inet_pton(AF_INET6, address.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    addr = reinterpret_cast<const sockaddr*>(&v6);
    length = sizeof v6;
  } else {
    return Status(Code::kUnavailable, "cannot listen: not an IP address: " + address);
  }
  const int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status(Code::kUnavailable, std::string("cannot listen: ") + strerror(errno));
  const int one = 1;
  // As the server's own sockets: a port left in TIME_WAIT by an earlier run is free.
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int rc = bind(fd, addr, length);
  const int error = errno;
  close(fd);
  if (rc != 0) return Status(Code::kUnavailable, std::string("cannot listen: ") + strerror(error));
  return Status::Ok();
}

}  // namespace countersign::http
