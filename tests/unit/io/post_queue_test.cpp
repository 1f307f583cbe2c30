#include "io/post_queue.hpp"

#include <gtest/gtest.h>

#include <poll.h>

#include <thread>
#include <vector>

namespace ringmq::detail::io {
namespace {

bool fd_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(post_queue, signals_only_after_the_loop_announced_sleep) {
  post_queue q;
  q.push([] {});
  EXPECT_EQ(q.signaled(), 0u);
  EXPECT_FALSE(fd_readable(q.fd()));
  EXPECT_TRUE(q.has_work());
  EXPECT_FALSE(q.prepare_sleep()) << "must not sleep with work queued";

  std::vector<std::function<void()>> batch;
  q.take(batch);
  EXPECT_EQ(batch.size(), 1u);
  EXPECT_FALSE(q.has_work());
  ASSERT_TRUE(q.prepare_sleep());
  q.push([] {});
  EXPECT_EQ(q.signaled(), 1u);
  EXPECT_TRUE(fd_readable(q.fd()));
  q.drain_fd();
  EXPECT_FALSE(fd_readable(q.fd()));
  q.end_sleep();
  q.push([] {});
  EXPECT_EQ(q.signaled(), 1u);
}

TEST(post_queue, stop_requests_prevent_sleep_and_signal_a_sleeper) {
  post_queue q;
  q.request_stop();
  EXPECT_TRUE(q.stop_requested());
  EXPECT_FALSE(q.prepare_sleep());
  q.clear_stop();
  ASSERT_TRUE(q.prepare_sleep());
  q.request_stop();
  EXPECT_EQ(q.signaled(), 1u);
}

TEST(post_queue, concurrent_posters_lose_nothing) {
  post_queue q;
  constexpr int threads = 4;
  constexpr int per_thread = 10000;
  std::atomic<int> ran{0};
  std::vector<std::thread> posters;
  for (int i = 0; i < threads; ++i)
    posters.emplace_back([&] {
      for (int j = 0; j < per_thread; ++j) q.push([&ran] { ++ran; });
    });
  std::vector<std::function<void()>> batch;
  while (ran.load() < threads * per_thread) {
    q.take(batch);
    for (auto& fn : batch) fn();
  }
  for (auto& t : posters) t.join();
  q.take(batch);
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(ran.load(), threads * per_thread);
}

}  // namespace
}  // namespace ringmq::detail::io
