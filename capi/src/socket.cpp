// Sockets: zmq_socket, zmq_close and the endpoint calls.
#include "handles.hpp"
#include "monitor.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <cstring>

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
  delete s;
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
