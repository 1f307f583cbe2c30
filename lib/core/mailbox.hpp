// mailbox: a socket's inbox. Any thread posts commands; the socket's thread takes them in
// batches. A poster wakes the socket only if it sleeps (futex), and signals the socket's
// pollable eventfd only if one was requested.
//
// As the link_listener of the socket's link ends, it turns pipe notifications into
// activate_read / activate_write commands.
#pragma once

#include "core/clock.hpp"
#include "core/command.hpp"
#include "core/link.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace ringmq::detail {

class mailbox final : public link_listener {
 public:
  mailbox() = default;
  mailbox(const mailbox&) = delete;
  mailbox& operator=(const mailbox&) = delete;
  ~mailbox();

  // Any thread. Dropped silently once the mailbox is closed.
  void post(command&& cmd) noexcept;
  void on_readable(link& l, int side) noexcept override;
  void on_writable(link& l, int side) noexcept override;

  // Owner thread.
  [[nodiscard]] bool pending() const noexcept { return nonempty_.load(std::memory_order_acquire); }
  void take(std::vector<command>& out);
  // How a wait ended: something to do (a command, or for wait_readable the descriptor), the
  // deadline, or a signal handler that ran while the thread slept (only when the caller
  // asked to stop on signals: libzmq's EINTR).
  enum class wake { work, deadline, signal };
  // Spins for `spin`, then sleeps until a command arrives or `deadline` passes (work: a
  // command is pending). With `stop_on_signal`, a signal handler running during the sleep
  // ends the wait; otherwise the wait goes on.
  wake wait(std::optional<time_point> deadline, std::chrono::nanoseconds spin, bool stop_on_signal = false);
  // Prepares wait_readable (its wake-up descriptor); false if that cannot be had (EMFILE).
  bool can_wait_readable() noexcept;
  // Sleeps, without spinning, until a command arrives, `fd` becomes readable (a connection
  // this thread reads itself: direct_source.hpp) or `deadline` passes; signals as in wait().
  // After can_wait_readable() returned true.
  wake wait_readable(int fd, std::optional<time_point> deadline, bool stop_on_signal = false);
  // Drops pending commands and refuses new ones (the socket is closing).
  void close() noexcept;

  // The pollable eventfd, created on first use.
  int fd();
  // Owner thread: keeps the eventfd readable iff `ready` or a command is pending.
  void update_fd(bool ready) noexcept;

 private:
  void signal_fd() noexcept;

  std::mutex mutex_;
  std::vector<command> queue_;
  bool closed_ = false;
  alignas(64) std::atomic<bool> nonempty_{false};
  std::atomic<std::uint32_t> seq_{0};  // futex word: bumped by every post
  std::atomic<bool> sleeping_{false};  // the owner is (about to be) in futex_wait
  std::atomic<bool> polling_{false};   // the owner is (about to be) in wait_readable's poll
  std::atomic<int> wake_fd_{-1};       // eventfd that wakes wait_readable
  std::atomic<int> efd_{-1};
  std::atomic<bool> fd_signaled_{false};
};

}  // namespace ringmq::detail
