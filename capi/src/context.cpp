// Contexts: zmq_ctx_new/term/shutdown/set/get and the older zmq_init/zmq_term.
//
// libzmq's termination contract, over ringmq::context: zmq_ctx_term makes blocking calls
// in other threads fail with ETERM, waits until every socket of the context is closed, then
// lets lingering messages drain (each socket's LINGER; libzmq's default, forever, unless
// ZMQ_BLOCKY is 0) and frees the context.
#include "handles.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <unordered_set>

namespace ringmq::capi {

namespace {
// ZMQ_ZERO_COPY_RECV, a draft context option (zmq.h declares it only for draft builds).
constexpr int zero_copy_recv_option = 10;

// The contexts zmq_ctx_new made and zmq_ctx_term has not destroyed. Never freed: contexts
// may outlive static destruction (a binding's garbage collector at exit).
struct live_contexts {
  std::mutex mutex;
  std::unordered_set<const void*> handles;
};
live_contexts& live() {
  static auto* registry = new live_contexts;
  return *registry;
}
}  // namespace

context_handle* context_handle::from(void* handle) noexcept {
  live_contexts& l = live();
  std::lock_guard lock(l.mutex);
  if (handle == nullptr || !l.handles.contains(handle)) {
    errno = EFAULT;
    return nullptr;
  }
  return static_cast<context_handle*>(handle);
}

context_handle::context_handle() : max_msgsz_(INT_MAX) {
  // Blocking calls report signals (EINTR) as libzmq's do; pyzmq retries them after running
  // Python's signal handlers, which is how Ctrl-C reaches a program blocked in recv.
  ctx_.set(ringmq::context_option::interrupt_on_signal, 1);
  // libzmq's default LINGER (ZMQ_BLOCKY): ringmq's own default is 1 s.
  ctx_.set_socket_default(ringmq::option::linger, -1);
  closed_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (closed_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  std::lock_guard lock(live().mutex);
  live().handles.insert(this);
}

context_handle::~context_handle() {
  {
    std::lock_guard lock(live().mutex);
    live().handles.erase(this);
  }
  ::close(closed_fd_);
}

socket_handle* context_handle::open_socket(int type) {
  // ringmq's table of socket types decides, so that types it gains appear here as they land.
  if (ringmq::to_string(static_cast<ringmq::socket_type>(type)) == "UNKNOWN")
    throw ringmq::error(make_error_code(errc::invalid_option_value), "socket");
  std::lock_guard lock(mutex_);
  if (is_shut_down()) throw ringmq::error(make_error_code(errc::context_terminated), "socket");
  if (open_sockets_ >= max_sockets_) throw std::system_error(EMFILE, std::generic_category(), "socket");
  ringmq::socket sock(ctx_, static_cast<ringmq::socket_type>(type));
  if (!blocky_) sock.set(ringmq::opt::linger, std::chrono::milliseconds(0));
  auto* s = new socket_handle(*this, std::move(sock));
  ++open_sockets_;
  return s;
}

void context_handle::socket_closed() noexcept {
  {
    std::lock_guard lock(mutex_);
    --open_sockets_;
  }
  ::eventfd_write(closed_fd_, 1);
}

void context_handle::shutdown() noexcept {
  {
    std::lock_guard lock(mutex_);
    shut_down_.store(true, std::memory_order_release);
  }
  ctx_.shutdown();
}

int context_handle::wait_for_sockets() noexcept {
  shutdown();
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (open_sockets_ == 0) return 0;
    }
    // Every zmq_close writes the eventfd after its count went down: a close between the
    // check above and this poll leaves it readable.
    pollfd p{closed_fd_, POLLIN, 0};
    if (::poll(&p, 1, -1) < 0 && errno == EINTR) return -1;
    eventfd_t drained = 0;
    ::eventfd_read(closed_fd_, &drained);
  }
}

void context_handle::destroy() noexcept {
  // ringmq::context's destructor waits for lingering messages, each bounded by its socket's
  // LINGER, as zmq_ctx_term does.
  delete this;
}

