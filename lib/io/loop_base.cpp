#include "io/loop_base.hpp"

#include <sched.h>

#include <algorithm>

namespace ringmq::detail::io {

namespace {
// A watching loop spins this long after its last work, then yields between passes.
constexpr auto watch_spin_alone = std::chrono::microseconds(1);

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
    const bool watching = run_watches();
    if (work_pending()) {
      poll();
      continue;
    }
    if (watching) {
      if (poll()) {
        last_work_ = clock::now();
        continue;
      }
      // The watched writer may need this very CPU (two threads on one core).
      if (clock::now() - last_work_ > watch_spin_alone) {
        ::sched_yield();
      } else {
        cpu_relax();
      }
      continue;
    }
    if (busy_poll.count() > 0 && spin(busy_poll)) continue;
    if (!posts_.prepare_sleep()) {
      poll();
      continue;
    }
    std::optional<clock::duration> timeout;
    if (auto next = timers_.next_deadline())
      timeout = std::max(clock::duration::zero(), *next - clock::now());
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

void loop_base::watch_briefly(brief_watch& w, clock::duration within) {
  for (const watch_entry& e : watches_)
    if (e.watch == &w) return;
  const auto now = clock::now();
  if (watches_.empty()) last_work_ = now;
  watches_.push_back(watch_entry{&w, now + within});
}

void loop_base::unwatch(brief_watch& w) noexcept {
  std::erase_if(watches_, [&w](const watch_entry& e) { return e.watch == &w; });
  for (watched_entry& e : watched_)
    if (e.watch == &w) e.watch = nullptr;
}

bool loop_base::run_watches() {
  if (watches_.empty()) return false;
  const auto now = clock::now();
  // Out of the list before being told: on_watched may watch again or unwatch others.
  watched_.clear();
  std::erase_if(watches_, [this, now](const watch_entry& e) {
    const bool ready = e.watch->ready();
    if (!ready && now < e.until) return false;
    watched_.push_back(watched_entry{e.watch, ready});
    return true;
  });
  if (!watched_.empty()) last_work_ = now;
  for (std::size_t i = 0; i < watched_.size(); ++i)
    if (brief_watch* w = watched_[i].watch) w->on_watched(watched_[i].ready);
  watched_.clear();
  return !watches_.empty();
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
