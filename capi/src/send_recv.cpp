// Sending and receiving: zmq_send, zmq_send_const, zmq_recv, zmq_msg_send, zmq_msg_recv and
// the older zmq_sendmsg, zmq_recvmsg, zmq_sendiov, zmq_recviov.
//
// These are the hot paths: they use the error_code overloads of ringmq::socket (no
// exception is built when a send would block) and return sizes clamped to INT_MAX, as
// libzmq does.
#include "message_cast.hpp"

#include <sys/uio.h>

#include <climits>
#include <cstdlib>
#include <cstring>

namespace ringmq::capi {

namespace {

int clamped(std::size_t size) noexcept { return size < INT_MAX ? static_cast<int>(size) : INT_MAX; }

// Sends `msg` (consumed on success): its size, or -1 with errno.
inline int send_message(socket_handle& s, ringmq::message& msg, int flags) noexcept {
  std::error_code ec;
  const std::optional<std::size_t> sent = s.sock.send(std::move(msg), send_flags_of(flags), ec);
  if (sent) [[likely]]
    return clamped(*sent);
  return ec ? fail(ec) : fail(EAGAIN);
}

// Receives into `msg`: its size, or -1 with errno.
inline int recv_message(socket_handle& s, ringmq::message& msg, int flags) noexcept {
  std::error_code ec;
  const std::optional<std::size_t> got = s.sock.recv(msg, recv_flags_of(flags), ec);
  if (got) [[likely]]
    return clamped(*got);
  return ec ? fail(ec) : fail(EAGAIN);
}

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::as_message;
using ringmq::capi::fail;
using ringmq::capi::socket_handle;

extern "C" {

int zmq_msg_send(zmq_msg_t* msg, void* socket, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  return ringmq::capi::send_message(*s, as_message(msg), flags);
}

int zmq_msg_recv(zmq_msg_t* msg, void* socket, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  return ringmq::capi::recv_message(*s, as_message(msg), flags);
}

int zmq_sendmsg(void* socket, zmq_msg_t* msg, int flags) { return zmq_msg_send(msg, socket, flags); }
int zmq_recvmsg(void* socket, zmq_msg_t* msg, int flags) { return zmq_msg_recv(msg, socket, flags); }

int zmq_send(void* socket, const void* buf, size_t len, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (buf == nullptr && len != 0) return fail(EFAULT);
  return ringmq::capi::guarded(-1, [&] {
    ringmq::message msg(buf, len);
    return ringmq::capi::send_message(*s, msg, flags);
  });
}

int zmq_send_const(void* socket, const void* buf, size_t len, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (buf == nullptr && len != 0) return fail(EFAULT);
  ringmq::message msg = ringmq::message::constant(buf, len);
  return ringmq::capi::send_message(*s, msg, flags);
}

int zmq_recv(void* socket, void* buf, size_t len, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  ringmq::message msg;
  const int size = ringmq::capi::recv_message(*s, msg, flags);
  if (size < 0) return -1;
  // An oversized message is truncated; the return value says how long it was.
  const std::size_t n = std::min(len, msg.size());
  if (n != 0) std::memcpy(buf, msg.data(), n);
  return size;
}

int zmq_sendiov(void* socket, struct iovec* iov, size_t count, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (iov == nullptr || count == 0) return fail(EINVAL);
  return ringmq::capi::guarded(-1, [&] {
    int rc = 0;
    for (size_t i = 0; i < count; ++i) {
      ringmq::message msg(iov[i].iov_base, iov[i].iov_len);
      const int part_flags = i + 1 == count ? (flags & ~ZMQ_SNDMORE) : flags;
      rc = ringmq::capi::send_message(*s, msg, part_flags);
      if (rc < 0) return -1;
    }
    return rc;
  });
}

int zmq_recviov(void* socket, struct iovec* iov, size_t* count, int flags) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (iov == nullptr || count == nullptr || *count == 0) return fail(EINVAL);
  // Up to *count parts of one message, each copied into a malloc'd buffer the caller frees.
  const size_t capacity = *count;
  *count = 0;
  int parts = 0;
  bool more = true;
  for (size_t i = 0; more && i < capacity; ++i) {
    ringmq::message msg;
    if (ringmq::capi::recv_message(*s, msg, flags) < 0) return -1;
    void* copy = std::malloc(msg.size() == 0 ? 1 : msg.size());
    if (copy == nullptr) return fail(ENOMEM);
    if (msg.size() != 0) std::memcpy(copy, msg.data(), msg.size());
    iov[i].iov_base = copy;
    iov[i].iov_len = msg.size();
    more = msg.more();
    ++*count;
    ++parts;
  }
  return parts;
}

}  // extern "C"
