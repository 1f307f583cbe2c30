// post_queue: the loop's cross-thread mailbox. Any thread posts functions (and stop
// requests); the loop thread takes them in batches. The poster wakes the loop — by writing
// the eventfd the backend keeps armed (an io_uring READ, or an epoll registration) — only
// when the loop has announced that it is about to sleep, because a wake-up costs the
// poster a syscall (~7 µs on the build VM) and an awake loop finds the work by itself.
//
// The protocol (the same as libzmq's ypipe/mailbox): the poster publishes, then reads
// `sleeping`; the loop sets `sleeping`, then re-checks for work before it blocks. See the
// comments in the .cpp for the ordering argument.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace ringmq::detail::io {

class post_queue {
 public:
  // Creates the eventfd (non-blocking, close-on-exec); throws std::system_error.
  post_queue();
  post_queue(const post_queue&) = delete;
  post_queue& operator=(const post_queue&) = delete;
  ~post_queue();

  // ---- any thread ----
  void push(std::function<void()> fn);
  void request_stop() noexcept;

  // ---- loop thread ----
  // The eventfd the backend must keep armed for reading.
  [[nodiscard]] int fd() const noexcept { return efd_; }
  // Cheap check (one atomic load) for posted functions not yet taken.
  [[nodiscard]] bool has_work() const noexcept;
  // acquire pairs with request_stop()'s store; the flag publishes nothing else, and the
  // sleep decision re-reads it with seq_cst in prepare_sleep().
  [[nodiscard]] bool stop_requested() const noexcept { return stop_.load(std::memory_order_acquire); }
  // relaxed: only the loop thread reads the flag after run() returned; a stop() racing
  // with the end of run() is documented to end that run() only.
  void clear_stop() noexcept { stop_.store(false, std::memory_order_relaxed); }
  // Moves the posted functions into `out` (which it clears first), in posting order.
  void take(std::vector<std::function<void()>>& out);
  // Announces that the loop will block. False (and the announcement is withdrawn) if work
  // or a stop request arrived meanwhile: then the loop must not block.
  [[nodiscard]] bool prepare_sleep() noexcept;
  // The loop is awake again; posters stop signalling.
  void end_sleep() noexcept;
  // Empties the eventfd after it became readable (the epoll backend; io_uring's READ
  // consumes the counter itself).
  void drain_fd() const noexcept;

  // Number of posts/stops that had to signal a sleeping loop.
  [[nodiscard]] std::uint64_t signaled() const noexcept { return signaled_.load(std::memory_order_relaxed); }

 private:
  void wake_if_sleeping() noexcept;

  std::mutex mutex_;
  std::vector<std::function<void()>> items_;  // guarded by mutex_
  std::uint64_t taken_ = 0;                   // loop thread only: items taken so far
  int efd_ = -1;
  // Separate cache lines: posters write posted_, the loop writes sleeping_.
  alignas(64) std::atomic<std::uint64_t> posted_{0};  // items pushed so far
  alignas(64) std::atomic<bool> sleeping_{false};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> signaled_{0};
};

}  // namespace ringmq::detail::io
