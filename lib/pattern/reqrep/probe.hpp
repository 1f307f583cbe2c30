// PROBE_ROUTER (libzmq's option, on ROUTER, DEALER and REQ): an empty message to each new
// peer as soon as it attaches, so that a ROUTER on the other side learns of the connection
// (and the routing id it gave it) before the application sends anything.
#pragma once

#include "core/peer.hpp"

#include <ringmq/message.hpp>

namespace ringmq::detail {

inline void send_probe(peer& p) {
  p.end.write(message(), false);
  p.end.flush();
}

}  // namespace ringmq::detail
