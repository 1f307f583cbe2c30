// large_block_pool: the sizes it serves, the blocks it hands out (whole pages, inside one
// aligned region, never two at once), reuse of freed blocks, and the bound on the regions it
// keeps. Each test has a pool of its own, except the fork test, which is about the
// process-wide one.
#include "core/large_block_pool.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

namespace {

using ringmq::detail::large_block_pool;
constexpr std::size_t kib = 1024;
constexpr std::size_t body = 64 * kib + 32;  // a 64 KiB message with its header
// 2 MiB less the header page, in blocks of 17 pages.
constexpr std::size_t blocks_per_region = (large_block_pool::region_size / large_block_pool::page - 1) / 17;

struct block {
  void* at;
  std::size_t capacity;
};

block take(large_block_pool& pool, std::size_t size) {
  block b{nullptr, 0};
  b.at = pool.allocate(size, b.capacity);
  return b;
}

void give(large_block_pool& pool, const block& b) { ASSERT_TRUE(pool.deallocate(b.at, b.capacity)); }

// n blocks of `body` size, in the order taken.
std::vector<block> take_many(large_block_pool& pool, std::size_t n) {
  std::vector<block> blocks;
  for (std::size_t i = 0; i < n; ++i) blocks.push_back(take(pool, body));
  return blocks;
}

void give_all(large_block_pool& pool, const std::vector<block>& blocks) {
  for (const block& b : blocks) give(pool, b);
}

std::uintptr_t address(const block& b) { return reinterpret_cast<std::uintptr_t>(b.at); }

TEST(large_block_pool, sizes_outside_its_range_are_left_to_malloc) {
  large_block_pool pool;
  std::size_t capacity = 7;
  EXPECT_EQ(pool.allocate(large_block_pool::min_block - 1, capacity), nullptr);
  EXPECT_EQ(pool.allocate(large_block_pool::max_block + 1, capacity), nullptr);
  EXPECT_EQ(capacity, 7u);
  int on_heap = 0;
  EXPECT_FALSE(pool.deallocate(&on_heap, large_block_pool::min_block - 1));
  EXPECT_FALSE(pool.deallocate(&on_heap, large_block_pool::max_block + 1));
  EXPECT_EQ(pool.regions_mapped(), 0u);
}

TEST(large_block_pool, a_block_is_whole_pages_at_most_a_quarter_over_the_size_within_one_region) {
  large_block_pool pool;
  for (const std::size_t size :
       {large_block_pool::min_block, body, 100 * kib + 1, large_block_pool::max_block}) {
    const block b = take(pool, size);
    ASSERT_NE(b.at, nullptr);
    EXPECT_GE(b.capacity, size);
    EXPECT_LE(b.capacity, size + size / 4 + large_block_pool::page) << "classes step by a quarter";
    EXPECT_EQ(b.capacity % large_block_pool::page, 0u);
    const std::uintptr_t region = address(b) & ~(std::uintptr_t{large_block_pool::region_size} - 1);
    EXPECT_GE(address(b), region + large_block_pool::page) << "the first page is the region's header";
    EXPECT_LE(address(b) + b.capacity, region + large_block_pool::region_size);
    std::memset(b.at, 0x5a, b.capacity);  // all of it is writable
    give(pool, b);
  }
}

TEST(large_block_pool, blocks_handed_out_together_never_overlap_and_keep_their_bytes) {
  large_block_pool pool;
  std::vector<block> blocks;
  for (std::size_t i = 0; i < 2 * blocks_per_region + 3; ++i) {
    blocks.push_back(take(pool, body));
    std::memset(blocks.back().at, static_cast<int>(i & 0xff), blocks.back().capacity);
  }
  EXPECT_EQ(pool.regions_mapped(), 3u) << "a region holds " << blocks_per_region << " blocks of this size";
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto* bytes = static_cast<const unsigned char*>(blocks[i].at);
    for (std::size_t k = 0; k < blocks[i].capacity; k += 509)
      ASSERT_EQ(bytes[k], i & 0xff) << "block " << i << " was overwritten at " << k;
  }
  give_all(pool, blocks);
}

