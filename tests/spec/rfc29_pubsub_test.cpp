// rfc 29 (PUBSUB): PUB, SUB, XPUB and XSUB, over inproc. Each test is named after the SHALL
// it checks; XPUB_VERBOSE/VERBOSER and XPUB_NODROP follow libzmq 4.3 (test_xpub_*,
// test_hwm_pubsub).
#include "spec/support.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ringmq_test {
namespace {

std::string subscription(std::string_view topic) { return std::string(1, '\x01') + std::string(topic); }
std::string unsubscription(std::string_view topic) { return std::string(1, '\x00') + std::string(topic); }

// Receives everything a SUB has right now, one string per message (parts joined by '|').
strings received(ringmq::socket& sub) {
  strings out;
  for (;;) {
    const auto parts = recv_parts(sub, recv_flags::dontwait);
    if (parts.empty()) return out;
    std::string joined;
    for (std::size_t i = 0; i < parts.size(); ++i) joined += (i == 0 ? "" : "|") + parts[i];
    out.push_back(joined);
  }
}

// A PUB bound at `endpoint` and a SUB connected to it, subscribed to `topics`. A SUB that
// connects to a bound PUB has its subscriptions queued in the pipe before the PUB's first
// send, so no waiting is needed.
struct pub_sub {
  ringmq::socket pub;
  ringmq::socket sub;
  pub_sub(ringmq::context& ctx, std::string_view endpoint, std::initializer_list<std::string_view> topics)
      : pub(make_socket(ctx, socket_type::pub)), sub(make_socket(ctx, socket_type::sub)) {
    pub.bind(endpoint);
    sub.connect(endpoint);
    for (auto t : topics) sub.set(opt::subscribe, t);
  }
};

// Sends `probe` on `pub` until `sub` receives something (a subscription travelling the
// other way is in effect), with the safety deadline. Returns what arrived first.
std::optional<std::string> publish_until_received(ringmq::socket& pub, ringmq::socket& sub,
                                                  std::string_view probe) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!pub.send(probe, send_flags::dontwait)) return std::nullopt;
    if (wait_readable(sub, 10ms)) return recv_string(sub);
  }
  return std::nullopt;
}

// ==== PUB / SUB ==========================================================================

TEST(rfc29_pub, SHALL_perform_a_binary_comparison_of_the_subscription_against_the_start_of_the_first_frame) {
  ringmq::context ctx;
  const std::string binary_topic("\0B", 2);
  pub_sub ps(ctx, "inproc://binary", {"A", binary_topic});
  ASSERT_TRUE(ps.pub.send("A1"));
  ASSERT_TRUE(ps.pub.send("a2"));  // case matters
  ASSERT_TRUE(ps.pub.send("B3"));
  ASSERT_TRUE(ps.pub.send(binary_topic + "4"));
  ASSERT_TRUE(ps.pub.send(std::string_view("\0C5", 3)));
  ASSERT_TRUE(send_parts(ps.pub, {"x", "A in the second frame does not count"}));
  ASSERT_TRUE(send_parts(ps.pub, {"A6", "second frame"}));
  ASSERT_TRUE(ps.pub.send(""));
  EXPECT_EQ(received(ps.sub), (strings{"A1", binary_topic + "4", "A6|second frame"}));
}

TEST(rfc29_sub, MAY_filter_messages_according_to_subscriptions_using_a_prefix_match) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://prefix", {"weather.", "weather.paris"});
  for (const char* m : {"weather.paris 21C", "weather.oslo 3C", "sport.oslo 1-0", "weather", "weather."})
    ASSERT_TRUE(ps.pub.send(m));
  // Overlapping subscriptions deliver a message once.
  EXPECT_EQ(received(ps.sub), (strings{"weather.paris 21C", "weather.oslo 3C", "weather."}));
}

TEST(rfc29_sub, receives_everything_with_the_empty_subscription) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://all", {""});
  for (const char* m : {"a", "", "\x01not a subscription", "zzz"}) ASSERT_TRUE(ps.pub.send(m));
  EXPECT_EQ(received(ps.sub), (strings{"a", "", "\x01not a subscription", "zzz"}));
}

TEST(rfc29_sub, receives_nothing_without_a_subscription) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://none", {});
  ASSERT_TRUE(ps.pub.send("anything"));
  EXPECT_TRUE(received(ps.sub).empty());
}

TEST(rfc29_sub, stops_receiving_a_topic_after_unsubscribing) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://unsub", {"A", "B"});
  ASSERT_TRUE(ps.pub.send("A1"));
  ASSERT_TRUE(ps.pub.send("B1"));
  EXPECT_EQ(received(ps.sub), (strings{"A1", "B1"}));
  ps.sub.set(opt::unsubscribe, "A");
  ASSERT_TRUE(ps.pub.send("A2"));
  ASSERT_TRUE(ps.pub.send("B2"));
  EXPECT_EQ(received(ps.sub), strings{"B2"});
  ps.sub.set(opt::unsubscribe, "never subscribed");  // harmless
  ASSERT_TRUE(ps.pub.send("B3"));
  EXPECT_EQ(received(ps.sub), strings{"B3"});
}

