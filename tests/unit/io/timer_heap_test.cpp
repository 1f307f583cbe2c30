#include "io/timer_heap.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ringmq::detail::io {
namespace {

using namespace std::chrono_literals;

void fire_all(timer_heap& heap, clock::time_point now) {
  while (auto fn = heap.pop_due(now, heap.next_id())) fn();
}

TEST(timer_heap, pops_in_deadline_order_then_in_setting_order) {
  timer_heap heap;
  const auto t0 = clock::now();
  std::vector<int> fired;
  auto add = [&](clock::duration d, int tag) {
    return heap.add(t0 + d, [&fired, tag] { fired.push_back(tag); });
  };
  add(30ms, 3);
  add(10ms, 1);
  add(20ms, 21);
  add(20ms, 22);
  add(40ms, 4);
  EXPECT_EQ(heap.next_deadline(), t0 + 10ms);
  fire_all(heap, t0 + 25ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 21, 22}));
  EXPECT_EQ(heap.next_deadline(), t0 + 30ms);
  fire_all(heap, t0 + 1s);
  EXPECT_EQ(fired, (std::vector<int>{1, 21, 22, 3, 4}));
  EXPECT_FALSE(heap.next_deadline());
  EXPECT_EQ(heap.size(), 0u);
}

TEST(timer_heap, cancel_removes_only_live_timers) {
  timer_heap heap;
  const auto t0 = clock::now();
  int fired = 0;
  const timer_id a = heap.add(t0 + 1ms, [&] { ++fired; });
  const timer_id b = heap.add(t0 + 2ms, [&] { fired += 10; });
  EXPECT_NE(a, 0u);
  EXPECT_TRUE(heap.cancel(a));
  EXPECT_FALSE(heap.cancel(a));
  EXPECT_FALSE(heap.cancel(12345));
  EXPECT_EQ(heap.next_deadline(), t0 + 2ms);  // the cancelled node is skipped
  fire_all(heap, t0 + 1s);
  EXPECT_EQ(fired, 10);
  EXPECT_FALSE(heap.cancel(b));  // already fired
}

TEST(timer_heap, timers_added_after_the_limit_wait_for_the_next_pass) {
  timer_heap heap;
  const auto t0 = clock::now();
  heap.add(t0, [] {});
  const timer_id limit = heap.next_id();
  heap.add(t0 - 1s, [] {});  // due, earlier, but added after the limit
  EXPECT_FALSE(heap.pop_due(t0, limit));
  EXPECT_TRUE(heap.pop_due(t0, heap.next_id()));
  EXPECT_TRUE(heap.pop_due(t0, heap.next_id()));
}

TEST(timer_heap, heavy_cancelling_keeps_the_heap_small_and_correct) {
  timer_heap heap;
  const auto t0 = clock::now();
  std::vector<int> fired;
  // Like a heartbeat reset on every message: set, cancel, set again.
  timer_id current = 0;
  for (int i = 0; i < 10000; ++i) {
    if (current != 0) heap.cancel(current);
    current = heap.add(t0 + std::chrono::milliseconds(i), [&fired, i] { fired.push_back(i); });
  }
  EXPECT_EQ(heap.size(), 1u);
  fire_all(heap, t0 + 1h);
  EXPECT_EQ(fired, (std::vector<int>{9999}));
}

}  // namespace
}  // namespace ringmq::detail::io
