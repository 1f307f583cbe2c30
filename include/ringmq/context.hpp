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

enum class context_option : int {
  io_threads = 1,       // number of I/O threads (default 1); set before the first tcp/ipc use
  ipv6 = 42,            // default of the ipv6 socket option
  busy_poll_us = 1000,  // I/O threads and blocking calls spin this long before sleeping (0)
  // 1: a blocking send, recv or poll on this context's sockets fails with
  // std::errc::interrupted (EINTR) when a signal handler runs while it sleeps, as libzmq's
  // calls do, so that the caller can act on the signal (the C ABI sets this). 0 (default):
  // the call goes on waiting. A handler installed with SA_RESTART may not interrupt a wait.
  interrupt_on_signal = 1001,
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
