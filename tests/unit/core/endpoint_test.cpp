#include "core/endpoint.hpp"

#include <gtest/gtest.h>

namespace ringmq::detail {
namespace {

TEST(endpoint, splits_scheme_and_address) {
  auto p = split_endpoint("tcp://127.0.0.1:5555");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->scheme, "tcp");
  EXPECT_EQ(p->address, "127.0.0.1:5555");
  p = split_endpoint("ipc:///tmp/x");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->address, "/tmp/x");
}

TEST(endpoint, rejects_strings_without_scheme_or_address) {
  EXPECT_FALSE(split_endpoint(""));
  EXPECT_FALSE(split_endpoint("tcp:/x"));
  EXPECT_FALSE(split_endpoint("://x"));
  EXPECT_FALSE(split_endpoint("inproc://"));
  EXPECT_FALSE(split_endpoint("127.0.0.1:5555"));
}

}  // namespace
}  // namespace ringmq::detail
