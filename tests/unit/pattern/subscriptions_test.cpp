#include "pattern/pubsub/subscriptions.hpp"

#include "heap_counter.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <random>
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

TEST(subscription_filter, never_ignores_its_applications_subscriptions) {
  // It had a 64 MiB budget for all topics: in a proxy, whose XSUB takes what its XPUB's
  // peers subscribe to, filling it silenced every later subscription.
  subscription_filter f;
  const std::string big(std::size_t{64} << 20, 'x');
  EXPECT_TRUE(f.add(big));
  EXPECT_TRUE(f.add("y"));
  EXPECT_TRUE(f.matches("y"));
}

struct map_fixture : ::testing::Test {
  peer a, b;
  subscription_usage ua, ub;  // what the pattern keeps for each
  subscription_map m;
  std::set<peer*> matching(std::string_view data) {
    std::set<peer*> found;
    m.match(data, [&](peer& p) { found.insert(&p); });
    return found;
  }
};

using add_result = subscription_map::add_result;

TEST_F(map_fixture, reports_the_first_and_last_subscriber_of_a_topic) {
  EXPECT_EQ(m.add("T", a, ua), add_result::first);
  EXPECT_EQ(m.add("T", b, ub), add_result::added);
  EXPECT_EQ(m.add("T", a, ua), add_result::already);  // libzmq: a peer is subscribed or not
  EXPECT_EQ(matching("Topic"), (std::set<peer*>{&a, &b}));
  EXPECT_FALSE(m.remove("T", a, ua));
  EXPECT_EQ(matching("Topic"), (std::set<peer*>{&b}));
  EXPECT_TRUE(m.remove("T", b, ub));
  EXPECT_TRUE(matching("Topic").empty());
}

TEST_F(map_fixture, removing_a_peer_reports_topics_left_without_subscribers) {
  ASSERT_EQ(m.add("x", a, ua), add_result::first);
  ASSERT_EQ(m.add("y", a, ua), add_result::first);
  ASSERT_EQ(m.add("y", b, ub), add_result::added);
  std::vector<std::string> emptied;
  m.remove_peer(a, ua, [&](std::string_view topic) { emptied.emplace_back(topic); });
  EXPECT_EQ(emptied, std::vector<std::string>{"x"});
  EXPECT_EQ(matching("y"), (std::set<peer*>{&b}));
  EXPECT_TRUE(matching("x").empty());
}

TEST_F(map_fixture, prefixes_match_longer_messages_only) {
  ASSERT_EQ(m.add("abc", a, ua), add_result::first);
  EXPECT_TRUE(matching("ab").empty());
  EXPECT_EQ(matching("abc"), (std::set<peer*>{&a}));
  EXPECT_EQ(matching("abcd"), (std::set<peer*>{&a}));
}

TEST_F(map_fixture, charges_each_peer_for_its_own_topics) {
  m.add("T", a, ua);
  m.add("T", b, ub);
  m.add(std::string(100, 'x'), a, ua);
  m.add("T", a, ua);  // already subscribed: no second charge
  EXPECT_EQ(ua.topics, 2u);
  EXPECT_EQ(ua.bytes, subscription_map::cost(1) + subscription_map::cost(100));
  EXPECT_EQ(ub.topics, 1u);
  EXPECT_EQ(ub.bytes, subscription_map::cost(1));
  EXPECT_FALSE(m.remove(std::string(100, 'x') + "y", a, ua));  // not subscribed: no refund
  EXPECT_TRUE(m.remove(std::string(100, 'x'), a, ua));
  EXPECT_EQ(ua.bytes, subscription_map::cost(1));
  m.remove_peer(a, ua, [](std::string_view) {});
  EXPECT_EQ(ua.topics, 0u);
  EXPECT_EQ(ua.bytes, 0u);
  EXPECT_EQ(matching("T"), (std::set<peer*>{&b}));
}

TEST_F(map_fixture, a_peer_at_its_topic_limit_is_refused_and_the_others_are_not) {
  m.set_limits({3, std::numeric_limits<std::size_t>::max()});
  for (const char* t : {"a", "b", "c"}) ASSERT_EQ(m.add(t, a, ua), add_result::first);
  EXPECT_EQ(m.add("d", a, ua), add_result::over_topics);
  EXPECT_EQ(m.add("a", a, ua), add_result::already);  // what it has is not refused
  EXPECT_EQ(m.add("d", b, ub), add_result::first);    // another peer's topics are its own
  EXPECT_EQ(m.add("a", b, ub), add_result::added);
  EXPECT_EQ(matching("d"), (std::set<peer*>{&b}));
  EXPECT_TRUE(m.remove("c", a, ua));
  EXPECT_EQ(m.add("d", a, ua), add_result::added);  // back under its limit
}

