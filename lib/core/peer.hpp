// peer: the socket-side record of one connection, owned by socket_base and used by the
// socket's pattern. Lives on the socket's thread only.
#pragma once

#include "core/link.hpp"

#include <cstddef>
#include <string>

namespace ringmq::detail {

class peer {
 public:
  static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);

  link_end end;
  const void* origin = nullptr;  // the bind/connect this connection came from
  std::size_t socket_slot = no_slot;

  // Positions in the pattern's strategy containers (load_balancer, fair_queue,
  // distributor), maintained by those containers.
  std::size_t lb_slot = no_slot;
  std::size_t fq_slot = no_slot;
  std::size_t dist_slot = no_slot;

  // ROUTER: the routing id this peer is addressed by, once identified.
  std::string routing_id;
  // CONNECT_ROUTING_ID of the connect that made this peer: its name, instead of the one the
  // peer announces.
  std::string alias;
  bool identified = false;
  // XPUB/PUB: set while a message is being distributed to this peer.
  bool matching = false;
  // XPUB/PUB: the distinct topics this peer subscribed to, and what they cost in memory
  // (kept by subscription_map, which limits both).
  std::size_t subscribed_topics = 0;
  std::size_t subscription_bytes = 0;

  // Send credit state maintained by the strategies: false after can_write() failed until
  // write_activated() arrives.
  bool writable = true;
};

}  // namespace ringmq::detail
