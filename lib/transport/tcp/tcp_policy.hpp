// tcp_policy: the tcp socket options of libzmq 4.3 — TOS, BINDTODEVICE, TCP_KEEPALIVE*,
// TCP_MAXRT — applied where libzmq applies them, and TCP_ACCEPT_FILTER.
#pragma once

#include "transport/stream/connection_policy.hpp"

namespace ringmq::detail {

// Process-wide and stateless.
const connection_policy& tcp_policy() noexcept;

// SO_BINDTODEVICE as `options` ask (nothing when empty); the kernel's error otherwise
// (ENODEV: no such device, EPERM: no CAP_NET_RAW).
std::error_code bind_to_device(int fd, const socket_options& options);

}  // namespace ringmq::detail
