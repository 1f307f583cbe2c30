// transport: the extension point for endpoint schemes (inproc, ipc, tcp). Each transport
// implements this interface in lib/transport/<name>/ and is registered with the context.
#pragma once

#include "core/link.hpp"
#include "core/socket_options.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace ringmq::detail {

class context_impl;
class mailbox;
class monitor_hub;

// What a transport may ask of the socket it binds or connects for (socket_base implements
// it). Called on the socket's thread; the shared objects may be handed to the transport's
// I/O-thread side.
class transport_host {
 public:
  [[nodiscard]] virtual const socket_options& options() const noexcept = 0;
  // Where the socket's connections post commands (attach, activation).
  [[nodiscard]] virtual const std::shared_ptr<mailbox>& inbox() const noexcept = 0;
  // Where connection events are reported (the socket's monitor).
  [[nodiscard]] virtual const std::shared_ptr<monitor_hub>& events_hub() const noexcept = 0;
  [[nodiscard]] virtual context_impl& context() const noexcept = 0;
  // Adopts one end of a new connection made for the bind/connect `origin`.
  virtual void attach(link_end end, const void* origin) = 0;

 protected:
  ~transport_host() = default;
};

// A live bind or connect. Destroying it (on the socket's thread) stops listening or
// dialing; connections it produced are closed by the socket through their links. It may
// wait, bounded, for the address to be released (a tcp/ipc bind waits up to 10 s for its I/O
// thread to close the listening socket), never for messages to be delivered.
class endpoint_handle {
 public:
  virtual ~endpoint_handle() = default;
  // The endpoint with wildcards resolved ("tcp://127.0.0.1:41233", "ipc:///tmp/x").
  [[nodiscard]] virtual std::string resolved() const = 0;
};

class transport {
 public:
  virtual ~transport() = default;
  // "inproc", "ipc", "tcp".
  [[nodiscard]] virtual std::string_view scheme() const noexcept = 0;
  // Called on the socket's thread with the part after "scheme://". Never blocks on the
  // network; errors that are known at once (bad address, address in use) are returned.
  virtual std::unique_ptr<endpoint_handle> bind(transport_host& s, std::string_view address,
                                                std::error_code& ec) = 0;
  virtual std::unique_ptr<endpoint_handle> connect(transport_host& s, std::string_view address,
                                                   std::error_code& ec) = 0;
};

}  // namespace ringmq::detail
