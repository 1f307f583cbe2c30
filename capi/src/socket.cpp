// Sockets: zmq_socket, zmq_close and the endpoint calls.
#include "handles.hpp"
#include "monitor.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>

namespace ringmq::capi {

socket_handle::socket_handle(context_handle& ctx, ringmq::socket s) noexcept
    : sock(std::move(s)), owner(ctx) {}

socket_handle::~socket_handle() {
  // libzmq stops a socket's monitor when the socket closes (MONITOR_STOPPED ends its stream).
  monitor.reset();
  sock.close();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  tag_ = dead_tag;
}

namespace {

// What zmq_close leaves of a socket. pyzmq asks whether a socket (or a shadow of it) is
// closed by calling zmq_getsockopt on it and expecting ENOTSOCK, also after zmq_close;
// libzmq frees a closed socket later, on its reaper thread, so that call reads the dead tag.
// Here the memory of the last closed handles stays allocated (destroyed, tag dead) until
// `size` more sockets have closed, so such a call reads the dead tag too and the memory kept
// stays bounded. Trivially destructible: what it holds at exit stays reachable, not leaked.
class closed_handles {
 public:
  void keep(socket_handle* s) {
    void* evicted = nullptr;
    {
      std::lock_guard lock(mutex_);
      evicted = std::exchange(ring_[next_], s);
      next_ = (next_ + 1) % ring_.size();
    }
    ::operator delete(evicted);
  }

 private:
  std::mutex mutex_;
  std::array<void*, 64> ring_{};
  std::size_t next_ = 0;
};
constinit closed_handles closed;

using endpoint_call = void (ringmq::socket::*)(std::string_view, std::error_code&) noexcept;

int endpoint_op(void* socket, const char* endpoint, endpoint_call call) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (endpoint == nullptr) return fail(EINVAL);
  // libzmq checks an ipc path against the kernel's limit first (ENAMETOOLONG).
  if (std::strncmp(endpoint, "ipc://", 6) == 0 && std::strlen(endpoint + 6) >= sizeof(sockaddr_un::sun_path))
    return fail(ENAMETOOLONG);
  std::error_code ec;
  (s->sock.*call)(endpoint, ec);
  return ec ? fail(ec) : 0;
}

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::context_handle;
using ringmq::capi::socket_handle;

extern "C" {

void* zmq_socket(void* context, int type) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return nullptr;
  return ringmq::capi::guarded<void*>(nullptr, [&] { return static_cast<void*>(c->open_socket(type)); });
}

int zmq_close(void* socket) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  context_handle& owner = s->owner;
  s->~socket_handle();  // made by `new` in zmq_socket; its memory goes to `closed`
  ringmq::capi::closed.keep(s);
  owner.socket_closed();
  return 0;
}

int zmq_bind(void* socket, const char* endpoint) {
  return ringmq::capi::endpoint_op(socket, endpoint, &ringmq::socket::bind);
}
int zmq_connect(void* socket, const char* endpoint) {
  return ringmq::capi::endpoint_op(socket, endpoint, &ringmq::socket::connect);
}
int zmq_unbind(void* socket, const char* endpoint) {
  return ringmq::capi::endpoint_op(socket, endpoint, &ringmq::socket::unbind);
}
int zmq_disconnect(void* socket, const char* endpoint) {
  return ringmq::capi::endpoint_op(socket, endpoint, &ringmq::socket::disconnect);
}

}  // extern "C"
