#include "core/metadata.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace ringmq::detail {
namespace {

TEST(metadata, lookup_ignores_case_as_rfc23_says) {
  metadata_ptr md(metadata::create({{"Identity", "abc"}}));
  EXPECT_EQ(md->find("identity"), "abc");
  EXPECT_EQ(md->find("IDENTITY"), "abc");
  EXPECT_FALSE(md->find("Identit"));
}

TEST(metadata, values_may_be_empty_or_binary) {
  const std::string binary("\0\1\2", 3);
  metadata_ptr md(metadata::create({{"Identity", ""}, {"X-Bin", binary}}));
  EXPECT_EQ(md->find("Identity"), "");
  EXPECT_EQ(md->find("X-Bin"), binary);
}

TEST(metadata, handles_share_one_set) {
  metadata_ptr a(metadata::create({{"A", "1"}}));
  metadata_ptr b = a;
  a = metadata_ptr();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->find("A"), "1");
}

TEST(metadata, a_source_takes_references_a_block_at_a_time_and_returns_the_unused_ones) {
  metadata_ptr keep(metadata::create({{"A", "1"}}));
  std::vector<metadata*> handed;
  {
    metadata_source source{metadata_ptr(keep)};
    EXPECT_EQ(keep->references(), 2U);  // keep and the source's own handle
    for (std::uint32_t i = 0; i < metadata_source::block + 1; ++i) handed.push_back(source.take());
    // Two blocks were taken; the second is mostly unused.
    EXPECT_EQ(keep->references(), 2U + 2 * metadata_source::block);
  }
  // The source gave back what it had not handed out (and its own handle).
  EXPECT_EQ(keep->references(), 1U + metadata_source::block + 1);
  for (metadata* m : handed) {
    EXPECT_EQ(m, keep.get());
    m->release();
  }
  EXPECT_EQ(keep->references(), 1U);
}

TEST(metadata, a_source_without_a_set_hands_out_null) {
  metadata_source source;
  EXPECT_EQ(source.take(), nullptr);
}

}  // namespace
}  // namespace ringmq::detail