TEST(rfc29_sub, counts_duplicate_subscriptions) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://dup", {"A", "A"});
  ps.sub.set(opt::unsubscribe, "A");
  ASSERT_TRUE(ps.pub.send("A1"));
  EXPECT_EQ(received(ps.sub), strings{"A1"}) << "one of two subscriptions is left";
  ps.sub.set(opt::unsubscribe, "A");
  ASSERT_TRUE(ps.pub.send("A2"));
  EXPECT_TRUE(received(ps.sub).empty());
}

TEST(rfc29_pub, SHALL_only_send_messages_and_SHALL_NOT_deliver_subscriptions_to_the_application) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://pubonly", {"A"});
  ASSERT_TRUE(ps.pub.send("flush the subscription in"));
  std::error_code ec;
  ringmq::message m;
  EXPECT_FALSE(ps.pub.recv(m, recv_flags::dontwait, ec));
  EXPECT_EQ(ec, ringmq::errc::not_supported);
  EXPECT_FALSE(ringmq::any(ps.pub.events() & ringmq::events::pollin));
}

TEST(rfc29_sub, SHALL_only_receive_messages) {
  ringmq::context ctx;
  auto sub = make_socket(ctx, socket_type::sub);
  std::error_code ec;
  EXPECT_FALSE(sub.send(ringmq::message(subscription("A")), send_flags::dontwait, ec));
  EXPECT_EQ(ec, ringmq::errc::not_supported);
  EXPECT_FALSE(ringmq::any(sub.events() & ringmq::events::pollout));
}

TEST(rfc29_pub, SHALL_not_modify_outgoing_messages_in_any_way) {
  ringmq::context ctx;
  pub_sub ps(ctx, "inproc://verbatim", {""});
  const std::string binary("\x00\x01\x02\xff", 4);
  const std::string big(100000, 'p');
  ASSERT_TRUE(send_parts(ps.pub, {binary, "", big}));
  EXPECT_EQ(recv_parts(ps.sub, recv_flags::dontwait), (strings{binary, "", big}));
}

TEST(rfc29_pub, MAY_be_connected_to_any_number_of_subscribers_each_getting_what_it_subscribed_to) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.bind("inproc://many");
  std::vector<ringmq::socket> subs;
  for (const char* topic : {"A", "B", "", "A"}) {
    subs.push_back(make_socket(ctx, socket_type::sub));
    subs.back().connect("inproc://many");
    subs.back().set(opt::subscribe, topic);
  }
  ASSERT_TRUE(pub.send("A1"));
  ASSERT_TRUE(pub.send("B1"));
  ASSERT_TRUE(pub.send("C1"));
  EXPECT_EQ(received(subs[0]), strings{"A1"});
  EXPECT_EQ(received(subs[1]), strings{"B1"});
  EXPECT_EQ(received(subs[2]), (strings{"A1", "B1", "C1"}));
  EXPECT_EQ(received(subs[3]), strings{"A1"});
}

TEST(rfc29_pub, SHALL_silently_drop_the_message_if_the_queue_for_a_subscriber_is_full_and_SHALL_NOT_block) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.set(opt::sndhwm, 5);
  // make_socket's SNDTIMEO turns a PUB that blocked into a failed send.
  pub.bind("inproc://drop");
  auto slow = make_socket(ctx, socket_type::sub);
  slow.set(opt::rcvhwm, 5);
  slow.connect("inproc://drop");
  slow.set(opt::subscribe, "");
  auto roomy = make_socket(ctx, socket_type::sub);
  roomy.set(opt::rcvhwm, 1000);
  roomy.connect("inproc://drop");
  roomy.set(opt::subscribe, "");
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(pub.send(std::to_string(i), send_flags::dontwait)) << i;
  ASSERT_TRUE(pub.send("blocking send", send_flags::none));
  // The full subscriber lost what did not fit (SNDHWM + RCVHWM); the other one got all.
  const auto slow_got = received(slow);
  ASSERT_EQ(slow_got.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(slow_got[static_cast<std::size_t>(i)], std::to_string(i));
  EXPECT_EQ(received(roomy).size(), 101u);
}

TEST(rfc29_pub, SHALL_drop_multipart_messages_whole_for_a_full_subscriber) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.set(opt::sndhwm, 1);
  pub.bind("inproc://multidrop");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::rcvhwm, 1);
  sub.connect("inproc://multidrop");
  sub.set(opt::subscribe, "");
  for (int i = 0; i < 5; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(send_parts(pub, {n, n, n}, send_flags::dontwait));
  }
  EXPECT_EQ(received(sub), (strings{"0|0|0", "1|1|1"}));
}

