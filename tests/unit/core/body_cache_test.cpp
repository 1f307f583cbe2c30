// body_cache: which freed blocks are kept, which allocations they serve, and the bound on
// what it holds. Each test runs in its own process (one ctest entry per test), so the
// process-wide cache starts empty.
#include "core/body_cache.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <vector>

namespace {

namespace cache = ringmq::detail::body_cache;
constexpr std::size_t kib = 1024;

void* block_of(std::size_t size) {
  void* b = std::malloc(size);
  if (b == nullptr) throw std::bad_alloc();
  return b;
}

TEST(body_cache, a_freed_large_block_serves_the_next_allocation_that_fits) {
  void* b = block_of(64 * kib);
  cache::give(b, 64 * kib);
  std::size_t capacity = 0;
  void* again = cache::take(40 * kib, capacity);
  if (!cache::enabled) {  // AddressSanitizer build: every block is really freed
    EXPECT_EQ(again, nullptr);
    return;
  }
  EXPECT_EQ(again, b);
  EXPECT_EQ(capacity, 64 * kib);
  EXPECT_EQ(cache::take(40 * kib, capacity), nullptr) << "a block is handed out once";
  cache::give(again, capacity);
}

TEST(body_cache, a_block_twice_the_request_or_larger_is_left_for_a_bigger_one) {
  void* b = block_of(64 * kib);
  cache::give(b, 64 * kib);
  std::size_t capacity = 0;
  EXPECT_EQ(cache::take(32 * kib, capacity), nullptr);
  EXPECT_EQ(cache::take(65 * kib, capacity), nullptr) << "too small for the request";
  void* fits = cache::take(33 * kib, capacity);
  EXPECT_EQ(fits, cache::enabled ? b : nullptr);
  if (fits != nullptr) cache::give(fits, capacity);
}

TEST(body_cache, small_and_huge_blocks_go_straight_to_malloc_and_free) {
  cache::give(block_of(cache::min_block - 1), cache::min_block - 1);
  cache::give(block_of(cache::max_block + 1), cache::max_block + 1);
  std::size_t capacity = 0;
  EXPECT_EQ(cache::take(cache::min_block - 1, capacity), nullptr);
  EXPECT_EQ(cache::take(cache::min_block, capacity), nullptr);
  EXPECT_EQ(cache::take(cache::max_block, capacity), nullptr);
  EXPECT_EQ(cache::take(cache::max_block + 1, capacity), nullptr);
}

TEST(body_cache, it_holds_at_most_max_bytes) {
  const std::size_t size = 64 * kib;
  const std::size_t fit = cache::max_bytes / size;
  std::set<void*> given;
  for (std::size_t i = 0; i < fit + 8; ++i) {
    void* b = block_of(size);
    given.insert(b);
    cache::give(b, size);  // the ones beyond the bound are freed here
  }
  std::vector<void*> back;
  std::size_t capacity = 0;
  while (void* b = cache::take(size, capacity)) back.push_back(b);
  EXPECT_EQ(back.size(), cache::enabled ? fit : 0u);
  for (void* b : back) {
    EXPECT_EQ(given.count(b), 1u);
    std::free(b);
  }
}

}  // namespace
