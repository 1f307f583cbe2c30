#include "io/loop_base.hpp"

#include <algorithm>

namespace ringmq::detail::io {

namespace {
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}
}  // namespace

void loop_base::post(std::function<void()> fn) { posts_.push(std::move(fn)); }

void loop_base::stop() { posts_.request_stop(); }

timer_id loop_base::set_timer(clock::time_point when, std::function<void()> fn) {
  return timers_.add(when, std::move(fn));
}

void loop_base::cancel_timer(timer_id id) { timers_.cancel(id); }

loop_stats loop_base::stats() const noexcept {
  loop_stats s = counters_;
  s.posts_signaled = posts_.signaled();
  return s;
}

void loop_base::run(std::chrono::microseconds busy_poll) {
  while (!posts_.stop_requested()) {
    run_posted();
    run_timers();
    run_deferred();
    if (posts_.stop_requested()) break;
    if (work_pending()) {
      poll();
      continue;
    }
    if (busy_poll.count() > 0 && spin(busy_poll)) continue;
    if (!posts_.prepare_sleep()) {
      poll();
      continue;
    }
    std::optional<clock::duration> timeout;
    if (auto next = timers_.next_deadline()) timeout = std::max(clock::duration::zero(), *next - clock::now());
    wait(timeout);
    posts_.end_sleep();
  }
  // A stop ends this run() only; a later run() starts afresh.
  posts_.clear_stop();
}

void loop_base::run_posted() {
  if (!posts_.has_work()) return;
  // Functions posted while these run land in the post_queue, not in batch_.
  posts_.take(batch_);
  for (auto& fn : batch_) fn();
  batch_.clear();
}

void loop_base::run_timers() {
  const auto now = clock::now();
  const timer_id limit = timers_.next_id();
  while (auto fn = timers_.pop_due(now, limit)) fn();
}

void loop_base::run_deferred() {
  // Functions deferred while these run wait for the next pass (work_pending sees them).
  if (deferred_.empty()) return;
  auto batch = std::move(deferred_);
  deferred_.clear();
  for (auto& fn : batch) fn();
}

bool loop_base::work_pending() {
  if (!deferred_.empty() || posts_.has_work()) return true;
  const auto next = timers_.next_deadline();
  return next && *next <= clock::now();
}

bool loop_base::spin(std::chrono::microseconds busy_poll) {
  const auto deadline = clock::now() + busy_poll;
  for (;;) {
    if (poll()) return true;
    if (posts_.has_work() || posts_.stop_requested() || !deferred_.empty()) return true;
    const auto now = clock::now();
    if (const auto next = timers_.next_deadline(); next && *next <= now) return true;
    if (now >= deadline) return false;
    cpu_relax();
  }
}

}  // namespace ringmq::detail::io
