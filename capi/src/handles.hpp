// The objects behind the C API's void* handles, and what every entry point shares: handle
// checks (libzmq's EFAULT / ENOTSOCK) and turning ringmq's errors into libzmq's errno values.
//
// Only ringmq's public C++ API (include/ringmq) is used here, never lib/ internals.
#pragma once

#include <ringmq/ringmq.hpp>

#include <zmq.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string_view>
#include <system_error>

namespace ringmq::capi {

// ---- errors (errors.cpp) -----------------------------------------------------------------

// The errno libzmq reports for what `ec` describes (ETERM for context_terminated, EFSM for
// invalid_state, ...).
int errno_of(const std::error_code& ec) noexcept;

inline int fail(int err) noexcept {
  errno = err;
  return -1;
}
inline int fail(const std::error_code& ec) noexcept { return fail(errno_of(ec)); }

// Runs `body`, turning an escaping exception into errno and `failed`: no C++ exception ever
// crosses the C boundary.
template <class R, class F>
R guarded(R failed, F&& body) noexcept {
  try {
    return body();
  } catch (const std::system_error& e) {
    errno = errno_of(e.code());
  } catch (const std::bad_alloc&) {
    errno = ENOMEM;
  } catch (...) {
    errno = EFAULT;
  }
  return failed;
}

class monitor_pump;
class context_handle;

// ---- sockets (socket.cpp) ----------------------------------------------------------------

// What zmq_socket returns. Used by one thread at a time, as libzmq's sockets are; the
// thread-safe types (ZMQ_CLIENT, ZMQ_SERVER, ZMQ_GATHER, ZMQ_SCATTER) by several for
// sending and receiving, which ringmq::socket locks (their options, monitor and ZMQ_EVENTS
// stay one thread's at a time).
class socket_handle {
  // First, so that from() reads only the first bytes of whatever it is handed: callers pass
  // other handles by mistake (zmq_send on a context, ENOTSOCK in libzmq), which may be
  // smaller than a socket handle.
  std::uint32_t tag_ = live_tag;

 public:
  socket_handle(context_handle& owner, ringmq::socket sock) noexcept;
  ~socket_handle();
  socket_handle(const socket_handle&) = delete;
  socket_handle& operator=(const socket_handle&) = delete;

  // The live socket behind a handle, or null (errno ENOTSOCK) for anything else.
  static socket_handle* from(void* handle) noexcept {
    auto* s = static_cast<socket_handle*>(handle);
    if (s == nullptr || s->tag_ != live_tag) {
      errno = ENOTSOCK;
      return nullptr;
    }
    return s;
  }

  ringmq::socket sock;
  context_handle& owner;

  // ZMQ_FD and ZMQ_EVENTS with libzmq's edge-triggered contract (events_fd.cpp).
  int events_fd();
  int events();

  // The monitor started by zmq_socket_monitor, if any (monitor.cpp).
  std::unique_ptr<monitor_pump> monitor;

  // Values of options ringmq has not got that libzmq stores without effect here
  // (options.cpp).
  std::map<int, std::int64_t> stored_options;

 private:
  static constexpr std::uint32_t live_tag = 0x726d7173;  // "rmqs"
  static constexpr std::uint32_t dead_tag = 0xdeadbeef;
  int epoll_fd_ = -1;  // the descriptor ZMQ_FD hands out (events_fd.cpp)
};

// ---- contexts (context.cpp) --------------------------------------------------------------

// What zmq_ctx_new returns. Thread-safe: any thread may create sockets in it, set options,
// shut it down or terminate it.
class context_handle {
 public:
  context_handle();
  ~context_handle();
  context_handle(const context_handle&) = delete;
  context_handle& operator=(const context_handle&) = delete;

  // The live context behind a handle, or null (errno EFAULT) for anything else. Looked up
  // among the live contexts, not read from the handle: programs pass terminated contexts
  // (pyzmq's shadow contexts), and libzmq's way, a tag read from freed memory, is undefined.
  static context_handle* from(void* handle) noexcept;

  ringmq::context& cpp() noexcept { return ctx_; }

  // A new socket: EMFILE past ZMQ_MAX_SOCKETS, ETERM once shut down, EINVAL for a type
  // ringmq does not have.
  socket_handle* open_socket(int type);
  // Called by zmq_close for each socket open_socket made.
  void socket_closed() noexcept;

  // zmq_ctx_shutdown: blocking calls return ETERM, no new sockets. Idempotent.
  void shutdown() noexcept;
  [[nodiscard]] bool is_shut_down() const noexcept { return shut_down_.load(std::memory_order_acquire); }
  // zmq_ctx_term's wait: until every socket is closed. -1 with EINTR when a signal handler
  // ran meanwhile (the caller calls again, as with libzmq).
  int wait_for_sockets() noexcept;
  // Destroys the handle; after wait_for_sockets() returned 0.
  void destroy() noexcept;

  int set(int option, int value);
  int get(int option);
  // zmq_ctx_set_ext's text form: ZMQ_THREAD_NAME_PREFIX only.
  int set_text(int option, std::string_view value);

 private:
  ringmq::context ctx_;
  std::atomic<bool> shut_down_{false};

  std::mutex mutex_;  // guards what follows
  int open_sockets_ = 0;
  int io_threads_ = ZMQ_IO_THREADS_DFLT;
  bool blocky_ = true;  // ZMQ_BLOCKY: new sockets linger forever (else 0)
  int closed_fd_ = -1;  // eventfd written by socket_closed(), read by wait_for_sockets()
};

}  // namespace ringmq::capi
