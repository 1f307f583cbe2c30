// zmq_msg_t <-> ringmq::message: the C type's 64 bytes hold the C++ object, constructed in
// place by zmq_msg_init*.
#pragma once

#include "handles.hpp"

#include <new>

namespace ringmq::capi {

static_assert(sizeof(ringmq::message) == sizeof(zmq_msg_t), "a zmq_msg_t holds one ringmq::message");
static_assert(alignof(ringmq::message) <= alignof(zmq_msg_t), "zmq_msg_t is aligned for ringmq::message");

inline ringmq::message& as_message(zmq_msg_t* msg) noexcept {
  return *std::launder(reinterpret_cast<ringmq::message*>(msg));
}
inline const ringmq::message& as_message(const zmq_msg_t* msg) noexcept {
  return *std::launder(reinterpret_cast<const ringmq::message*>(msg));
}

// libzmq's send/recv flag bits are ringmq's.
inline ringmq::send_flags send_flags_of(int flags) noexcept {
  return static_cast<ringmq::send_flags>(flags & (ZMQ_DONTWAIT | ZMQ_SNDMORE));
}
inline ringmq::recv_flags recv_flags_of(int flags) noexcept {
  return static_cast<ringmq::recv_flags>(flags & ZMQ_DONTWAIT);
}
static_assert(static_cast<int>(ringmq::send_flags::dontwait) == ZMQ_DONTWAIT);
static_assert(static_cast<int>(ringmq::send_flags::sndmore) == ZMQ_SNDMORE);
static_assert(static_cast<int>(ringmq::recv_flags::dontwait) == ZMQ_DONTWAIT);

}  // namespace ringmq::capi