TEST(rfc29_pub, SHALL_silently_discard_any_messages_that_subscribers_send_it) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.bind("inproc://discard");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.connect("inproc://discard");
  ASSERT_TRUE(xsub.send("not a subscription"));
  ASSERT_TRUE(send_parts(xsub, {"\x01"
                                "multipart",
                                "is not a subscription either"}));
  ASSERT_TRUE(xsub.send(subscription("T")));
  ASSERT_TRUE(pub.send("T1"));
  ASSERT_TRUE(pub.send("multipart"));
  EXPECT_EQ(recv_string(xsub), "T1");
  EXPECT_TRUE(nothing_to_recv(xsub));
}

TEST(rfc29_pub, SHALL_send_nothing_and_never_block_without_subscribers) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  EXPECT_TRUE(pub.send("into the void"));
  pub.bind("inproc://void");
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(pub.send("still nobody"));
  EXPECT_TRUE(ringmq::any(pub.events() & ringmq::events::pollout));
}

TEST(rfc29_pub, SHALL_destroy_the_queue_and_discard_its_messages_when_a_subscriber_disconnects) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.bind("inproc://destroy");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.connect("inproc://destroy");
  sub.set(opt::subscribe, "");
  ASSERT_TRUE(pub.send("stale 1"));
  ASSERT_TRUE(pub.send("stale 2"));
  sub.disconnect("inproc://destroy");
  EXPECT_TRUE(nothing_to_recv(sub));
  sub.connect("inproc://destroy");  // its subscriptions go to the new connection
  ASSERT_TRUE(pub.send("fresh"));
  EXPECT_EQ(received(sub), strings{"fresh"});
}

TEST(rfc29_sub, SHALL_receive_incoming_messages_from_its_publishers_using_fair_queuing) {
  ringmq::context ctx;
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::subscribe, "");
  std::vector<ringmq::socket> pubs;
  for (int i = 0; i < 4; ++i) {
    pubs.push_back(make_socket(ctx, socket_type::pub));
    const std::string ep = "inproc://pub" + std::to_string(i);
    pubs.back().bind(ep);
    sub.connect(ep);
  }
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(pubs[static_cast<std::size_t>(i)].send(std::to_string(i)));
  for (int round = 0; round < 3; ++round) {
    std::set<std::string> from;
    for (int i = 0; i < 4; ++i) {
      const auto got = recv_string(sub);
      ASSERT_TRUE(got);
      from.insert(*got);
    }
    EXPECT_EQ(from.size(), 4u) << "round " << round;
  }
}

TEST(rfc29_sub, SHALL_create_a_queue_when_connecting_and_maintain_it_until_the_publisher_binds) {
  ringmq::context ctx;
  auto sub = make_socket(ctx, socket_type::sub);
  sub.connect("inproc://later");
  sub.set(opt::subscribe, "news");
  auto pub = make_socket(ctx, socket_type::pub);
  pub.bind("inproc://later");
  ASSERT_TRUE(pub.send("sports"));
  ASSERT_TRUE(pub.send("news flash"));
  EXPECT_EQ(recv_string(sub), "news flash");
  EXPECT_TRUE(nothing_to_recv(sub));
}

TEST(rfc29_sub, SHALL_send_its_subscriptions_to_a_publisher_that_connects_to_it) {
  ringmq::context ctx;
  auto sub = make_socket(ctx, socket_type::sub);
  sub.bind("inproc://sub-binds");
  sub.set(opt::subscribe, "T");
  auto pub = make_socket(ctx, socket_type::pub);
  pub.connect("inproc://sub-binds");
  // The subscription travels once the SUB has seen the connection: wait for it by publishing.
  EXPECT_EQ(publish_until_received(pub, sub, "T probe"), "T probe");
  ASSERT_TRUE(pub.send("U nothing"));
  ASSERT_TRUE(pub.send("T last"));
  strings rest = received(sub);
  std::erase(rest, "T probe");
  EXPECT_EQ(rest, strings{"T last"});
}

// ==== XPUB ===============================================================================

TEST(rfc29_xpub, SHALL_deliver_subscription_commands_to_its_calling_application) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://commands");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.connect("inproc://commands");
  sub.set(opt::subscribe, "topic");
  EXPECT_EQ(recv_string(xpub), subscription("topic"));
  sub.set(opt::subscribe, "");
  EXPECT_EQ(recv_string(xpub), subscription(""));
  sub.set(opt::unsubscribe, "topic");
  EXPECT_EQ(recv_string(xpub), unsubscription("topic"));
  EXPECT_TRUE(nothing_to_recv(xpub));
  ASSERT_TRUE(xpub.send("anything"));  // the "" subscription is still there
  EXPECT_EQ(recv_string(sub), "anything");
}

