// context: owns the I/O threads and the inproc namespace shared by its sockets, and the
// defaults for sockets created in it. Destroying a context shuts it down: blocking calls in
// other threads return errc::context_terminated, and the destructor waits for lingering
// outgoing messages, each bounded by its socket's LINGER.
#pragma once

#include <ringmq/export.hpp>
#include <ringmq/options.hpp>
#include <ringmq/socket.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ringmq {

namespace detail {
class context_impl;
}

// libzmq's numbers where libzmq has the option (zmq.h's ZMQ_<NAME>). The options marked
// "before start" shape the I/O threads, which start at the context's first tcp or ipc use:
// setting one afterwards throws errc::invalid_state (libzmq, whose threads start with its
// first socket, accepts the call and ignores it; ringmq's C ABI does the same).
enum class context_option : int {
  io_threads = 1,    // number of I/O threads (default 1); before start
  max_sockets = 2,   // sockets open at once (default 1023; a socket past it fails with EMFILE);
                     // set before the first socket is created, as libzmq fixes it then
  socket_limit = 3,  // read-only: the largest max_sockets is meant to take (65535)
  // Scheduling of the I/O threads, before start. -1 (default): inherited. Under SCHED_FIFO
  // or SCHED_RR the priority is the static priority; under other policies any priority asks
  // for nice -20, as libzmq 4.3 does. A thread the OS refuses (EPERM without CAP_SYS_NICE)
  // makes the bind or connect that starts the threads fail with that error.
  thread_sched_policy = 4,
  max_msgsz = 5,                   // stored and reported only, as in libzmq 4.3 (INT_MAX)
  thread_affinity_cpu_add = 7,     // write-only: the I/O threads may run on this CPU; before start
  thread_affinity_cpu_remove = 8,  // write-only: undoes an add (invalid_argument if none)
  // The I/O threads are named "<prefix>/ringmq-io-<n>", cut to 15 characters; before
  // start. libzmq 4.3 takes an integer, as here (get() reads it back as one).
  thread_name_prefix = 9,
  zero_copy_recv = 10,  // stored and reported only (default 1): ringmq's receive path decides
  ipv6 = 42,            // default of the ipv6 socket option
  busy_poll_us = 1000,  // I/O threads and blocking calls spin this long before sleeping (0)
  // 1: a blocking send, recv or poll on this context's sockets fails with
  // std::errc::interrupted (EINTR) when a signal handler runs while it sleeps, as libzmq's
  // calls do, so that the caller can act on the signal (the C ABI sets this). 0 (default):
  // the call goes on waiting. A handler installed with SA_RESTART may not interrupt a wait.
  interrupt_on_signal = 1001,
  // The priority of the I/O threads (see thread_sched_policy); libzmq's ZMQ_THREAD_PRIORITY
  // shares its number, 3, with socket_limit, so it has its own here.
  thread_priority = 1002,
};

class RINGMQ_API context {
 public:
  context();
  explicit context(int io_threads);
  context(const context&) = delete;
  context& operator=(const context&) = delete;
  ~context();

  void set(context_option id, int value);
  [[nodiscard]] int get(context_option id) const;
  // The text options: thread_name_prefix (up to 16 bytes, as libzmq's zmq_ctx_set_ext).
  void set(context_option id, std::string_view value);

  // Socket options set here become the defaults of sockets created afterwards.
  template <option Id, class T>
  void set(option_tag<Id, T>,
           std::conditional_t<detail::option_codec<T>::is_bytes, std::string_view, T> value) {
    if constexpr (detail::option_codec<T>::is_bytes)
      set_socket_default(Id, value);
    else
      set_socket_default(Id, detail::option_codec<T>::encode(value));
  }
  void set_socket_default(option id, std::int64_t value);
  void set_socket_default(option id, std::string_view value);

  [[nodiscard]] ringmq::socket socket(socket_type type) { return ringmq::socket(*this, type); }

  // Makes blocking calls on this context's sockets return errc::context_terminated and
  // refuses new sockets. Idempotent; does not wait.
  void shutdown() noexcept;

  // "io_uring" or "epoll": the I/O backend the I/O threads use (see RINGMQ_IO_BACKEND).
  [[nodiscard]] std::string io_backend() const;

 private:
  friend struct detail::socket_access;
  detail::context_impl* impl_;
};

}  // namespace ringmq
