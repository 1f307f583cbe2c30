#include "transport/stream/address.hpp"

#include <ringmq/error.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <sys/un.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace ringmq::detail {

namespace {

std::error_code bad_endpoint() { return make_error_code(errc::invalid_endpoint); }

// Holds errno values, so that the C ABI hands them on as they are, and compares equal to
// them (std::errc::no_such_device); only the message differs from the generic one.
class resolve_category final : public std::error_category {
 public:
  [[nodiscard]] const char* name() const noexcept override { return "ringmq.resolve"; }
  [[nodiscard]] std::string message(int code) const override {
    return "the host or interface name could not be resolved (" + std::generic_category().message(code) + ")";
  }
  [[nodiscard]] std::error_condition default_error_condition(int code) const noexcept override {
    return {code, std::generic_category()};
  }
};

// The address of interface `name` in `family`, with `port` (libzmq: the first one listed).
bool interface_address(const std::string& name, int family, std::uint16_t port, socket_address& out) {
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return false;
  bool found = false;
  for (const ifaddrs* i = all; i != nullptr && !found; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || i->ifa_addr->sa_family != family || name != i->ifa_name) continue;
    if (family == AF_INET) {
      sockaddr_in v4{};
      std::memcpy(&v4, i->ifa_addr, sizeof v4);
      v4.sin_port = htons(port);
      std::memcpy(&out.storage, &v4, sizeof v4);
      out.length = sizeof v4;
    } else {
      sockaddr_in6 v6{};
      std::memcpy(&v6, i->ifa_addr, sizeof v6);  // keeps the scope of a link-local address
      v6.sin6_port = htons(port);
      std::memcpy(&out.storage, &v6, sizeof v6);
      out.length = sizeof v6;
    }
    found = true;
  }
  ::freeifaddrs(all);
  return found;
}

void any_address(bool ipv6, std::uint16_t port, socket_address& out) {
  if (ipv6) {
    sockaddr_in6 any{};
    any.sin6_family = AF_INET6;
    any.sin6_addr = in6addr_any;
    any.sin6_port = htons(port);
    std::memcpy(&out.storage, &any, sizeof any);
    out.length = sizeof any;
  } else {
    sockaddr_in any{};
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_ANY);
    any.sin_port = htons(port);
    std::memcpy(&out.storage, &any, sizeof any);
    out.length = sizeof any;
  }
}

bool numeric_address(const std::string& host, std::uint16_t port, socket_address& out) {
  sockaddr_in v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    std::memcpy(&out.storage, &v4, sizeof v4);
    out.length = sizeof v4;
    return true;
  }
  sockaddr_in6 v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    std::memcpy(&out.storage, &v6, sizeof v6);
    out.length = sizeof v6;
    return true;
  }
  return false;
}

std::error_code resolve(const tcp_endpoint& ep, bool ipv6, bool passive, std::vector<socket_address>& out) {
  addrinfo hints{};
  hints.ai_family = ipv6 ? AF_UNSPEC : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = passive ? AI_PASSIVE : 0;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(ep.port);
  const int rc = ::getaddrinfo(ep.host.c_str(), port.c_str(), &hints, &found);
  if (rc == EAI_MEMORY) return std::make_error_code(std::errc::not_enough_memory);
  if (rc != 0) return name_not_resolved(passive ? ENODEV : EINVAL);
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    socket_address s;
    std::memcpy(&s.storage, a->ai_addr, a->ai_addrlen);
    s.length = a->ai_addrlen;
    out.push_back(s);
  }
  ::freeaddrinfo(found);
  if (out.empty()) return name_not_resolved(passive ? ENODEV : EINVAL);
  return {};
}

}  // namespace

std::error_code name_not_resolved(int errno_value) {
  static const resolve_category category;
  return {errno_value, category};
}