TEST(rfc29_xpub, MAY_normalize_identical_subscriptions_into_a_single_command) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://normalize");
  auto s1 = make_socket(ctx, socket_type::sub);
  auto s2 = make_socket(ctx, socket_type::sub);
  s1.connect("inproc://normalize");
  s2.connect("inproc://normalize");
  s1.set(opt::subscribe, "A");
  s1.set(opt::subscribe, "A");
  s2.set(opt::subscribe, "A");
  s2.set(opt::subscribe, "B");
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  EXPECT_EQ(recv_string(xpub), subscription("B"));
  EXPECT_TRUE(nothing_to_recv(xpub)) << "only new topics are reported";

  s1.set(opt::unsubscribe, "A");  // s1 still holds one
  s1.set(opt::unsubscribe, "A");  // s1 done, s2 still subscribed
  EXPECT_TRUE(nothing_to_recv(xpub));
  s2.set(opt::unsubscribe, "A");
  EXPECT_EQ(recv_string(xpub), unsubscription("A")) << "the last subscriber left the topic";
}

TEST(rfc29_xpub, reports_every_subscription_with_XPUB_VERBOSE) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_verbose, true);
  xpub.bind("inproc://verbose");
  auto s1 = make_socket(ctx, socket_type::sub);
  auto s2 = make_socket(ctx, socket_type::sub);
  s1.connect("inproc://verbose");
  s2.connect("inproc://verbose");
  s1.set(opt::subscribe, "A");
  s1.set(opt::subscribe, "A");
  s2.set(opt::subscribe, "A");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(recv_string(xpub), subscription("A")) << i;
  EXPECT_TRUE(nothing_to_recv(xpub));
  // Unsubscriptions are still only reported when the topic is gone.
  s1.set(opt::unsubscribe, "A");
  s1.set(opt::unsubscribe, "A");
  EXPECT_TRUE(nothing_to_recv(xpub));
  s2.set(opt::unsubscribe, "A");
  EXPECT_EQ(recv_string(xpub), unsubscription("A"));
}

TEST(rfc29_xpub, reports_every_unsubscription_with_XPUB_VERBOSER) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_verboser, true);
  xpub.bind("inproc://verboser");
  auto s1 = make_socket(ctx, socket_type::sub);
  auto s2 = make_socket(ctx, socket_type::sub);
  s1.connect("inproc://verboser");
  s2.connect("inproc://verboser");
  s1.set(opt::subscribe, "A");
  s2.set(opt::subscribe, "A");
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  EXPECT_EQ(recv_string(xpub), subscription("A")) << "VERBOSER implies VERBOSE";
  s1.set(opt::unsubscribe, "A");
  EXPECT_EQ(recv_string(xpub), unsubscription("A"));
  s2.set(opt::unsubscribe, "A");
  EXPECT_EQ(recv_string(xpub), unsubscription("A"));
  EXPECT_TRUE(nothing_to_recv(xpub));
}

TEST(rfc29_xpub, reports_every_unsubscription_of_a_leaving_subscriber_with_XPUB_VERBOSER) {
  // libzmq xpub_t::xpipe_terminated: with XPUB_VERBOSER the departed subscriber's topics are
  // all reported, also those other subscribers still hold.
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_verboser, true);
  xpub.bind("inproc://verboser-leave");
  auto stays = make_socket(ctx, socket_type::sub);
  stays.connect("inproc://verboser-leave");
  stays.set(opt::subscribe, "shared");
  EXPECT_EQ(recv_string(xpub), subscription("shared"));
  {
    auto leaves = make_socket(ctx, socket_type::sub);
    leaves.connect("inproc://verboser-leave");
    leaves.set(opt::subscribe, "shared");
    leaves.set(opt::subscribe, "own");
    EXPECT_EQ(recv_string(xpub), subscription("shared"));
    EXPECT_EQ(recv_string(xpub), subscription("own"));
  }
  std::set<std::string> gone;
  for (int i = 0; i < 2; ++i) {
    const auto got = recv_string(xpub);
    ASSERT_TRUE(got) << "unsubscription " << i;
    gone.insert(*got);
  }
  EXPECT_EQ(gone, (std::set<std::string>{unsubscription("shared"), unsubscription("own")}));
}

TEST(rfc29_xpub, SHALL_generate_unsubscribe_requests_when_the_subscriber_disconnects) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://leave");
  auto stays = make_socket(ctx, socket_type::sub);
  stays.connect("inproc://leave");
  stays.set(opt::subscribe, "shared");
  EXPECT_EQ(recv_string(xpub), subscription("shared"));
  {
    auto leaves = make_socket(ctx, socket_type::sub);
    leaves.connect("inproc://leave");
    leaves.set(opt::subscribe, "shared");
    leaves.set(opt::subscribe, "own 1");
    leaves.set(opt::subscribe, "own 2");
    EXPECT_EQ(recv_string(xpub), subscription("own 1"));
    EXPECT_EQ(recv_string(xpub), subscription("own 2"));
  }
  std::set<std::string> gone;
  for (int i = 0; i < 2; ++i) {
    const auto got = recv_string(xpub);
    ASSERT_TRUE(got);
    gone.insert(*got);
  }
  EXPECT_EQ(gone, (std::set<std::string>{unsubscription("own 1"), unsubscription("own 2")}));
  EXPECT_TRUE(nothing_to_recv(xpub)) << "\"shared\" still has a subscriber";
  stays.close();
  EXPECT_EQ(recv_string(xpub), unsubscription("shared"));
}

