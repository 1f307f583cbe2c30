// dial_target: how a dialing session finds its peer again at each connection attempt. Each
// stream transport (tcp, ipc) makes its own from the address given to connect(); the dialer
// asks it for the addresses to try, and for the transport's connection_policy.
#pragma once

#include "core/socket_options.hpp"
#include "transport/stream/address.hpp"
#include "transport/stream/connection_policy.hpp"

#include <optional>
#include <system_error>
#include <vector>

namespace ringmq::detail {

class dial_target {
 public:
  virtual ~dial_target() = default;
  // I/O thread, at the start of each round of attempts: the addresses to try, in order (a
  // tcp name is resolved again every time: DNS may change). An error means none now; the
  // dialer tries again after its back-off.
  virtual std::error_code resolve(const socket_options& options, std::vector<socket_address>& out) const = 0;
  // What the transport sets on each connecting socket and connection.
  [[nodiscard]] virtual const connection_policy& policy() const noexcept = 0;
  // I/O thread, before each attempt at `peer`: the local address to bind the connecting
  // socket to (tcp's "source;peer" form), or nullopt for the kernel's choice. An error
  // fails this attempt (the dialer tries again after its back-off).
  [[nodiscard]] virtual std::optional<socket_address> source_for(const socket_address& peer,
                                                                 std::error_code& ec) const {
    (void)peer;
    ec.clear();
    return std::nullopt;
  }
};

}  // namespace ringmq::detail
