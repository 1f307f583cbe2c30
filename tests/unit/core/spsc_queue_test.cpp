#include "core/spsc_queue.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>

namespace ringmq::detail {
namespace {

using queue = spsc_queue<int, 4>;  // tiny chunks: every test crosses chunk boundaries

TEST(spsc_queue, items_come_out_in_the_order_written) {
  queue q;
  for (int i = 0; i < 10; ++i) q.write(int{i}, false);
  q.flush();
  int v = -1;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(q.read(v));
    EXPECT_EQ(v, i);
  }
  EXPECT_FALSE(q.read(v));
}

TEST(spsc_queue, unflushed_items_are_invisible_to_the_reader) {
  queue q;
  q.write(1, false);
  int v = 0;
  EXPECT_FALSE(q.read(v));
  q.flush();
  EXPECT_TRUE(q.read(v));
}

TEST(spsc_queue, incomplete_items_are_published_only_with_the_final_one) {
  queue q;
  q.write(1, true);
  q.write(2, true);
  q.flush();
  int v = 0;
  EXPECT_FALSE(q.check_read());
  q.write(3, false);
  q.flush();
  for (int expected : {1, 2, 3}) {
    ASSERT_TRUE(q.read(v));
    EXPECT_EQ(v, expected);
  }
}

TEST(spsc_queue, flush_reports_a_sleeping_reader_once) {
  queue q;
  int v = 0;
  EXPECT_FALSE(q.read(v));  // the reader found nothing: asleep
  q.write(1, false);
  EXPECT_FALSE(q.flush());  // the writer must wake it
  q.write(2, false);
  EXPECT_TRUE(q.flush());  // it has not slept again since
  EXPECT_TRUE(q.read(v));
  EXPECT_TRUE(q.read(v));
  EXPECT_FALSE(q.read(v));  // asleep again
  q.write(3, false);
  EXPECT_FALSE(q.flush());
}

TEST(spsc_queue, probe_looks_without_putting_the_reader_to_sleep) {
  queue q;
  int v = 0;
  EXPECT_FALSE(q.probe());  // nothing yet, and the reader stays awake
  q.write(1, false);
  EXPECT_FALSE(q.probe());  // written, not yet published
  EXPECT_TRUE(q.flush());   // so no wake-up is asked for
  EXPECT_TRUE(q.probe());
  EXPECT_TRUE(q.read(v));
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(q.probe());
  EXPECT_FALSE(q.read(v));  // a read that finds nothing does put it to sleep
  q.write(2, false);
  EXPECT_FALSE(q.flush());
  EXPECT_TRUE(q.probe());
}

TEST(spsc_queue, flush_with_nothing_new_never_asks_for_a_wake_up) {
  queue q;
  int v = 0;
  EXPECT_FALSE(q.read(v));
  EXPECT_TRUE(q.flush());
}

TEST(spsc_queue, unwrite_takes_back_only_incomplete_items) {
  queue q;
  q.write(1, false);
  q.write(2, true);
  q.write(3, true);
  int v = 0;
  ASSERT_TRUE(q.unwrite(v));
  EXPECT_EQ(v, 3);
  ASSERT_TRUE(q.unwrite(v));
  EXPECT_EQ(v, 2);
  EXPECT_FALSE(q.unwrite(v));  // 1 is complete
  q.flush();
  ASSERT_TRUE(q.read(v));
  EXPECT_EQ(v, 1);
  EXPECT_FALSE(q.read(v));
}

TEST(spsc_queue, unwrite_across_a_chunk_boundary) {
  queue q;
  for (int i = 0; i < 3; ++i) q.write(int{i}, false);
  for (int i = 3; i < 9; ++i) q.write(int{i}, true);
  int v = 0;
  for (int i = 8; i >= 3; --i) {
    ASSERT_TRUE(q.unwrite(v));
    EXPECT_EQ(v, i);
  }
  q.write(42, false);
  q.flush();
  for (int expected : {0, 1, 2, 42}) {
    ASSERT_TRUE(q.read(v));
    EXPECT_EQ(v, expected);
  }
}

// Two threads, a million items, sleeping and waking through the flush protocol with a
// spin standing in for the wake-up: every item arrives once, in order.
// Counts the items alive: a chunk default-constructs all of its slots, so allocating and
// freeing chunks shows in the counts.
struct counted {
  static inline int constructed = 0;
  static inline int alive = 0;
  int value = 0;
  counted() noexcept { ++constructed, ++alive; }
  counted(const counted&) = delete;
  counted(counted&& o) noexcept : value(o.value) { ++constructed, ++alive; }
  counted& operator=(counted&& o) noexcept {
    value = o.value;
    return *this;
  }
  ~counted() { --alive; }
};

TEST(spsc_queue, chunks_read_are_reused_by_the_writer_and_bounded_when_idle) {
  using counted_queue = spsc_queue<counted, 4>;
  constexpr int chunk = 4;
  constexpr int spares = static_cast<int>(counted_queue::max_spare_chunks);
  counted::constructed = counted::alive = 0;
  {
    counted_queue q;
    auto burst = [&q](int items) {
      for (int i = 0; i < items; ++i) {
        counted c;
        c.value = i;
        q.write(std::move(c), false);
      }
      (void)q.flush();  // one thread: whether the reader slept does not matter
      counted out;
      for (int i = 0; i < items; ++i) {
        ASSERT_TRUE(q.read(out));
        ASSERT_EQ(out.value, i);
      }
      EXPECT_FALSE(q.read(out));
    };
    burst(spares * chunk);  // the queue grows to hold the burst, then keeps its chunks
    const int after_first = counted::constructed;
    for (int round = 0; round < 10; ++round) burst(spares * chunk);
    // Each burst constructed only its own temporaries (one per item, one to read into):
    // no chunk was allocated.
    EXPECT_EQ(counted::constructed - after_first, 10 * (spares * chunk + 1));

    burst(10 * spares * chunk);  // far deeper: chunks beyond the spares are freed again
    // In use: the front chunk and the back chunk; kept: at most the spares.
    EXPECT_LE(counted::alive, (2 + spares) * chunk);
  }
  EXPECT_EQ(counted::alive, 0);
}

TEST(spsc_queue, concurrent_writer_and_reader_lose_and_reorder_nothing) {
  spsc_queue<std::uint64_t, 16> q;
  constexpr std::uint64_t count = 1'000'000;
  std::atomic<bool> wake{false};
  std::thread writer([&] {
    for (std::uint64_t i = 0; i < count; ++i) {
      q.write(std::uint64_t{i}, (i % 3) == 1);  // some items ride with the next one
      if (!q.flush()) wake.store(true, std::memory_order_release);
    }
    q.write(std::uint64_t{count}, false);
    if (!q.flush()) wake.store(true, std::memory_order_release);
  });
  std::uint64_t expected = 0;
  std::uint64_t v = 0;
  while (expected <= count) {
    if (q.read(v)) {
      ASSERT_EQ(v, expected);
      ++expected;
      continue;
    }
    // Asleep: only a flush that saw us asleep may let us continue.
    while (!wake.exchange(false, std::memory_order_acquire)) std::this_thread::yield();
  }
  writer.join();
}

}  // namespace
}  // namespace ringmq::detail
