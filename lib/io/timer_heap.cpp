#include "io/timer_heap.hpp"

#include <algorithm>

namespace ringmq::detail::io {

timer_id timer_heap::add(clock::time_point when, std::function<void()> fn) {
  const timer_id id = next_id_++;
  live_.emplace(id, std::move(fn));
  heap_.push_back(node{when, id});
  std::push_heap(heap_.begin(), heap_.end(), later{});
  return id;
}

bool timer_heap::cancel(timer_id id) {
  if (live_.erase(id) == 0) return false;
  // Keep the heap at most about twice the live count so cancelled timers cannot pile up.
  if (heap_.size() > 64 && heap_.size() > 2 * live_.size()) compact();
  return true;
}

std::optional<clock::time_point> timer_heap::next_deadline() {
  drop_stale_top();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().when;
}

std::function<void()> timer_heap::pop_due(clock::time_point now, timer_id limit) {
  drop_stale_top();
  if (heap_.empty()) return {};
  const node top = heap_.front();
  if (top.when > now || top.id >= limit) return {};
  std::pop_heap(heap_.begin(), heap_.end(), later{});
  heap_.pop_back();
  auto it = live_.find(top.id);
  std::function<void()> fn = std::move(it->second);
  live_.erase(it);
  return fn;
}

void timer_heap::drop_stale_top() {
  while (!heap_.empty() && !live_.contains(heap_.front().id)) {
    std::pop_heap(heap_.begin(), heap_.end(), later{});
    heap_.pop_back();
  }
}

void timer_heap::compact() {
  std::erase_if(heap_, [this](const node& n) { return !live_.contains(n.id); });
  std::make_heap(heap_.begin(), heap_.end(), later{});
}

}  // namespace ringmq::detail::io