TEST(rfc29_xpub, SHALL_generate_unsubscribe_requests_for_a_subscriber_that_left_before_being_seen) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://quick");
  {
    auto sub = make_socket(ctx, socket_type::sub);
    sub.connect("inproc://quick");
    sub.set(opt::subscribe, "T");
  }
  EXPECT_EQ(recv_string(xpub), subscription("T"));
  EXPECT_EQ(recv_string(xpub), unsubscription("T"));
}

TEST(rfc29_xpub, SHALL_deliver_messages_from_its_subscribers_to_its_calling_application) {
  // rfc 29 asks for fair-queuing here. libzmq's XPUB instead reads each subscriber's pipe
  // to the end whenever it becomes readable (xpub_t::xread_activated), and ringmq does the
  // same: every message arrives whole and in each sender's order, but not interleaved.
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://upstream");
  std::vector<ringmq::socket> xsubs;
  for (int i = 0; i < 3; ++i) {
    xsubs.push_back(make_socket(ctx, socket_type::xsub));
    xsubs.back().connect("inproc://upstream");
  }
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(send_parts(xsubs[static_cast<std::size_t>(i)], {std::to_string(i), std::to_string(round)}));
  std::vector<int> next_round(3, 0);
  for (int n = 0; n < 6; ++n) {
    const auto got = recv_parts(xpub);
    ASSERT_EQ(got.size(), 2u);
    const auto sender = static_cast<std::size_t>(std::stoi(got[0]));
    ASSERT_LT(sender, 3u);
    EXPECT_EQ(got[1], std::to_string(next_round[sender]++)) << "in each sender's order";
  }
  EXPECT_EQ(next_round, (std::vector<int>{2, 2, 2}));
  EXPECT_TRUE(nothing_to_recv(xpub));
}

TEST(rfc29_xpub, SHALL_silently_drop_the_message_if_the_queue_for_a_subscriber_is_full) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::sndhwm, 3);
  xpub.bind("inproc://xdrop");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::rcvhwm, 4);
  sub.connect("inproc://xdrop");
  sub.set(opt::subscribe, "");
  EXPECT_EQ(recv_string(xpub), subscription(""));
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(xpub.send(std::to_string(i), send_flags::dontwait));
  EXPECT_EQ(drain(sub), 7);
}

TEST(rfc29_xpub, would_block_at_SNDHWM_plus_RCVHWM_with_XPUB_NODROP) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::sndhwm, 20);
  xpub.set(opt::xpub_nodrop, true);
  xpub.bind("inproc://nodrop");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::rcvhwm, 30);
  sub.connect("inproc://nodrop");
  sub.set(opt::subscribe, "");
  EXPECT_EQ(recv_string(xpub), subscription(""));

  int sent = 0;
  while (sent < 1000 && xpub.send(std::to_string(sent), send_flags::dontwait)) ++sent;
  EXPECT_EQ(sent, 50);
  xpub.set(opt::sndtimeo, 50ms);
  std::optional<std::size_t> result;
  const auto took = time_of([&] { result = xpub.send("blocked"); });
  EXPECT_FALSE(result);
  EXPECT_GE(took, 50ms);

  for (int i = 0; i < sent; ++i) ASSERT_EQ(recv_string(sub), std::to_string(i)) << "nothing dropped";
  xpub.set(opt::sndtimeo, safety);
  EXPECT_TRUE(xpub.send("after"));
  EXPECT_EQ(recv_string(sub), "after");
}

TEST(rfc29_xpub, with_XPUB_NODROP_carries_every_message_to_a_subscriber_in_another_thread) {
  // libzmq test_hwm_pubsub test_blocking, with a blocking send instead of a retry loop.
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::sndhwm, 5);
  xpub.set(opt::xpub_nodrop, true);
  xpub.bind("inproc://nodrop-threads");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::rcvhwm, 5);
  sub.connect("inproc://nodrop-threads");
  sub.set(opt::subscribe, "");
  ASSERT_EQ(recv_string(xpub), subscription(""));
  constexpr int count = 20000;
  std::thread receiver([&sub] {
    for (int i = 0; i < count; ++i)
      if (recv_string(sub) != std::to_string(i)) return;
  });
  int sent = 0;
  for (; sent < count; ++sent)
    if (!xpub.send(std::to_string(sent))) break;
  receiver.join();
  EXPECT_EQ(sent, count);
}

