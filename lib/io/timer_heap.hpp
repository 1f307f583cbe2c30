// timer_heap: the loop's one-shot timers, kept in user space. The loop passes the nearest
// deadline as the timeout of its blocking wait (io_uring_submit_and_wait_timeout /
// epoll_pwait2), so timers cost no kernel object and no extra syscall.
//
// A binary min-heap of (deadline, id) plus a map from id to callback. Cancelling removes
// the callback only; the stale heap node is skipped when it surfaces, and the heap is
// rebuilt when stale nodes outnumber live ones (heartbeat and linger timers are reset far
// more often than they fire). Timers due at the same instant fire in the order they were set.
//
// Owned by the loop thread; not thread-safe.
#pragma once

#include "io/io_loop.hpp"

#include <functional>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ringmq::detail::io {

class timer_heap {
 public:
  // Ids start at 1 and increase; 0 is never a timer id.
  timer_id add(clock::time_point when, std::function<void()> fn);
  // False if `id` already fired, was cancelled or never existed.
  bool cancel(timer_id id);

  // The earliest live deadline.
  [[nodiscard]] std::optional<clock::time_point> next_deadline();
  // Removes and returns the earliest timer due at `now` whose id is below `limit` (timers
  // set while firing wait for the next pass, so a timer that re-arms itself for "now"
  // cannot starve the loop); an empty function if there is none.
  std::function<void()> pop_due(clock::time_point now, timer_id limit);

  // The id the next add() will return.
  [[nodiscard]] timer_id next_id() const noexcept { return next_id_; }
  [[nodiscard]] std::size_t size() const noexcept { return live_.size(); }

 private:
  struct node {
    clock::time_point when;
    timer_id id = 0;
  };
  // std heap functions build a max-heap; "later" ordering makes the earliest the top.
  struct later {
    bool operator()(const node& a, const node& b) const noexcept {
      return a.when != b.when ? a.when > b.when : a.id > b.id;
    }
  };

  void drop_stale_top();
  void compact();

  std::vector<node> heap_;
  std::unordered_map<timer_id, std::function<void()>> live_;
  timer_id next_id_ = 1;
};

}  // namespace ringmq::detail::io
