#include <ringmq/socket_type.hpp>

#include <gtest/gtest.h>

namespace ringmq {
namespace {

TEST(socket_type, names_round_trip) {
  for (int i = 0; i <= 11; ++i) {
    const auto t = static_cast<socket_type>(i);
    EXPECT_EQ(socket_type_from_string(to_string(t)), t);
  }
  EXPECT_FALSE(socket_type_from_string("dealer"));  // exact, as on the wire
  EXPECT_FALSE(socket_type_from_string("RADIO"));   // a draft type ringmq has not got
}

TEST(socket_type, compatibility_is_symmetric_and_matches_rfc23) {
  using t = socket_type;
  for (int i = 0; i <= 11; ++i)
    for (int j = 0; j <= 11; ++j)
      EXPECT_EQ(compatible(static_cast<t>(i), static_cast<t>(j)),
                compatible(static_cast<t>(j), static_cast<t>(i)));
  EXPECT_TRUE(compatible(t::req, t::router));
  EXPECT_TRUE(compatible(t::dealer, t::dealer));
  EXPECT_TRUE(compatible(t::xpub, t::sub));
  EXPECT_FALSE(compatible(t::req, t::req));
  EXPECT_FALSE(compatible(t::push, t::push));
  EXPECT_FALSE(compatible(t::pair, t::dealer));
  EXPECT_FALSE(compatible(t::pub, t::pub));
  EXPECT_FALSE(compatible(t::stream, t::stream));  // no ZMTP peers at all
  EXPECT_FALSE(compatible(t::stream, t::router));
}

// Numbers outside the table (a binding passes whatever int it is given) have no name, no
// peers and no pattern.
TEST(socket_type, numbers_outside_the_table_are_unknown) {
  for (const int i : {-1, 14, 15, 18, 21, 1000}) {
    const auto t = static_cast<socket_type>(i);
    EXPECT_EQ(to_string(t), "UNKNOWN");
    EXPECT_FALSE(compatible(t, socket_type::pair));
    EXPECT_FALSE(compatible(socket_type::pair, t));
    EXPECT_FALSE(compatible(t, t));
    EXPECT_FALSE(thread_safe(t));
  }
  EXPECT_FALSE(socket_type_from_string("UNKNOWN"));
}

}  // namespace
}  // namespace ringmq
