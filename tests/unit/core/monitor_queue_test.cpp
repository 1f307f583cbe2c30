#include "core/monitor_queue.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <thread>

namespace ringmq::detail {
namespace {

using namespace std::chrono_literals;

TEST(monitor_queue, delivers_events_in_order_with_their_values) {
  monitor_queue q(monitor_event::all, 8);
  q.push(monitor_event::listening, 7, "tcp://127.0.0.1:1", "");
  q.push(monitor_event::accepted, 9, "tcp://127.0.0.1:1", "tcp://127.0.0.1:2");
  auto a = q.pop(steady_clock::now());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, monitor_event::listening);
  EXPECT_EQ(a->value, 7);
  auto b = q.pop(steady_clock::now());
  ASSERT_TRUE(b);
  EXPECT_EQ(b->peer_address, "tcp://127.0.0.1:2");
  EXPECT_FALSE(q.pop(steady_clock::now()));
}

TEST(monitor_queue, events_outside_the_mask_are_ignored) {
  monitor_queue q(monitor_event::connected, 8);
  q.push(monitor_event::disconnected, 0, "e", "");
  EXPECT_FALSE(q.pop(steady_clock::now()));
  EXPECT_EQ(q.dropped(), 0u);
}

TEST(monitor_queue, a_full_queue_drops_and_tells_the_next_event_how_many) {
  monitor_queue q(monitor_event::all, 2);
  for (int i = 0; i < 5; ++i) q.push(monitor_event::connected, i, "e", "");
  EXPECT_EQ(q.dropped(), 3u);
  EXPECT_EQ(q.pop(steady_clock::now())->value, 0);
  EXPECT_EQ(q.pop(steady_clock::now())->value, 1);
  q.push(monitor_event::closed, 42, "e", "");
  auto e = q.pop(steady_clock::now());
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, 42);
  EXPECT_EQ(e->dropped_before, 3u);
}

TEST(monitor_queue, stop_ends_the_stream_even_when_full) {
  monitor_queue q(monitor_event::all, 1);
  q.push(monitor_event::connected, 0, "e", "");
  q.stop();
  q.push(monitor_event::connected, 0, "e", "");  // ignored after stop
  EXPECT_EQ(q.pop(steady_clock::now())->type, monitor_event::connected);
  EXPECT_EQ(q.pop(steady_clock::now())->type, monitor_event::monitor_stopped);
  EXPECT_FALSE(q.pop(std::nullopt));  // stopped and drained: returns at once
}

TEST(monitor_queue, a_reader_waiting_on_another_thread_is_woken) {
  monitor_queue q(monitor_event::all, 8);
  std::thread reader([&] {
    auto e = q.pop(steady_clock::now() + 10s);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->type, monitor_event::accepted);
  });
  q.push(monitor_event::accepted, 1, "e", "");
  reader.join();
}

TEST(monitor_queue, the_fd_is_readable_while_events_are_queued) {
  monitor_queue q(monitor_event::all, 8);
  const int fd = q.fd();
  pollfd p{fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 0), 0);
  q.push(monitor_event::connected, 0, "e", "");
  EXPECT_EQ(::poll(&p, 1, 0), 1);
  q.pop(steady_clock::now());
  EXPECT_EQ(::poll(&p, 1, 0), 0);
}

TEST(monitor_hub, forwards_to_the_attached_queue_and_stops_a_replaced_one) {
  monitor_hub hub;
  hub.emit(monitor_event::connected, 0, "e");  // nobody listens: nothing happens
  auto first = std::make_shared<monitor_queue>(monitor_event::all, 8);
  hub.attach(first);
  hub.emit(monitor_event::connected, 1, "e");
  auto second = std::make_shared<monitor_queue>(monitor_event::all, 8);
  hub.attach(second);
  hub.emit(monitor_event::connected, 2, "e");
  EXPECT_EQ(first->pop(steady_clock::now())->value, 1);
  EXPECT_EQ(first->pop(steady_clock::now())->type, monitor_event::monitor_stopped);
  EXPECT_EQ(second->pop(steady_clock::now())->value, 2);
}

}  // namespace
}  // namespace ringmq::detail
