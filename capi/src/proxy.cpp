// zmq_proxy, zmq_proxy_steerable and the older zmq_device, over ringmq::proxy.
#include "handles.hpp"

using ringmq::capi::fail;
using ringmq::capi::socket_handle;

namespace {

// The socket behind an optional handle: null for a null handle, ENOTSOCK for a bad one.
bool optional_socket(void* handle, ringmq::socket*& out) {
  out = nullptr;
  if (handle == nullptr) return true;
  socket_handle* s = socket_handle::from(handle);
  if (s == nullptr) return false;
  out = &s->sock;
  return true;
}

}  // namespace

extern "C" {

int zmq_proxy_steerable(void* frontend, void* backend, void* capture, void* control) {
  socket_handle* f = socket_handle::from(frontend);
  socket_handle* b = socket_handle::from(backend);
  if (f == nullptr || b == nullptr) return -1;
  ringmq::socket* cap = nullptr;
  ringmq::socket* ctl = nullptr;
  if (!optional_socket(capture, cap) || !optional_socket(control, ctl)) return -1;
  std::error_code ec;
  if (ctl != nullptr)
    ringmq::proxy_steerable(f->sock, b->sock, cap, *ctl, ec);
  else
    ringmq::proxy(f->sock, b->sock, cap, ec);
  // A plain proxy only ends by an error (ETERM when its context is terminated); a steered
  // one also ends by TERMINATE, which is success.
  return ec ? fail(ec) : 0;
}

int zmq_proxy(void* frontend, void* backend, void* capture) {
  return zmq_proxy_steerable(frontend, backend, capture, nullptr);
}

int zmq_device(int /*type*/, void* frontend, void* backend) {
  // libzmq ignores the device type: every device is a proxy.
  return zmq_proxy_steerable(frontend, backend, nullptr, nullptr);
}

}  // extern "C"
