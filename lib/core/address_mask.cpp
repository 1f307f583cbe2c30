#include "core/address_mask.hpp"

#include <netdb.h>
#include <netinet/in.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace ringmq::detail {

namespace {

// The mask after '/': "0", or what strtol reads as 1..max (libzmq reads it with strtol, so
// trailing text after the digits is ignored there too).
bool parse_prefix(const std::string& text, int max, int& out) {
  if (text == "0") {
    out = 0;
    return true;
  }
  errno = 0;
  const long value = std::strtol(text.c_str(), nullptr, 10);
  if (errno != 0 || value < 1 || value > max) return false;
  out = static_cast<int>(value);
  return true;
}

// "::ffff:a.b.c.d": an IPv4 peer of a dual-stack socket.
bool is_v4_mapped(const in6_addr& a) {
  static constexpr std::uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.s6_addr, prefix, sizeof prefix) == 0;
}

}  // namespace

bool address_mask::parse(std::string_view text, bool ipv6, address_mask& out) {
  std::string address(text);
  std::string prefix;
  if (const auto slash = address.rfind('/'); slash != std::string::npos) {
    prefix = address.substr(slash + 1);
    address.resize(slash);
    if (prefix.empty()) return false;
  }
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);

  addrinfo hints{};
  hints.ai_family = ipv6 ? AF_UNSPEC : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST;  // a filter never queries DNS
  addrinfo* found = nullptr;
  if (::getaddrinfo(address.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return false;
  address_mask m;
  m.family_ = found->ai_family;
  if (m.family_ == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
    std::memcpy(m.bytes_.data(), &sin->sin_addr, 4);
  } else {
    const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(found->ai_addr);
    std::memcpy(m.bytes_.data(), &sin6->sin6_addr, 16);
  }
  ::freeaddrinfo(found);
  const int full = m.family_ == AF_INET ? 32 : 128;
  m.prefix_ = full;
  if (!prefix.empty() && !parse_prefix(prefix, full, m.prefix_)) return false;
  out = m;
  return true;
}

bool address_mask::matches(const sockaddr* peer, socklen_t length) const noexcept {
  if (peer == nullptr) return false;
  if (peer->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    if (family_ != AF_INET) return false;
    return matches_bytes(
        reinterpret_cast<const std::uint8_t*>(&reinterpret_cast<const sockaddr_in*>(peer)->sin_addr));
  }
  if (peer->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(peer)->sin6_addr;
    if (family_ == AF_INET6) return matches_bytes(a.s6_addr);
    return is_v4_mapped(a) && matches_bytes(a.s6_addr + 12);
  }
  return false;
}

bool address_mask::matches_bytes(const std::uint8_t* peer) const noexcept {
  const int whole = prefix_ / 8;
  if (std::memcmp(bytes_.data(), peer, static_cast<std::size_t>(whole)) != 0) return false;
  const int rest = prefix_ % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (bytes_[static_cast<std::size_t>(whole)] & mask) == (peer[whole] & mask);
}

}  // namespace ringmq::detail