TEST_F(map_fixture, a_peer_at_its_memory_limit_is_refused_and_the_others_are_not) {
  m.set_limits({1000, 2 * subscription_map::cost(4)});
  ASSERT_EQ(m.add("abcd", a, ua), add_result::first);
  ASSERT_EQ(m.add("efgh", a, ua), add_result::first);
  EXPECT_EQ(m.add("ijkl", a, ua), add_result::over_memory);
  EXPECT_EQ(m.add("ijkl", b, ub), add_result::first);
  // One topic bigger than the whole budget: libzmq 4.3.4 takes it; here the peer that sent
  // it is refused, and the next peer's subscription still counts (issue 15, defect 5).
  const std::string huge(std::size_t{64} << 20, 'x');
  EXPECT_EQ(m.add(huge, b, ub), add_result::over_memory);
  EXPECT_EQ(m.add("mnop", b, ub), add_result::first);
  EXPECT_EQ(matching("mnop!"), (std::set<peer*>{&b}));
}

TEST_F(map_fixture, with_no_limits_takes_what_libzmq_takes) {
  m.set_limits(subscription_limits::for_topics(-1));
  const std::string huge(std::size_t{64} << 20, 'x');
  EXPECT_EQ(m.add(huge, a, ua), add_result::first);
  EXPECT_EQ(m.add("y", a, ua), add_result::first);
}

TEST(subscription_limits, scale_memory_with_the_topic_count) {
  const subscription_limits d;
  EXPECT_EQ(d.topics, 65536u);
  EXPECT_EQ(d.bytes, std::size_t{32} << 20);
  EXPECT_EQ(subscription_limits::for_topics(10).bytes, 10 * subscription_limits::bytes_per_topic);
  EXPECT_EQ(subscription_limits::for_topics(-1).bytes, std::numeric_limits<std::size_t>::max());
  // At the default allowance, 65536 topics of up to about 128 bytes fit.
  EXPECT_LE(subscription_map::cost(128), subscription_limits::bytes_per_topic);
}

// What peers are charged bounds what the map holds: whatever they subscribe to, share,
// cancel or leave with, its heap stays within the sum of their charges.
TEST(subscription_map_heap, stays_within_what_its_peers_are_charged) {
  std::mt19937 rng(11);
  std::vector<std::string> topics;
  for (int i = 0; i < 300; ++i) {
    std::string t(rng() % 40, 'a');
    for (auto& c : t) c = static_cast<char>('a' + rng() % 3);
    topics.push_back(std::move(t));
  }
  struct step {
    int op;  // 0 add, 1 remove, 2 peer leaves
    std::size_t peer_index, topic;
  };
  std::vector<step> steps;
  for (int i = 0; i < 30000; ++i) {
    const int op = rng() % 500 == 0 ? 2 : static_cast<int>(rng() % 3 == 0);
    steps.push_back({op, rng() % 4, rng() % topics.size()});
  }
  peer peers[4];
  subscription_usage usage[4];
  const auto charged = [&] {
    std::size_t sum = 0;
    for (const subscription_usage& u : usage) sum += u.bytes;
    return sum;
  };
  const std::size_t baseline = heap_in_use();
  {
    subscription_map m;
    for (const step& s : steps) {
      peer& p = peers[s.peer_index];
      subscription_usage& u = usage[s.peer_index];
      if (s.op == 0)
        m.add(topics[s.topic], p, u);
      else if (s.op == 1)
        m.remove(topics[s.topic], p, u);
      else
        m.remove_peer(p, u, [](std::string_view) {});
      ASSERT_LE(heap_in_use() - baseline, charged());
    }
    for (std::size_t i = 0; i < 4; ++i) m.remove_peer(peers[i], usage[i], [](std::string_view) {});
    EXPECT_EQ(heap_in_use(), baseline);
  }
}

// The point of the limits: a peer that subscribes to all it may makes the map hold at most
// limits.bytes, for short topics (the topic limit stops it) and long ones (memory does).
TEST(subscription_map_heap, one_peer_at_its_limits_holds_at_most_its_budget) {
  for (const std::size_t length : {std::size_t{4}, std::size_t{200}}) {
    std::vector<std::string> topics;
    for (std::uint32_t i = 0; i < 70000; ++i) {
      std::string t(length, 'x');
      std::memcpy(t.data(), &i, sizeof i);
      topics.push_back(std::move(t));
    }
    peer p;
    subscription_usage u;
    const std::size_t baseline = heap_in_use();
    subscription_map m;
    std::size_t accepted = 0;
    add_result refused = add_result::first;
    for (const auto& t : topics) {
      const add_result r = m.add(t, p, u);
      if (r != add_result::first) {
        refused = r;
        break;
      }
      ++accepted;
    }
    const std::size_t held = heap_in_use() - baseline;
    EXPECT_LE(held, m.limits().bytes) << length << "-byte topics";
    if (length == 4) {
      EXPECT_EQ(refused, add_result::over_topics);
      EXPECT_EQ(accepted, m.limits().topics);
    } else {
      EXPECT_EQ(refused, add_result::over_memory);
    }
    m.remove_peer(p, u, [](std::string_view) {});
    EXPECT_EQ(heap_in_use(), baseline);
    RecordProperty("heap_bytes_per_topic_" + std::to_string(length),
                   std::to_string(static_cast<double>(held) / static_cast<double>(accepted)));
    RecordProperty("topics_accepted_" + std::to_string(length), std::to_string(accepted));
  }
}

}  // namespace
}  // namespace ringmq::detail
