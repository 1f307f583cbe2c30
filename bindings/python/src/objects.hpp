// The extension's object types that refer to one another: Context, Socket, and what a
// context must stop before it terminates (authenticators).
#pragma once

#include "common.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>

namespace ringmq::python {

// Something living in a context that must end before the context is destroyed.
class context_dependent {
 public:
  virtual void stop_before_term() noexcept = 0;

 protected:
  ~context_dependent() = default;
};

// Why Context and Socket are built in two steps: when a pybind11 constructor throws, the
// Python object lives on without its C++ part, and pybind11 hands any later method call on it
// (a subclass's __del__, a __repr__ in a traceback) freshly allocated, uninitialized memory as
// `self`. So the constructors bound to __init__ cannot fail: they make a closed object, which
// every method handles, and open() acquires the resource and raises what failed. The Python
// classes run the constructor in __new__ and open() in __init__.

// _core.Context. Owner: Python (any thread, GIL held).
struct context_object {
  context_object() = default;  // closed until open()
  context_object(const context_object&) = delete;
  context_object& operator=(const context_object&) = delete;
  ~context_object() {
    if (shadow) return;  // a shadow leaves the context to its owner, as pyzmq's does
    try {
      term();
    } catch (...) {
      // Only copying the dependents can throw (out of memory); a destructor has no caller
      // to tell, and `ctx`, if still held, is destroyed with the members.
    }
  }

  // Makes the ringmq::context; raises ZMQError(EINVAL) for a bad io_threads, and if called
  // twice.
  void open(py::handle io_threads);
  // The context; raises ZMQError(ENOTSUP) before open() and once terminated.
  ringmq::context& get();
  // Shuts the context down (blocking calls elsewhere raise ContextTerminated), stops its
  // dependents, then waits, GIL released, for lingering messages. Idempotent.
  void term();
  // Makes this (unopened) object a shadow of `other`, pyzmq's Context.shadow: both use the same
  // context; terminating either terminates it, dropping a shadow does not.
  void shadow_of(context_object& other);
  [[nodiscard]] bool closed() const noexcept { return !core || !core->ctx; }
  // The context's address, pyzmq's `underlying` (0 before open()); equal for shadows.
  [[nodiscard]] std::uintptr_t underlying() const noexcept {
    return core ? reinterpret_cast<std::uintptr_t>(core.get()) : 0;
  }

  // What a context and its shadows share.
  struct shared {
    std::unique_ptr<ringmq::context> ctx;
    std::set<context_dependent*> dependents;
  };
  std::shared_ptr<shared> core;  // null before open()
  bool opened = false;
  bool shadow = false;
};

// The context_object of `context`; raises TypeError naming `who` if it is not a Context.
context_object& context_of(py::handle context, const char* who);

// _core.Socket. Used by one Python thread at a time, like a libzmq socket.
class socket_object {
 public:
  socket_object();  // closed until open()
  // Makes a socket of `type` in `context` (a Context); raises TypeError, or ZMQError
  // (EINVAL for an unknown type, ENOTSUP for a terminated context), and if called twice.
  void open(py::object context, py::handle type);

  // ---- messages (socket.cpp) --------------------------------------------------------------
  // routing_id: rfc 41's, for a SERVER (overrides a Frame's).
  py::object send(py::handle data, int flags, bool copy, bool track,
                  std::optional<std::uint32_t> routing_id = std::nullopt);
  py::object send_multipart(py::handle parts, int flags, bool copy, bool track);
  py::object recv(int flags, bool copy, bool track);  // track: accepted, unused (pyzmq)
  py::list recv_multipart(int flags, bool copy, bool track);
  // For ringmq.asyncio: the same without blocking and without raising Again; None means
  // "would block" (the send variants return True, or the MessageTracker, on success).
  py::object try_send(py::handle data, int flags, bool copy, bool track);
  py::object try_send_multipart(py::handle parts, bool copy, bool track);
  py::object try_recv(bool copy);
  py::object try_recv_multipart(bool copy);

  // Sends `msg`, blocking as SNDTIMEO allows. False when it would block.
  bool send_message(ringmq::message& msg, int flags);
  // Receives into `msg`, blocking as RCVTIMEO allows. False when it would block.
  bool recv_message(ringmq::message& msg, int flags);

  // ---- options and the rest (socket_options.cpp) -------------------------------------------
  py::object get(int option);
  void set(int option, py::handle value);
  int poll(const py::object& timeout, int flags);
  // ringmq::poll with POLLOUT interest only: the socket's fd stops signalling for queued
  // input, so an event loop waiting only to send does not spin. Returns POLLOUT readiness.
  bool poll_out_only();
  void close(const py::object& linger);
  [[nodiscard]] bool closed() const noexcept { return !core_ || !core_->sock; }
  // The socket, raising ZMQError(ENOTSOCK) once closed.
  ringmq::socket& open_socket();
  // Makes this (unopened) object a shadow of `other`, pyzmq's Socket.shadow: both use the same
  // socket, options and busy count; closing either closes it. Raises like open().
  void shadow(socket_object& other);
  // The socket's address, pyzmq's `underlying` (0 before open()); equal for shadows.
  [[nodiscard]] std::uintptr_t underlying() const noexcept {
    return core_ ? reinterpret_cast<std::uintptr_t>(&core_->sock) : 0;
  }
  // Threads inside a call that released the GIL, on this socket or a shadow of it; close()
  // refuses to pull the socket from under them. Only called once open_socket() succeeded.
  [[nodiscard]] std::atomic<int>& busy() noexcept { return core_->busy; }

  py::object context;  // keeps the Context (and its C++ context) alive; None before open()
  std::size_t copy_threshold;
  bool opened = false;

 private:
  // Runs `op` (which returns true when done, or sets `ec`) with the GIL released, in slices
  // of at most signal_slice written into the socket's `id` option (RCVTIMEO or SNDTIMEO),
  // until done or `timeout_ms` passed. Signals are checked between slices.
  template <class Op>
  bool blocking(std::int64_t timeout_ms, std::int64_t& native, ringmq::option id, const char* what, Op op);

  // What a socket and its shadows share.
  struct core {
    ringmq::socket sock;
    std::atomic<int> busy{0};
    // RCVTIMEO and SNDTIMEO as the user set them; the library holds slice-sized values
    // (native_*) while a blocking call runs.
    std::int64_t rcvtimeo = -1;
    std::int64_t sndtimeo = -1;
    std::int64_t native_rcvtimeo = -1;
    std::int64_t native_sndtimeo = -1;
  };
  std::shared_ptr<core> core_;  // null before open()
};

// Marks a socket busy while a call runs with the GIL released.
class busy_guard {
 public:
  explicit busy_guard(socket_object& s) noexcept : s_(s) {
    s_.busy().fetch_add(1, std::memory_order_acq_rel);
  }
  ~busy_guard() { s_.busy().fetch_sub(1, std::memory_order_acq_rel); }
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;

 private:
  socket_object& s_;
};

// ringmq::poll over `items` for up to `timeout_ms` (negative: forever; poll.cpp): first a
// check with the GIL held, then waits with the GIL released, in slices with signal checks
// between them. Returns the number of ready items.
std::size_t poll_sliced(std::span<ringmq::poll_item> items, std::int64_t timeout_ms);

// Replaces send, recv, send_multipart and recv_multipart of _core.Socket with METH_FASTCALL
// versions (fast_methods.cpp).
void install_fast_methods(py::handle socket_class);

// A _core.Monitor owning `m` (monitor.cpp).
py::object make_monitor(ringmq::monitor&& m);

}  // namespace ringmq::python
