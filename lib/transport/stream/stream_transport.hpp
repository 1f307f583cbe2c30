// stream_transport: what tcp and ipc share — listening, dialing, sessions on I/O threads.
// A concrete transport only turns its address strings into sockets and dial targets.
#pragma once

#include "core/transport.hpp"
#include "transport/stream/stream_listener.hpp"
#include "transport/stream/stream_session.hpp"

#include <sys/types.h>

#include <string>
#include <string_view>
#include <system_error>

namespace ringmq::detail {

// The filesystem name of a bound ipc socket. It is removed at once by the thread that
// unbinds or closes (the bind handle), so the same path can be bound again right away, and
// only while it is still our socket (same device and inode).
struct ipc_socket_file {
  std::string path;  // empty: nothing to remove (tcp, abstract ipc)
  dev_t device = 0;
  ino_t inode = 0;

  void remove() const noexcept;
};

// A bound, listening, non-blocking socket and how to name it.
struct listening_socket {
  int fd = -1;
  std::string endpoint;   // resolved: "tcp://0.0.0.0:41234", "ipc:///tmp/ringmq-x/socket"
  ipc_socket_file file;   // ipc: the socket's path
  std::string directory;  // ipc "*": the private directory made for it, removed after closing
  const connection_policy* policy = nullptr;  // what the listener does to accepted connections
};

class stream_transport : public transport {
 public:
  std::unique_ptr<endpoint_handle> bind(transport_host& s, std::string_view address,
                                        std::error_code& ec) final;
  std::unique_ptr<endpoint_handle> connect(transport_host& s, std::string_view address,
                                           std::error_code& ec) final;

 protected:
  // On the socket's thread: creates, binds and listens (errors: address in use, bad address).
  virtual std::error_code listen(std::string_view address, const socket_options& options,
                                 listening_socket& out) = 0;
  // On the socket's thread: checks the address syntax and returns how to find the peer at
  // each attempt (dial_target::resolve, on the I/O thread).
  // Errors known at once (a bad address, a device that does not exist) are returned.
  virtual std::shared_ptr<const dial_target> make_dial_target(std::string_view address,
                                                              const socket_options& options,
                                                              std::error_code& ec) = 0;
};

}  // namespace ringmq::detail
