#include "pattern/pubsub/subscriptions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace ringmq::detail {
namespace {

TEST(subscription_filter, counts_duplicate_subscriptions) {
  subscription_filter f;
  EXPECT_TRUE(f.add("A"));
  EXPECT_FALSE(f.add("A"));
  EXPECT_TRUE(f.matches("Apple"));
  EXPECT_FALSE(f.remove("A"));  // one subscription left
  EXPECT_TRUE(f.matches("Apple"));
  EXPECT_TRUE(f.remove("A"));
  EXPECT_FALSE(f.matches("Apple"));
  EXPECT_FALSE(f.remove("A"));  // never subscribed any more
}

TEST(subscription_filter, the_empty_topic_matches_everything) {
  subscription_filter f;
  EXPECT_FALSE(f.matches(""));
  f.add("");
  EXPECT_TRUE(f.matches(""));
  EXPECT_TRUE(f.matches("anything"));
}

TEST(subscription_filter, is_bounded_in_topic_bytes) {
  subscription_filter f;
  const std::string big(max_subscription_bytes, 'x');
  EXPECT_TRUE(f.add(big));
  EXPECT_FALSE(f.add("y"));  // over the limit: ignored
  EXPECT_FALSE(f.matches("y"));
  EXPECT_TRUE(f.remove(big));
  EXPECT_TRUE(f.add("y"));
}

struct map_fixture : ::testing::Test {
  peer a, b;
  subscription_map m;
  std::set<peer*> matching(std::string_view data) {
    std::set<peer*> found;
    m.match(data, [&](peer& p) { found.insert(&p); });
    return found;
  }
};

TEST_F(map_fixture, reports_the_first_and_last_subscriber_of_a_topic) {
  EXPECT_TRUE(m.add("T", a));
  EXPECT_FALSE(m.add("T", b));
  EXPECT_FALSE(m.add("T", a));  // libzmq: a peer is subscribed or not
  EXPECT_EQ(matching("Topic"), (std::set<peer*>{&a, &b}));
  EXPECT_FALSE(m.remove("T", a));
  EXPECT_EQ(matching("Topic"), (std::set<peer*>{&b}));
  EXPECT_TRUE(m.remove("T", b));
  EXPECT_TRUE(matching("Topic").empty());
}

TEST_F(map_fixture, removing_a_peer_reports_topics_left_without_subscribers) {
  m.add("x", a);
  m.add("y", a);
  m.add("y", b);
  std::vector<std::string> emptied;
  m.remove_peer(a, [&](std::string_view topic) { emptied.emplace_back(topic); });
  EXPECT_EQ(emptied, std::vector<std::string>{"x"});
  EXPECT_EQ(matching("y"), (std::set<peer*>{&b}));
  EXPECT_TRUE(matching("x").empty());
}

TEST_F(map_fixture, prefixes_match_longer_messages_only) {
  m.add("abc", a);
  EXPECT_TRUE(matching("ab").empty());
  EXPECT_EQ(matching("abc"), (std::set<peer*>{&a}));
  EXPECT_EQ(matching("abcd"), (std::set<peer*>{&a}));
}

}  // namespace
}  // namespace ringmq::detail