TEST(large_block_pool, the_newest_freed_block_serves_the_next_allocation_of_its_size) {
  large_block_pool pool;
  const block anchor = take(pool, body);  // keeps the region from going idle
  const block first = take(pool, body);
  const block second = take(pool, body);
  give(pool, first);
  give(pool, second);
  EXPECT_EQ(take(pool, body).at, second.at);
  EXPECT_EQ(take(pool, body).at, first.at);
  const block third = take(pool, body);
  EXPECT_NE(third.at, first.at);
  EXPECT_NE(third.at, second.at);
  for (const block& b : {anchor, first, second, third}) give(pool, b);
}

TEST(large_block_pool, sizes_in_one_class_share_its_regions) {
  large_block_pool pool;
  const block a = take(pool, 64 * kib + 32);
  const block b = take(pool, 66 * kib);
  EXPECT_EQ(a.capacity, b.capacity);
  EXPECT_EQ(pool.regions_mapped(), 1u);
  give(pool, a);
  give(pool, b);
}

TEST(large_block_pool, a_size_class_gets_its_own_region_and_an_emptied_region_serves_any_class) {
  large_block_pool pool;
  const block small = take(pool, 20 * kib);
  const block large = take(pool, 200 * kib);
  EXPECT_EQ(pool.regions_mapped(), 2u);
  give(pool, small);
  EXPECT_EQ(pool.idle_regions(), 1u);
  const block other = take(pool, 300 * kib);
  EXPECT_EQ(pool.regions_mapped(), 2u) << "the idle region was reused";
  EXPECT_EQ(pool.idle_regions(), 0u);
  give(pool, large);
  give(pool, other);
  EXPECT_EQ(pool.idle_regions(), 2u);
}

// The pools below read this clock (nanoseconds) instead of the monotonic one.
std::int64_t fake_now = 0;
std::int64_t read_fake_now() noexcept { return fake_now; }

// A pool keeping 1 to max_idle idle regions, on the fake clock (set back to 0).
large_block_pool fake_clock_pool(std::size_t max_idle) {
  fake_now = 0;
  return large_block_pool(1, max_idle, &read_fake_now);
}

TEST(large_block_pool, idle_regions_are_kept_up_to_the_recent_peak_and_unmapped_a_window_or_two_later) {
  large_block_pool pool = fake_clock_pool(32);
  const std::vector<block> blocks = take_many(pool, 6 * blocks_per_region);
  EXPECT_EQ(pool.regions_mapped(), 6u);
  auto give_region = [&](std::size_t n) {
    for (std::size_t i = n * blocks_per_region; i < (n + 1) * blocks_per_region; ++i) give(pool, blocks[i]);
  };
  for (std::size_t n = 0; n < 5; ++n) give_region(n);
  EXPECT_EQ(pool.idle_regions(), 5u) << "six were in use within this window";
  EXPECT_EQ(pool.regions_mapped(), 6u);
  fake_now += large_block_pool::window;
  give_region(5);
  EXPECT_EQ(pool.idle_regions(), 6u) << "the window before had six in use";
  const block again = take(pool, body);  // a region leaves the idle list
  fake_now += 2 * large_block_pool::window;
  give(pool, again);
  EXPECT_EQ(pool.idle_regions(), 1u) << "no use for two windows: min_idle_regions";
  EXPECT_EQ(pool.regions_mapped(), 1u);
}

TEST(large_block_pool, at_most_max_idle_regions_stay_mapped) {
  large_block_pool pool = fake_clock_pool(3);
  give_all(pool, take_many(pool, 6 * blocks_per_region));
  EXPECT_EQ(pool.idle_regions(), 3u);
  EXPECT_EQ(pool.regions_mapped(), 3u);
}

