// connection_policy: what a stream transport (tcp, ipc) does to its own sockets beyond what
// they all share (TCP_NODELAY, buffer sizes: stream_socket.hpp) — socket options set before
// a socket binds or connects, options of an established connection, and which peers a
// listener admits. Each transport has one, stateless and alive for the whole process; the
// socket's options are passed in.
#pragma once

#include "core/socket_options.hpp"

#include <system_error>

namespace ringmq::detail {

class connection_policy {
 public:
  virtual ~connection_policy() = default;
  // A new socket before it binds (socket's thread) or connects (I/O thread). An error
  // fails the bind, or that connection attempt.
  [[nodiscard]] virtual std::error_code prepare(int fd, const socket_options& options) const = 0;
  // A connection once established, connected or accepted (I/O thread). An error closes it
  // (a dialer then tries again; a listener reports ACCEPT_FAILED).
  [[nodiscard]] virtual std::error_code tune(int fd, const socket_options& options) const = 0;
  // A listener's newly accepted connection (I/O thread): false refuses the peer; the
  // listener closes it and reports ACCEPT_FAILED.
  [[nodiscard]] virtual bool admits(int fd, const socket_options& options) const = 0;
};

}  // namespace ringmq::detail
