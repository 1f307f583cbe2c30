#include "transport/tcp/tcp_policy.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace ringmq::detail {

namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

std::error_code set_int(int fd, int level, int name, int value) {
  return ::setsockopt(fd, level, name, &value, sizeof value) == 0 ? std::error_code() : last_error();
}

int family_of(int fd) {
  sockaddr_storage self{};
  socklen_t len = sizeof self;
  return ::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0 ? self.ss_family : AF_UNSPEC;
}

// IP_TOS, and IPV6_TCLASS on IPv6 sockets (a dual-stack socket sends IPv4 with IP_TOS and
// IPv6 with IPV6_TCLASS). 0, the default, leaves both alone, as libzmq does.
std::error_code set_tos(int fd, const socket_options& options) {
  if (options.tos == 0) return {};
  if (auto ec = set_int(fd, IPPROTO_IP, IP_TOS, options.tos)) return ec;
  if (family_of(fd) == AF_INET6) return set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, options.tos);
  return {};
}

class tcp_connection_policy final : public connection_policy {
 public:
  // libzmq (tcp_open_socket): TOS and the device on listeners and connecting sockets, so
  // that the SYN already carries them.
  std::error_code prepare(int fd, const socket_options& options) const override {
    if (auto ec = set_tos(fd, options)) return ec;
    return bind_to_device(fd, options);
  }

  // libzmq (tune_tcp_keepalives, tune_tcp_maxrt): after connect or accept. The three
  // keep-alive parameters only apply when TCP_KEEPALIVE itself is not -1. TOS is set on
  // accepted sockets too (libzmq does, rather than rely on inheritance from the listener).
  std::error_code tune(int fd, const socket_options& options) const override {
    if (auto ec = set_tos(fd, options)) return ec;
    if (options.tcp_keepalive != -1) {
      if (auto ec = set_int(fd, SOL_SOCKET, SO_KEEPALIVE, options.tcp_keepalive)) return ec;
      if (options.tcp_keepalive_cnt != -1)
        if (auto ec = set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, options.tcp_keepalive_cnt)) return ec;
      if (options.tcp_keepalive_idle != -1)
        if (auto ec = set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, options.tcp_keepalive_idle)) return ec;
      if (options.tcp_keepalive_intvl != -1)
        if (auto ec = set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, options.tcp_keepalive_intvl)) return ec;
    }
    if (options.tcp_maxrt.count() > 0)
      return set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, static_cast<int>(options.tcp_maxrt.count()));
    return {};
  }

  // TCP_ACCEPT_FILTER: with filters, the peer's address must lie in one of them.
  bool admits(int fd, const socket_options& options) const override {
    if (options.tcp_accept_filters.empty()) return true;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return false;
    for (const address_mask& mask : options.tcp_accept_filters)
      if (mask.matches(reinterpret_cast<const sockaddr*>(&peer), len)) return true;
    return false;
  }
};

}  // namespace

const connection_policy& tcp_policy() noexcept {
  static const tcp_connection_policy policy;
  return policy;
}

std::error_code bind_to_device(int fd, const socket_options& options) {
  if (options.bindtodevice.empty()) return {};
  const std::string& name = options.bindtodevice;
  if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name.data(), static_cast<socklen_t>(name.size())) != 0)
    return last_error();
  return {};
}

}  // namespace ringmq::detail