TEST(large_block_pool, a_queue_draining_and_refilling_maps_no_new_regions) {
  large_block_pool pool = fake_clock_pool(32);
  std::vector<block> queue = take_many(pool, 4 * blocks_per_region);
  const std::size_t mapped = pool.regions_mapped();
  for (int swing = 0; swing < 10; ++swing) {
    fake_now += large_block_pool::window / 3;
    // The oldest half leaves and a new half arrives; every third time all of it does.
    const std::size_t half = swing % 3 == 2 ? queue.size() : queue.size() / 2;
    for (std::size_t i = 0; i < half; ++i) give(pool, queue[i]);
    EXPECT_EQ(pool.regions_mapped(), mapped) << "swing " << swing << ": an emptied region was unmapped";
    queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(half));
    const std::vector<block> arrived = take_many(pool, half);
    queue.insert(queue.end(), arrived.begin(), arrived.end());
    EXPECT_EQ(pool.regions_mapped(), mapped) << "swing " << swing << ": a new region was mapped";
  }
  give_all(pool, queue);
}

TEST(large_block_pool, a_full_region_takes_blocks_again_once_one_is_freed) {
  large_block_pool pool;
  const std::vector<block> blocks = take_many(pool, blocks_per_region);
  EXPECT_EQ(pool.regions_mapped(), 1u);
  give(pool, blocks[3]);
  EXPECT_EQ(take(pool, body).at, blocks[3].at);
  EXPECT_EQ(pool.regions_mapped(), 1u);
  give_all(pool, blocks);
}

TEST(large_block_pool, threads_allocating_and_freeing_at_once_each_get_blocks_of_their_own) {
  large_block_pool pool;
  auto work = [&pool](unsigned char mark) {
    std::vector<block> held;
    for (int round = 0; round < 200; ++round) {
      held.push_back(take(pool, body + (mark == 1 ? 0 : 40 * kib)));
      std::memset(held.back().at, mark, held.back().capacity);
      if (held.size() == 8) {
        for (const block& b : held) {
          const auto* bytes = static_cast<const unsigned char*>(b.at);
          ASSERT_EQ(bytes[0], mark);
          ASSERT_EQ(bytes[b.capacity - 1], mark);
          give(pool, b);
        }
        held.clear();
      }
    }
    for (const block& b : held) give(pool, b);
  };
  std::thread a(work, 1);
  std::thread b(work, 2);
  a.join();
  b.join();
  EXPECT_EQ(pool.regions_mapped(), pool.idle_regions());
}

// fork() while another thread holds the process-wide pool's mutex must not leave the
// child's copy locked: the child takes and gives back a block (10 s of alarm turn a deadlock
// into a failure instead of a hang).
TEST(large_block_pool, a_child_forked_while_another_thread_uses_the_pool_can_use_it) {
  large_block_pool& pool = large_block_pool::process_wide();
  std::atomic<bool> stop{false};
  std::atomic<int> rounds{0};
  std::thread busy([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      give(pool, take(pool, body));
      rounds.fetch_add(1, std::memory_order_relaxed);
    }
  });
  struct joiner {  // also when an assertion below returns early
    std::atomic<bool>& stop;
    std::thread& thread;
    ~joiner() {
      stop = true;
      thread.join();
    }
  } join_busy{stop, busy};
  while (rounds.load() < 100) std::this_thread::yield();  // the mutex is taken all the time now
  for (int i = 0; i < 100; ++i) {
    const pid_t child = ::fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
      ::alarm(10);
      block b{nullptr, 0};
      b.at = pool.allocate(body, b.capacity);
      ::_exit(b.at != nullptr && pool.deallocate(b.at, b.capacity) ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << "child " << i << " died of signal " << WTERMSIG(status);
    ASSERT_EQ(WEXITSTATUS(status), 0);
  }
}

}  // namespace
