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

#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_set>

namespace ringmq::capi {

namespace {
// ZMQ_ZERO_COPY_RECV, a draft context option (zmq.h declares it only for draft builds).
constexpr int zero_copy_recv_option = 10;

// Sets an option that shapes the I/O threads (or, for MAX_SOCKETS, the socket table) as
// libzmq does: once they are running the call succeeds and changes nothing (ringmq's C++
// API says invalid_state there).
void set_before_start(ringmq::context& ctx, ringmq::context_option id, int value) {
  try {
    ctx.set(id, value);
  } catch (const ringmq::error& e) {
    if (e.code() != errc::invalid_state) throw;
  }
}

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

context_handle::context_handle() {
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
  // Past ZMQ_MAX_SOCKETS the context refuses the socket with EMFILE.
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
  using ringmq::context_option;
  std::lock_guard lock(mutex_);
  // libzmq 4.3 refuses negative values for every option but ZMQ_THREAD_NAME_PREFIX.
  if (value < 0 && option != ZMQ_THREAD_NAME_PREFIX) return fail(EINVAL);
  switch (option) {
    case ZMQ_IO_THREADS:
      // libzmq allows 0 (inproc only); ringmq starts its I/O threads on first tcp/ipc use
      // and keeps at least one. Once they run, the count no longer changes, as in libzmq.
      io_threads_ = value;
      if (value > 0) set_before_start(ctx_, context_option::io_threads, value);
      return 0;
    case ZMQ_MAX_SOCKETS:
      if (value < 1) return fail(EINVAL);
      set_before_start(ctx_, context_option::max_sockets, value);
      return 0;
    // ZMQ_THREAD_PRIORITY and ZMQ_SOCKET_LIMIT are both 3: zmq_ctx_set means the priority.
    case ZMQ_THREAD_PRIORITY: set_before_start(ctx_, context_option::thread_priority, value); return 0;
    case ZMQ_THREAD_SCHED_POLICY:
      set_before_start(ctx_, context_option::thread_sched_policy, value);
      return 0;
    case ZMQ_THREAD_AFFINITY_CPU_ADD:
      set_before_start(ctx_, context_option::thread_affinity_cpu_add, value);
      return 0;
    case ZMQ_THREAD_AFFINITY_CPU_REMOVE:
      set_before_start(ctx_, context_option::thread_affinity_cpu_remove, value);
      return 0;
    case ZMQ_THREAD_NAME_PREFIX: set_before_start(ctx_, context_option::thread_name_prefix, value); return 0;
    case ZMQ_IPV6: ctx_.set(context_option::ipv6, value != 0 ? 1 : 0); return 0;
    case ZMQ_BLOCKY:
      blocky_ = value != 0;
      ctx_.set_socket_default(ringmq::option::linger, blocky_ ? -1 : 0);
      return 0;
    case ZMQ_MAX_MSGSZ: ctx_.set(context_option::max_msgsz, value); return 0;
    case zero_copy_recv_option: ctx_.set(context_option::zero_copy_recv, value != 0 ? 1 : 0); return 0;
    default: return fail(EINVAL);  // including the read-only ZMQ_MSG_T_SIZE
  }
}

int context_handle::set_text(int option, std::string_view value) {
  if (option != ZMQ_THREAD_NAME_PREFIX || value.empty() || value.size() > 16) return fail(EINVAL);
  std::lock_guard lock(mutex_);
  try {
    ctx_.set(ringmq::context_option::thread_name_prefix, value);
  } catch (const ringmq::error& e) {
    if (e.code() != errc::invalid_state) throw;
  }
  return 0;
}

int context_handle::get(int option) {
  using ringmq::context_option;
  std::lock_guard lock(mutex_);
  switch (option) {
    case ZMQ_IO_THREADS: return io_threads_;
    case ZMQ_MAX_SOCKETS: return ctx_.get(context_option::max_sockets);
    // 3 is also ZMQ_THREAD_PRIORITY, which libzmq cannot read back.
    case ZMQ_SOCKET_LIMIT: return ctx_.get(context_option::socket_limit);
    case ZMQ_THREAD_SCHED_POLICY: return ctx_.get(context_option::thread_sched_policy);
    case ZMQ_THREAD_NAME_PREFIX: return ctx_.get(context_option::thread_name_prefix);
    case ZMQ_IPV6: return ctx_.get(context_option::ipv6);
    case ZMQ_BLOCKY: return blocky_ ? 1 : 0;
    case ZMQ_MAX_MSGSZ: return ctx_.get(context_option::max_msgsz);
    case ZMQ_MSG_T_SIZE: return static_cast<int>(sizeof(zmq_msg_t));
    case zero_copy_recv_option: return ctx_.get(context_option::zero_copy_recv);
    default: return fail(EINVAL);  // including the write-only affinity options
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
  if (optval == nullptr) return ringmq::capi::fail(EINVAL);
  // As libzmq: an int-sized value is an int; ZMQ_THREAD_NAME_PREFIX also takes text.
  if (optvallen != sizeof(int))
    return guarded(-1, [&] {
      return c->set_text(option, std::string_view(static_cast<const char*>(optval), optvallen));
    });
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
