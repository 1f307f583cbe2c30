#include "core/metadata.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ringmq::detail
