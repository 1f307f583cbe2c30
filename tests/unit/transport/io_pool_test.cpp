// io_pool::pick: the I/O thread a bind or connect gets, within the socket's AFFINITY.
#include "transport/stream/io_pool.hpp"

#include "core/context_impl.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ringmq::detail {
namespace {

TEST(io_pool, pick_keeps_to_the_threads_the_affinity_names) {
  auto* ctx = new context_impl;  // reference counted: release() deletes it
  ctx->set_io_threads(3);
  io_pool& pool = io_pool::of(*ctx);

  io::io_thread* const second = pool.pick(0b010);
  ASSERT_NE(second, nullptr);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(pool.pick(0b010), second);

  std::set<io::io_thread*> first_or_third;
  for (int i = 0; i < 6; ++i) first_or_third.insert(pool.pick(0b101));
  EXPECT_EQ(first_or_third.size(), 2U) << "round-robin among the allowed threads";
  EXPECT_FALSE(first_or_third.contains(second));

  std::set<io::io_thread*> any;
  for (int i = 0; i < 6; ++i) any.insert(pool.pick(0));
  EXPECT_EQ(any.size(), 3U) << "0 allows every thread";

  EXPECT_EQ(pool.pick(0b1000), nullptr) << "the pool has no fourth thread";
  EXPECT_EQ(pool.pick(std::uint64_t{1} << 63), nullptr);
  ctx->release();
}

}  // namespace
}  // namespace ringmq::detail