// Random subscribe/unsubscribe over overlapping topics; after each batch, XPUB must have
// reported exactly the topics that appeared and disappeared, and the SUB must receive exactly
// the messages some live subscription is a prefix of.
void check_against_model(std::uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::sndhwm, 0);
  xpub.set(opt::rcvhwm, 0);
  xpub.bind("inproc://model");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::sndhwm, 0);
  sub.set(opt::rcvhwm, 0);
  sub.connect("inproc://model");

  auto next = [&seed](std::uint32_t bound) {
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 8) % bound;
  };
  auto random_string = [&](std::uint32_t max_len) {
    std::string s;
    const std::uint32_t len = next(max_len + 1);
    for (std::uint32_t i = 0; i < len; ++i) s += "ab\0c"[next(4)];
    return s;
  };

  std::map<std::string, int> model;  // topic -> subscription count
  for (int batch = 0; batch < 40; ++batch) {
    std::set<std::string> appeared;
    std::set<std::string> disappeared;
    for (int op = 0; op < 25; ++op) {
      const std::string topic = random_string(5);
      const bool subscribe = next(3) != 0 || model[topic] == 0;
      if (subscribe) {
        if (model[topic]++ == 0) {
          if (!disappeared.erase(topic)) appeared.insert(topic);
        }
        sub.set(opt::subscribe, topic);
      } else {
        if (--model[topic] == 0) {
          if (!appeared.erase(topic)) disappeared.insert(topic);
        }
        sub.set(opt::unsubscribe, topic);
      }
    }
    // XPUB reports, in order, every topic that became live or dead; compare net effects.
    std::set<std::string> live_changes;
    std::set<std::string> dead_changes;
    while (auto note = recv_string(xpub, recv_flags::dontwait)) {
      ASSERT_FALSE(note->empty());
      const std::string topic = note->substr(1);
      if ((*note)[0] == 1) {
        if (!dead_changes.erase(topic)) live_changes.insert(topic);
      } else {
        if (!live_changes.erase(topic)) dead_changes.insert(topic);
      }
    }
    EXPECT_EQ(live_changes, appeared) << "batch " << batch;
    EXPECT_EQ(dead_changes, disappeared) << "batch " << batch;

    strings expected;
    for (int m = 0; m < 30; ++m) {
      const std::string body = random_string(7);
      bool matches = false;
      for (const auto& [topic, count] : model)
        if (count > 0 && body.compare(0, topic.size(), topic) == 0) matches = true;
      if (matches) expected.push_back(body);
      ASSERT_TRUE(xpub.send(body));
    }
    EXPECT_EQ(received(sub), expected) << "batch " << batch;
  }
}

TEST(rfc29_pubsub, prefix_matching_agrees_with_a_simple_model_under_random_subscriptions) {
  for (std::uint32_t seed : {12345u, 1u, 7u, 99u, 2024u, 31337u}) check_against_model(seed);
}

// ==== XSUB ===============================================================================

TEST(rfc29_xsub, SHALL_send_subscribe_and_unsubscribe_requests_to_publishers) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://xsub");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.connect("inproc://xsub");
  ASSERT_TRUE(xsub.send(subscription("A")));
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  ASSERT_TRUE(xpub.send("A1"));
  ASSERT_TRUE(xpub.send("B1"));
  EXPECT_EQ(recv_string(xsub), "A1");
  EXPECT_TRUE(nothing_to_recv(xsub));
  ASSERT_TRUE(xsub.send(unsubscription("A")));
  EXPECT_EQ(recv_string(xpub), unsubscription("A"));
  ASSERT_TRUE(xpub.send("A2"));
  EXPECT_TRUE(nothing_to_recv(xsub));
}

TEST(rfc29_xsub, counts_duplicate_subscriptions_before_unsubscribing_upstream) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_verbose, true);
  xpub.bind("inproc://xsub-dup");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.connect("inproc://xsub-dup");
  ASSERT_TRUE(xsub.send(subscription("A")));
  ASSERT_TRUE(xsub.send(subscription("A")));
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  EXPECT_EQ(recv_string(xpub), subscription("A")) << "duplicates travel upstream (for XPUB_VERBOSE)";
  ASSERT_TRUE(xsub.send(unsubscription("A")));
  ASSERT_TRUE(xsub.send(unsubscription("never")));
  EXPECT_TRUE(nothing_to_recv(xpub)) << "one subscription to A is left";
  ASSERT_TRUE(xsub.send(unsubscription("A")));
  EXPECT_EQ(recv_string(xpub), unsubscription("A"));
}

TEST(rfc29_xsub, SHALL_send_all_messages_to_all_connected_publishers) {
  ringmq::context ctx;
  auto p1 = make_socket(ctx, socket_type::xpub);
  auto p2 = make_socket(ctx, socket_type::xpub);
  p1.bind("inproc://p1");
  p2.bind("inproc://p2");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.connect("inproc://p1");
  xsub.connect("inproc://p2");
  ASSERT_TRUE(send_parts(xsub, {"hello", "publishers"}));
  ASSERT_TRUE(xsub.send(subscription("T")));
  for (auto* p : {&p1, &p2}) {
    EXPECT_EQ(recv_parts(*p), (strings{"hello", "publishers"}));
    EXPECT_EQ(recv_string(*p), subscription("T"));
  }
}