std::error_code parse_tcp_connect_endpoint(std::string_view address, tcp_connect_endpoint& out) {
  out.source.reset();
  const auto semicolon = address.rfind(';');
  if (semicolon != std::string_view::npos) {
    const std::string_view source = address.substr(0, semicolon);
    if (source.empty()) return bad_endpoint();
    tcp_endpoint src;
    // "host" alone (no port) is taken as port 0; an IPv6 literal then needs its brackets.
    const bool has_port = !source.ends_with(']') && source.find(':') != std::string_view::npos;
    if (auto ec = parse_tcp_endpoint(has_port ? source : std::string(source) + ":0", src)) return ec;
    out.source = std::move(src);
    address = address.substr(semicolon + 1);
  }
  if (auto ec = parse_tcp_endpoint(address, out.peer)) return ec;
  if (out.peer.host == "*" || out.peer.port == 0) return bad_endpoint();
  return {};
}

std::error_code tcp_source_address(const tcp_endpoint& ep, bool ipv6, socket_address& out) {
  if (ep.host == "*") {
    any_address(ipv6, ep.port, out);
    return {};
  }
  if (interface_address(ep.host, ipv6 ? AF_INET6 : AF_INET, ep.port, out)) return {};
  if (numeric_address(ep.host, ep.port, out)) return {};
  return name_not_resolved(ENODEV);
}

std::error_code parse_tcp_endpoint(std::string_view address, tcp_endpoint& out) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) return bad_endpoint();
  std::string_view host = address.substr(0, colon);
  const std::string_view port = address.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad_endpoint();
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return bad_endpoint();  // an IPv6 literal needs brackets
  }
  out.host.assign(host);
  if (port == "*" || port == "0") {
    out.port = 0;
    return {};
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return bad_endpoint();
  out.port = static_cast<std::uint16_t>(value);
  return {};
}

std::error_code tcp_bind_address(const tcp_endpoint& ep, bool ipv6, socket_address& out) {
  if (ep.host == "*") {
    any_address(ipv6, ep.port, out);
    return {};
  }
  // libzmq's order: an interface name before a numeric address.
  if (interface_address(ep.host, ipv6 ? AF_INET6 : AF_INET, ep.port, out)) return {};
  if (numeric_address(ep.host, ep.port, out)) return {};
  std::vector<socket_address> candidates;
  if (auto ec = resolve(ep, ipv6, true, candidates)) return ec;
  out = candidates.front();
  return {};
}

std::error_code tcp_connect_addresses(const tcp_endpoint& ep, bool ipv6, std::vector<socket_address>& out) {
  out.clear();
  if (ep.host == "*" || ep.port == 0) return bad_endpoint();
  socket_address numeric;
  if (numeric_address(ep.host, ep.port, numeric)) {
    out.push_back(numeric);
    return {};
  }
  return resolve(ep, ipv6, false, out);
}

std::error_code ipc_address(std::string_view address, socket_address& out) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  // sun_path holds 108 bytes; a filesystem path needs its terminating NUL.
  const bool abstract = address.front() == '@';
  const std::size_t limit = abstract ? sizeof un.sun_path : sizeof un.sun_path - 1;
  if (address.empty() || address.size() > limit) return bad_endpoint();
  std::memcpy(un.sun_path, address.data(), address.size());
  if (abstract) un.sun_path[0] = '\0';
  std::memcpy(&out.storage, &un, sizeof un);
  out.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size() + (abstract ? 0 : 1));
  return {};
}

std::string format_endpoint(const socket_address& a) {
  char text[INET6_ADDRSTRLEN] = {};
  switch (a.family()) {
    case AF_INET: {
      const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a.storage);
      ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
      return std::string("tcp://") + text + ":" + std::to_string(ntohs(v4->sin_port));
    }
    case AF_INET6: {
      const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a.storage);
      ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
      return std::string("tcp://[") + text + "]:" + std::to_string(ntohs(v6->sin6_port));
    }
    case AF_UNIX: {
      const auto* un = reinterpret_cast<const sockaddr_un*>(&a.storage);
      const std::size_t offset = offsetof(sockaddr_un, sun_path);
      if (a.length <= offset) return "ipc://";  // unnamed (the connecting side of ipc)
      std::size_t n = a.length - offset;
      if (un->sun_path[0] == '\0') return "ipc://@" + std::string(un->sun_path + 1, n - 1);
      n = ::strnlen(un->sun_path, n);
      return "ipc://" + std::string(un->sun_path, n);
    }
    default: return {};
  }
}

}  // namespace ringmq::detail
