// secure_memory: blocks come zeroed, are recycled wiped, and the pool grows in chunks.
#include "security/secure_memory.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace ringmq::security {
namespace {

TEST(secure_memory, blocks_start_zeroed_and_are_wiped_when_recycled) {
  unsigned char* where = nullptr;
  {
    secret_block b;
    ASSERT_NE(b.data(), nullptr);
    for (std::size_t i = 0; i < secret_block::size; ++i) EXPECT_EQ(b.data()[i], 0);
    std::memset(b.data(), 0xab, secret_block::size);
    where = b.data();
  }
  // The pool hands out the most recently released block first: it must be clean.
  secret_block again;
  EXPECT_EQ(again.data(), where);
  for (std::size_t i = 0; i < secret_block::size; ++i) EXPECT_EQ(again.data()[i], 0);
}

TEST(secure_memory, wipe_one_key_slot) {
  secret_block b;
  std::memset(b.data(), 0x5a, secret_block::size);
  b.wipe(1);
  for (std::size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(b.key(0)[i], 0x5a);
    EXPECT_EQ(b.key(1)[i], 0);
    EXPECT_EQ(b.key(2)[i], 0x5a);
  }
}

TEST(secure_memory, moves_transfer_ownership) {
  secret_block a;
  unsigned char* p = a.data();
  secret_block b(std::move(a));
  EXPECT_EQ(a.data(), nullptr);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.data(), p);
  secret_block c;
  c = std::move(b);
  EXPECT_EQ(c.data(), p);
}

TEST(secure_memory, pool_grows_in_chunks_and_recycles) {
  const auto before = secure_pool_statistics();
  {
    std::vector<secret_block> many(1500);
    const auto during = secure_pool_statistics();
    EXPECT_EQ(during.blocks_in_use, before.blocks_in_use + 1500);
    EXPECT_GE(during.chunks * during.chunk_bytes / secret_block::size, during.blocks_in_use);
  }
  const auto after = secure_pool_statistics();
  EXPECT_EQ(after.blocks_in_use, before.blocks_in_use);
  std::vector<secret_block> again(1500);
  EXPECT_EQ(secure_pool_statistics().chunks, after.chunks);  // reused, not grown
}

TEST(secure_memory, constant_time_compare) {
  const char a[] = "0123456789abcdef";
  const char b[] = "0123456789abcdeX";
  EXPECT_TRUE(equal_ct(a, a, 16));
  EXPECT_FALSE(equal_ct(a, b, 16));
  EXPECT_TRUE(equal_ct(a, b, 15));
}

}  // namespace
}  // namespace ringmq::security
