// stream_transport: what tcp and ipc share — listening, dialing, sessions on I/O threads.
// A concrete transport only turns its address strings into sockets and dial targets.
#pragma once

#include "core/transport.hpp"
#include "transport/stream/stream_listener.hpp"
#include "transport/stream/stream_session.hpp"

#include <string>
#include <string_view>
#include <system_error>

namespace ringmq::detail {

// A bound, listening, non-blocking socket and how to name it.
struct listening_socket {
  int fd = -1;
  std::string endpoint;  // resolved: "tcp://0.0.0.0:41234", "ipc:///tmp/ringmq-x/socket"
  ipc_cleanup cleanup;
};

class stream_transport : public transport {
 public:
  std::unique_ptr<endpoint_handle> bind(socket_base& s, std::string_view address, std::error_code& ec) final;
  std::unique_ptr<endpoint_handle> connect(socket_base& s, std::string_view address, std::error_code& ec) final;

 protected:
  // On the socket's thread: creates, binds and listens (errors: address in use, bad address).
  virtual std::error_code listen(std::string_view address, const socket_options& options, listening_socket& out) = 0;
  // On the socket's thread: checks the address syntax; resolution happens at each attempt.
  virtual std::error_code parse_target(std::string_view address, dial_target& out) = 0;
};

}  // namespace ringmq::detail