TEST(rfc29_xsub, SHALL_send_its_subscriptions_to_a_publisher_it_connects_to_later) {
  ringmq::context ctx;
  auto xsub = make_socket(ctx, socket_type::xsub);
  ASSERT_TRUE(xsub.send(subscription("early")));  // no publisher yet
  auto bound = make_socket(ctx, socket_type::xpub);
  bound.bind("inproc://bound");
  xsub.connect("inproc://bound");
  EXPECT_EQ(recv_string(bound), subscription("early"));

  xsub.connect("inproc://not-yet");  // connect before the publisher binds
  auto late = make_socket(ctx, socket_type::xpub);
  late.bind("inproc://not-yet");
  EXPECT_EQ(recv_string(late), subscription("early"));
  ASSERT_TRUE(late.send("early news"));
  EXPECT_EQ(recv_string(xsub), "early news");
}

TEST(rfc29_xsub,
     SHALL_silently_drop_the_message_if_the_outgoing_queue_for_a_publisher_is_full_and_SHALL_NOT_block) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::rcvhwm, 1);
  xpub.bind("inproc://xsub-full");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.set(opt::sndhwm, 1);
  xsub.connect("inproc://xsub-full");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(xsub.send("up " + std::to_string(i))) << i;
  EXPECT_EQ(recv_string(xpub), "up 0");
  EXPECT_EQ(recv_string(xpub), "up 1");
  EXPECT_TRUE(nothing_to_recv(xpub));
}

TEST(rfc29_xsub, and_XPUB_VERBOSER_make_a_proxy_that_passes_subscriptions_both_ways) {
  // SUBs -> [XPUB (VERBOSER) | XSUB] -> XPUB upstream: the proxy forwards every subscription
  // and unsubscription, so upstream sees the topic go away with its last subscriber.
  ringmq::context ctx;
  auto upstream = make_socket(ctx, socket_type::xpub);
  upstream.bind("inproc://upstream");
  auto backend = make_socket(ctx, socket_type::xsub);
  backend.connect("inproc://upstream");
  auto frontend = make_socket(ctx, socket_type::xpub);
  frontend.set(opt::xpub_verboser, true);
  frontend.bind("inproc://frontend");
  auto s1 = make_socket(ctx, socket_type::sub);
  auto s2 = make_socket(ctx, socket_type::sub);
  s1.connect("inproc://frontend");
  s2.connect("inproc://frontend");
  auto forward_one = [&] {
    auto note = frontend.recv();
    return note && backend.send(std::move(*note)).has_value();
  };
  s1.set(opt::subscribe, "A");
  s2.set(opt::subscribe, "A");
  ASSERT_TRUE(forward_one());
  ASSERT_TRUE(forward_one());
  EXPECT_EQ(recv_string(upstream), subscription("A"));
  ASSERT_TRUE(upstream.send("A data"));
  EXPECT_EQ(recv_string(backend), "A data");
  ASSERT_TRUE(frontend.send("A data"));
  EXPECT_EQ(recv_string(s1), "A data");
  EXPECT_EQ(recv_string(s2), "A data");

  s1.set(opt::unsubscribe, "A");
  ASSERT_TRUE(forward_one());
  EXPECT_TRUE(nothing_to_recv(upstream)) << "s2 still wants A";
  s2.set(opt::unsubscribe, "A");
  ASSERT_TRUE(forward_one());
  EXPECT_EQ(recv_string(upstream), unsubscription("A"));
}

TEST(rfc29_xsub, SHALL_not_modify_incoming_messages) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://xsub-verbatim");
  auto xsub = make_socket(ctx, socket_type::xsub);
  xsub.connect("inproc://xsub-verbatim");
  ASSERT_TRUE(xsub.send(subscription("")));
  EXPECT_EQ(recv_string(xpub), subscription(""));
  const std::string binary("\0\x01\xff", 3);
  ASSERT_TRUE(send_parts(xpub, {binary, "", "tail"}));
  EXPECT_EQ(recv_parts(xsub), (strings{binary, "", "tail"}));
}

// ==== Limits on what a subscriber may subscribe to (ringmq; libzmq has none) ============

// Waits for the monitor's next event while using `s`, which takes in its peers'
// subscriptions (and drops a peer over its limits) only when its application calls it.
std::optional<ringmq::socket_event> next_event_while_using(ringmq::socket& s, ringmq::monitor& mon) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (std::chrono::steady_clock::now() < deadline) {
    (void)s.events();
    if (auto e = mon.next(10ms)) return e;
  }
  return std::nullopt;
}

