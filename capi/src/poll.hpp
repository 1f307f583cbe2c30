// The wait shared by zmq_poll and zmq_poller_wait_all: ringmq::poll over sockets and plain
// descriptors, with libzmq's errors (ETERM, EINTR) and event bits.
#pragma once

#include "handles.hpp"

#include <span>

namespace ringmq::capi {

// libzmq's event bits (ZMQ_POLLIN, ...) and ringmq's are the same numbers.
inline ringmq::events events_of(short zmq_events) noexcept {
  return static_cast<ringmq::events>(zmq_events & (ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR | ZMQ_POLLPRI));
}
inline short zmq_events_of(ringmq::events e) noexcept { return static_cast<short>(static_cast<int>(e)); }

// Waits on `items` (timeout in ms, negative: forever). Returns the number of ready items,
// or -1 with errno (ETERM, EINTR, ENOTSOCK, ...).
int wait_items(std::span<ringmq::poll_item> items, long timeout) noexcept;

}  // namespace ringmq::capi
