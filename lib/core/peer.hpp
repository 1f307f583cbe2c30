// peer: the socket-side record of one connection, owned by socket_base and used by the
// socket's pattern. Lives on the socket's thread only.
#pragma once

#include "core/link.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace ringmq::detail {

// What a socket type keeps about one of its peers (nng's per-pipe protocol data: ROUTER's
// routing id, XPUB's subscription usage). A pattern derives its record from this, makes it
// in attach() and reads it back with peer::state<T>(); it dies with the peer.
class peer_state {
 public:
  virtual ~peer_state() = default;
};

class peer {
 public:
  static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

  link_end end;
  const void* origin = nullptr;  // the bind/connect this connection came from
  std::size_t socket_slot = no_slot;

  // CONNECT_ROUTING_ID of the connect that made this peer: its name, instead of the one the
  // peer announces (set by the socket before attach).
  std::string alias;

  // The strategies' handles (lib/pattern/strategy), shared by every socket type that uses
  // them: positions in their containers (load_balancer, fair_queue, distributor), the
  // distributor's "target of the message being sent" mark, and send credit (false after
  // can_write() failed until write_activated() arrives).
  std::size_t lb_slot = no_slot;
  std::size_t fq_slot = no_slot;
  std::size_t dist_slot = no_slot;
  bool matching = false;
  bool writable = true;

  // The socket type's own record of this peer, if it keeps one.
  std::unique_ptr<peer_state> pattern_state;

  template <class T>
  [[nodiscard]] T& state() const noexcept {
    return static_cast<T&>(*pattern_state);
  }
};

}  // namespace ringmq::detail
