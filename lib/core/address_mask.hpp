// address_mask: one entry of TCP_ACCEPT_FILTER — an IPv4 or IPv6 network ("10.0.0.0/8",
// "::1", "fe80::/10") that a listener's peer address is matched against. Parsed on the
// socket's thread when the option is set, matched on an I/O thread for each accepted
// connection; immutable in between (options are copied at bind).
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace ringmq::detail {

class address_mask {
 public:
  // libzmq's syntax: a numeric address (no name lookup), optionally "/<prefix length>"
  // (0 matches the whole family; none means the whole address). An IPv6 address is only
  // accepted when `ipv6` (the socket's IPV6 option) is on, as libzmq does. False on any
  // other text.
  static bool parse(std::string_view text, bool ipv6, address_mask& out);

  // Whether `peer` lies in this network. An IPv4 peer that a dual-stack listener sees as
  // "::ffff:a.b.c.d" matches IPv4 masks by its IPv4 address (libzmq compares the mapped
  // form with the prefix length of the IPv6 address instead, so "10.0.0.0/8" then matches
  // every address whose first 8 bits are zero).
  [[nodiscard]] bool matches(const sockaddr* peer, socklen_t length) const noexcept;

 private:
  [[nodiscard]] bool matches_bytes(const std::uint8_t* peer) const noexcept;

  int family_ = 0;  // AF_INET or AF_INET6
  int prefix_ = 0;  // bits compared
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace ringmq::detail
