// Addresses of the stream transports: parsing "host:port" (tcp) and paths (ipc) into
// socket addresses, and formatting socket addresses back into endpoint strings.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
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

// A tcp connect endpoint: "peer" or "source;peer" (libzmq's form), where the source is
// "host:port" or "host" (port 0: any) and its host an interface name, a numeric address or
// "*". The last ';' splits, as libzmq's strrchr does.
struct tcp_connect_endpoint {
  tcp_endpoint peer;
  std::optional<tcp_endpoint> source;
};
std::error_code parse_tcp_connect_endpoint(std::string_view address, tcp_connect_endpoint& out);

// The error for a host or interface name that does not resolve: `errno_value` (ENODEV
// where libzmq binds, EINVAL where it connects) with a message that says so.
std::error_code name_not_resolved(int errno_value);

// The address to bind a tcp endpoint to, resolved as libzmq resolves a bind: "*" is 0.0.0.0,
// or [::] (dual stack) with ipv6; then an interface name (its first IPv4 address, IPv6 with
// ipv6: "tcp://lo:*" binds 127.0.0.1); then a numeric address; then (ringmq only, libzmq
// does no DNS here) a name the resolver knows. None: name_not_resolved(ENODEV).
std::error_code tcp_bind_address(const tcp_endpoint& ep, bool ipv6, socket_address& out);
// The source address of a connection (libzmq: no DNS): "*", an interface name or a numeric
// address. None: name_not_resolved(ENODEV).
std::error_code tcp_source_address(const tcp_endpoint& ep, bool ipv6, socket_address& out);
// Addresses to try when connecting, in order (may query DNS: call where blocking is fine).
std::error_code tcp_connect_addresses(const tcp_endpoint& ep, bool ipv6, std::vector<socket_address>& out);

// ipc: a filesystem path (relative or absolute) or "@name" for the Linux abstract
// namespace. "*" is handled by the ipc transport (it makes a unique path).
std::error_code ipc_address(std::string_view address, socket_address& out);

// "tcp://127.0.0.1:5555", "tcp://[::1]:5555", "ipc:///tmp/x", "ipc://@name".
std::string format_endpoint(const socket_address& a);

}  // namespace ringmq::detail
