// loop_base: what the io_uring and epoll loops share — the run() iteration (posted
// functions, timers, deferred callbacks, busy polling, the sleep protocol), post(), stop(),
// timers and stats. A backend supplies two hooks: poll() (hand work to the kernel and
// dispatch completions without blocking) and wait() (the same, blocking).
//
// One pass of run():
//   1. run posted functions, due timers, deferred callbacks;
//   2. if any of those left work behind, poll() and go again (never block with work queued);
//   3. while a brief watch is on, poll() and go again (yielding the CPU between passes
//      after the first microsecond);
//   4. with busy_poll > 0, spin up to that long calling poll() and checking posts/timers;
//   5. announce sleep (post_queue::prepare_sleep), then wait() until the nearest timer.
//
// Owned by its loop thread, except post() and stop() (any thread).
#pragma once

#include "io/io_loop.hpp"
#include "io/post_queue.hpp"
#include "io/timer_heap.hpp"

#include <optional>
#include <vector>

namespace ringmq::detail::io {

class loop_base : public io_loop {
 public:
  loop_base(const loop_base&) = delete;
  loop_base& operator=(const loop_base&) = delete;

  void post(std::function<void()> fn) final;
  void stop() final;
  void run(std::chrono::microseconds busy_poll) final;
  timer_id set_timer(clock::time_point when, std::function<void()> fn) final;
  void cancel_timer(timer_id id) final;
  void watch_briefly(brief_watch& w, clock::duration within) final;
  void unwatch(brief_watch& w) noexcept final;
  [[nodiscard]] loop_stats stats() const noexcept final;

 protected:
  loop_base() = default;
  ~loop_base() override = default;

  // Hands queued operations to the kernel and dispatches what has completed, without
  // blocking. True if it dispatched anything (busy polling stops spinning then).
  virtual bool poll() = 0;
  // Like poll(), but first blocks until something completes, the post_queue's fd is
  // signalled, or `timeout` passes (nullopt: no limit). Counts a wake-up.
  virtual void wait(std::optional<clock::duration> timeout) = 0;

  // Runs `fn` on this thread later in the current pass, never from inside the caller:
  // lets members such as send() or close_stream() report outcomes without re-entering
  // the code that called them. Deferred functions must re-check that what they name
  // still exists.
  void defer(std::function<void()> fn) { deferred_.push_back(std::move(fn)); }

  [[nodiscard]] post_queue& posts() noexcept { return posts_; }
  // Backends count wakeups and submits here; posts_signaled comes from the post_queue.
  loop_stats counters_;

 private:
  void run_posted();
  void run_timers();
  void run_deferred();
  // Calls on_watched for the watches that are ready or out of time; true if some remain.
  bool run_watches();
  [[nodiscard]] bool work_pending();
  // Spins up to `busy_poll`; true if work turned up.
  bool spin(std::chrono::microseconds busy_poll);

  post_queue posts_;
  timer_heap timers_;
  std::vector<std::function<void()>> deferred_;
  std::vector<std::function<void()>> batch_;  // posted functions being run
  struct watch_entry {
    brief_watch* watch = nullptr;
    clock::time_point until;
  };
  std::vector<watch_entry> watches_;
  struct watched_entry {
    brief_watch* watch;  // unwatch nulls it
    bool ready;
  };
  std::vector<watched_entry> watched_;  // being told
  // When the loop last did anything but watch: it yields the CPU after spinning a while.
  clock::time_point last_work_{};
};

}  // namespace ringmq::detail::io