int context_handle::set(int option, int value) {
  std::lock_guard lock(mutex_);
  switch (option) {
    case ZMQ_IO_THREADS:
      if (value < 0) return fail(EINVAL);
      // libzmq allows 0 (inproc only); ringmq starts its I/O threads on first tcp/ipc use
      // and keeps at least one. Once they run, the count no longer changes, as in libzmq.
      io_threads_ = value;
      if (value > 0) {
        try {
          ctx_.set(ringmq::context_option::io_threads, value);
        } catch (const ringmq::error& e) {
          if (e.code() != errc::invalid_state) throw;
        }
      }
      return 0;
    case ZMQ_MAX_SOCKETS:
      if (value < 1 || value > 65535) return fail(EINVAL);
      max_sockets_ = value;
      return 0;
    case ZMQ_IPV6:
      if (value < 0) return fail(EINVAL);
      ctx_.set(ringmq::context_option::ipv6, value != 0 ? 1 : 0);
      return 0;
    case ZMQ_BLOCKY:
      if (value < 0) return fail(EINVAL);
      blocky_ = value != 0;
      ctx_.set_socket_default(ringmq::option::linger, blocky_ ? -1 : 0);
      return 0;
    case ZMQ_MAX_MSGSZ:
      if (value < 0) return fail(EINVAL);
      max_msgsz_ = value;
      return 0;
    case zero_copy_recv_option:
      if (value < 0) return fail(EINVAL);
      zero_copy_recv_ = value != 0;
      return 0;
    default:
      // Thread scheduling options (priority, policy, CPU affinity, name prefix) are not
      // supported: docs/c-abi.md.
      return fail(EINVAL);
  }
}

int context_handle::get(int option) {
  std::lock_guard lock(mutex_);
  switch (option) {
    case ZMQ_IO_THREADS: return io_threads_;
    case ZMQ_MAX_SOCKETS: return max_sockets_;
    case ZMQ_SOCKET_LIMIT: return 65535;
    case ZMQ_IPV6: return ctx_.get(ringmq::context_option::ipv6);
    case ZMQ_BLOCKY: return blocky_ ? 1 : 0;
    case ZMQ_MAX_MSGSZ: return max_msgsz_;
    case ZMQ_MSG_T_SIZE: return static_cast<int>(sizeof(zmq_msg_t));
    case zero_copy_recv_option: return zero_copy_recv_ ? 1 : 0;
    default: return fail(EINVAL);
  }
}

}  // namespace ringmq::capi

using ringmq::capi::context_handle;
using ringmq::capi::guarded;

extern "C" {

void* zmq_ctx_new(void) {
  return guarded<void*>(nullptr, [] { return static_cast<void*>(new context_handle); });
}

int zmq_ctx_term(void* context) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  if (c->wait_for_sockets() != 0) return ringmq::capi::fail(EINTR);
  c->destroy();
  return 0;
}

int zmq_ctx_shutdown(void* context) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  c->shutdown();
  return 0;
}

int zmq_ctx_set(void* context, int option, int optval) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  return guarded(-1, [&] { return c->set(option, optval); });
}

int zmq_ctx_get(void* context, int option) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  return guarded(-1, [&] { return c->get(option); });
}

int zmq_ctx_set_ext(void* context, int option, const void* optval, size_t optvallen) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  // Every context option ringmq has takes an int.
  if (optval == nullptr || optvallen != sizeof(int)) return ringmq::capi::fail(EINVAL);
  int value = 0;
  std::memcpy(&value, optval, sizeof value);
  return guarded(-1, [&] { return c->set(option, value); });
}

int zmq_ctx_get_ext(void* context, int option, void* optval, size_t* optvallen) {
  context_handle* c = context_handle::from(context);
  if (c == nullptr) return -1;
  if (optval == nullptr || optvallen == nullptr || *optvallen != sizeof(int))
    return ringmq::capi::fail(EINVAL);
  return guarded(-1, [&] {
    const int value = c->get(option);
    if (value == -1 && errno == EINVAL) return -1;
    std::memcpy(optval, &value, sizeof value);
    return 0;
  });
}

void* zmq_init(int io_threads) {
  if (io_threads < 0) {
    errno = EINVAL;
    return nullptr;
  }
  void* c = zmq_ctx_new();
  if (c != nullptr) zmq_ctx_set(c, ZMQ_IO_THREADS, io_threads);
  return c;
}

int zmq_term(void* context) { return zmq_ctx_term(context); }
int zmq_ctx_destroy(void* context) { return zmq_ctx_term(context); }

}  // extern "C"