TEST(rfc29_pub, drops_a_subscriber_over_its_subscription_memory_and_not_the_later_ones) {
  // Issue 15, defect 5: all peers shared one 64 MiB budget, so one 64 MiB subscription
  // made every later subscription of every peer a silent no-op.
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  auto mon = pub.monitor(ringmq::monitor_event::limit_exceeded);
  pub.bind("inproc://huge-subscription");
  // Subscribed to everything: an empty topic took none of the old budget, which the bad
  // subscriber can then fill exactly.
  auto early = make_socket(ctx, socket_type::sub);
  early.connect("inproc://huge-subscription");
  early.set(opt::subscribe, "");
  ASSERT_EQ(publish_until_received(pub, early, "early probe"), "early probe");

  auto bad = make_socket(ctx, socket_type::xsub);
  bad.connect("inproc://huge-subscription");
  ASSERT_TRUE(bad.send(subscription(std::string(std::size_t{64} << 20, 'x'))));
  const auto e = next_event_while_using(pub, mon);
  EXPECT_TRUE(e) << "no LIMIT_EXCEEDED event";
  if (e) {
    EXPECT_EQ(e->type, ringmq::monitor_event::limit_exceeded);
    EXPECT_EQ(e->value, static_cast<std::int64_t>(ringmq::peer_limit::subscription_memory));
    EXPECT_EQ(e->endpoint, "inproc://huge-subscription");
  }

  auto late = make_socket(ctx, socket_type::sub);
  late.connect("inproc://huge-subscription");
  late.set(opt::subscribe, "late");
  EXPECT_EQ(publish_until_received(pub, late, "late probe"), "late probe")
      << "a subscription made after the 64 MiB one was ignored";
  // The first subscriber kept its subscription throughout.
  (void)received(early);  // copies of the probes
  ASSERT_TRUE(pub.send("early again"));
  EXPECT_EQ(recv_string(early), "early again");
}

TEST(rfc29_xpub, drops_a_subscriber_over_its_topic_limit_and_reports_its_topics_gone) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::rcvhwm, 0);
  auto mon = xpub.monitor(ringmq::monitor_event::limit_exceeded);
  xpub.bind("inproc://topic-flood");
  auto good = make_socket(ctx, socket_type::sub);
  good.connect("inproc://topic-flood");
  good.set(opt::subscribe, "good");
  EXPECT_EQ(recv_string(xpub), subscription("good"));

  // One more distinct topic than a peer may hold (65536), all queued at once.
  auto bad = make_socket(ctx, socket_type::xsub);
  bad.set(opt::sndhwm, 0);
  bad.connect("inproc://topic-flood");
  for (std::uint32_t i = 0; i <= 65536; ++i) {
    std::string topic(4, '\0');
    std::memcpy(topic.data(), &i, sizeof i);
    ASSERT_TRUE(bad.send(subscription(topic)));
  }
  const auto e = next_event_while_using(xpub, mon);
  ASSERT_TRUE(e) << "no LIMIT_EXCEEDED event";
  EXPECT_EQ(e->value, static_cast<std::int64_t>(ringmq::peer_limit::subscriptions));

  // XPUB saw the 65536 topics it took come and go with the peer; never the one refused.
  std::map<std::string, int> notes;  // "\x01" or "\x00" -> count
  std::set<std::string> topics;
  while (auto note = recv_string(xpub, recv_flags::dontwait)) {
    ++notes[note->substr(0, 1)];
    topics.insert(note->substr(1));
  }
  EXPECT_EQ(notes[subscription("")], 65536);
  EXPECT_EQ(notes[unsubscription("")], 65536);
  EXPECT_EQ(topics.size(), 65536u);
  EXPECT_EQ(topics.count(std::string("\0\0\1\0", 4)), 0u) << "the refused topic was reported";

  ASSERT_TRUE(xpub.send("good news"));
  EXPECT_EQ(recv_string(good), "good news");
}

TEST(rfc29_xpub, holds_each_subscriber_to_XPUB_MAX_SUBSCRIPTIONS) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_max_subscriptions, 2);
  auto mon = xpub.monitor(ringmq::monitor_event::limit_exceeded);
  xpub.bind("inproc://max-subscriptions");
  auto a = make_socket(ctx, socket_type::sub);
  auto b = make_socket(ctx, socket_type::sub);
  a.connect("inproc://max-subscriptions");
  b.connect("inproc://max-subscriptions");
  for (const char* topic : {"A1", "A2"}) a.set(opt::subscribe, topic);
  for (const char* topic : {"A1", "B1"}) b.set(opt::subscribe, topic);  // the limit is each one's
  EXPECT_EQ(recv_string(xpub), subscription("A1"));
  EXPECT_EQ(recv_string(xpub), subscription("A2"));
  EXPECT_EQ(recv_string(xpub), subscription("B1"));

  a.set(opt::subscribe, "A3");
  const auto e = next_event_while_using(xpub, mon);
  ASSERT_TRUE(e) << "no LIMIT_EXCEEDED event";
  EXPECT_EQ(e->value, static_cast<std::int64_t>(ringmq::peer_limit::subscriptions));
  // `a` is gone with its topics: A2 was its alone, A1 is still b's.
  EXPECT_EQ(recv_string(xpub), unsubscription("A2"));
  EXPECT_TRUE(nothing_to_recv(xpub));
  ASSERT_TRUE(xpub.send("A1 news"));
  EXPECT_EQ(recv_string(b), "A1 news");
  EXPECT_TRUE(nothing_to_recv(a));
}

}  // namespace
}  // namespace ringmq_test
