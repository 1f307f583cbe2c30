#include "transport/stream/stream_socket.hpp"

#include "transport/stream/address.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

namespace ringmq::detail {

int open_stream_socket(int family, const socket_options& options) {
  const int fd = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) configure_stream_fd(fd, options);
  return fd;
}

void configure_stream_fd(int fd, const socket_options& options) {
  sockaddr_storage self{};
  socklen_t len = sizeof self;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0 &&
      (self.ss_family == AF_INET || self.ss_family == AF_INET6)) {
    // Small messages must not wait for Nagle's algorithm: latency is the point.
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (options.sndbuf >= 0) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &options.sndbuf, sizeof options.sndbuf);
  if (options.rcvbuf >= 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.rcvbuf, sizeof options.rcvbuf);
}

std::string peer_name(int fd) {
  socket_address a;
  a.length = sizeof a.storage;
  if (::getpeername(fd, a.get(), &a.length) != 0) return {};
  return format_endpoint(a);
}

std::string address_without_scheme(const std::string& endpoint) {
  const auto sep = endpoint.find("://");
  if (sep == std::string::npos) return endpoint;
  std::string rest = endpoint.substr(sep + 3);
  if (endpoint.compare(0, sep, "tcp") != 0) return rest;
  const auto colon = rest.rfind(':');
  if (colon != std::string::npos) rest.resize(colon);
  if (rest.size() >= 2 && rest.front() == '[' && rest.back() == ']') rest = rest.substr(1, rest.size() - 2);
  return rest;
}

void write_now(int fd, zmtp::output_batch& out) noexcept {
  while (!out.empty()) {
    const auto iov = out.iovecs();
    msghdr mh{};
    mh.msg_iov = const_cast<iovec*>(iov.data());
    mh.msg_iovlen = iov.size();
    const ssize_t n = ::sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n <= 0) return;  // EAGAIN or an error: the I/O thread carries on
    out.consume(static_cast<std::size_t>(n));
  }
}

}  // namespace ringmq::detail
