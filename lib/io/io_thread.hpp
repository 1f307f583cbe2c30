// io_thread: one I/O thread — a std::thread that builds its io_loop on itself (io_uring
// rings are single-issuer: the creating thread is the only one allowed to submit), runs it
// until destroyed, and destroys the loop on itself too. Other threads reach the loop only
// through loop().post() / loop().stop().
//
// Owned by whoever creates it (the context); not copyable or movable.
#pragma once

#include "io/io_loop.hpp"
#include "io/thread_setup.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <semaphore>
#include <string_view>
#include <thread>

namespace ringmq::detail::io {

class io_thread {
 public:
  using loop_factory = std::function<std::unique_ptr<io_loop>()>;

  // Starts thread "ringmq-io-<index>" (named and scheduled as `setup` says) and waits until
  // its loop exists. If the thread cannot apply `setup` or build the loop (make_loop
  // throws), it ends and the error is thrown here. `busy_poll` is passed to io_loop::run.
  explicit io_thread(unsigned index, backend_choice choice = backend_choice::automatic,
                     std::chrono::microseconds busy_poll = std::chrono::microseconds::zero(),
                     thread_setup setup = {});
  io_thread(unsigned index, loop_factory factory,
            std::chrono::microseconds busy_poll = std::chrono::microseconds::zero(), thread_setup setup = {});
  io_thread(const io_thread&) = delete;
  io_thread& operator=(const io_thread&) = delete;
  // Stops the loop and joins the thread; the loop is destroyed on its thread, closing what
  // it still owns without calling handlers. Nothing may be posted once this has begun.
  ~io_thread();

  // Any thread: for post() and stop(). Every other member only from the loop's own thread
  // (that is, from inside a posted function or a callback). A stop() that does not come
  // from the destructor ends run() only briefly: the thread runs the loop again.
  [[nodiscard]] io_loop& loop() noexcept { return *loop_; }
  [[nodiscard]] std::string_view backend() const noexcept { return backend_; }
  [[nodiscard]] std::thread::id id() const noexcept { return thread_.get_id(); }

 private:
  void main(unsigned index, const loop_factory& factory, std::chrono::microseconds busy_poll,
            const thread_setup& setup, const std::function<void(std::exception_ptr)>& started);

  std::unique_ptr<io_loop> loop_;  // written by the thread before the constructor returns
  std::string_view backend_;
  std::atomic<bool> quitting_{false};
  // Released by the destructor once it no longer touches the loop (its stop() call has
  // returned); only then does the thread destroy the loop.
  std::binary_semaphore released_{0};
  std::thread thread_;
};

}  // namespace ringmq::detail::io
