// Addresses of the stream transports: parsing "host:port" (tcp) and paths (ipc) into
// socket addresses, and formatting socket addresses back into endpoint strings.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ringmq::detail {

struct socket_address {
  sockaddr_storage storage{};
  socklen_t length = 0;

  [[nodiscard]] int family() const noexcept { return storage.ss_family; }
  [[nodiscard]] const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }
};

// A tcp endpoint split into host and port. Accepts "host:port", "[v6]:port", "*:port",
// and "*" as the port (an ephemeral port chosen by the kernel at bind).
struct tcp_endpoint {
  std::string host;        // "*" = any interface; brackets removed from IPv6 literals
  std::uint16_t port = 0;  // 0 = ephemeral ("*")
};
std::error_code parse_tcp_endpoint(std::string_view address, tcp_endpoint& out);

// Addresses to bind a tcp endpoint to: "*" is 0.0.0.0, or [::] (dual stack) with ipv6;
// other hosts must be numeric or resolve locally.
std::error_code tcp_bind_address(const tcp_endpoint& ep, bool ipv6, socket_address& out);
// Addresses to try when connecting, in order (may query DNS: call where blocking is fine).
std::error_code tcp_connect_addresses(const tcp_endpoint& ep, bool ipv6, std::vector<socket_address>& out);

// ipc: a filesystem path (relative or absolute) or "@name" for the Linux abstract
// namespace. "*" is handled by the ipc transport (it makes a unique path).
std::error_code ipc_address(std::string_view address, socket_address& out);

// "tcp://127.0.0.1:5555", "tcp://[::1]:5555", "ipc:///tmp/x", "ipc://@name".
std::string format_endpoint(const socket_address& a);

}  // namespace ringmq::detail
