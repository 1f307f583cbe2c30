// The options libzmq 4.3 adds to the rfc patterns, with libzmq's semantics (its
// zmq_setsockopt page and tests test_xpub_manual, test_xpub_welcome_msg, test_probe_router,
// test_router_notify, test_spec_pushpull's inverted cousins, test_conflate): INVERT_MATCHING,
// XPUB_WELCOME_MSG, XPUB_MANUAL, XPUB_MANUAL_LAST_VALUE, PROBE_ROUTER, ROUTER_NOTIFY and
// CONFLATE.
// Over inproc, and over tcp where the handshake changes when things happen.
#include "spec/support.hpp"

#include <set>
#include <string>
#include <vector>

namespace ringmq_test {
namespace {

std::string subscription(std::string_view topic) { return std::string(1, '\x01') + std::string(topic); }
std::string unsubscription(std::string_view topic) { return std::string(1, '\x00') + std::string(topic); }

class over : public ::testing::TestWithParam<std::string> {
 protected:
  // Binds `s` to a fresh endpoint of the parameter's transport; returns where to connect.
  std::string bind(ringmq::socket& s, std::string_view name) {
    if (GetParam() == "inproc") {
      s.bind("inproc://" + std::string(name));
      return "inproc://" + std::string(name);
    }
    s.bind("tcp://127.0.0.1:*");
    return s.get(opt::last_endpoint);
  }
};

// ==== INVERT_MATCHING =====================================================================

TEST_P(over, INVERT_MATCHING_delivers_what_matches_no_subscription) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  auto sub = make_socket(ctx, socket_type::sub);
  pub.set(opt::invert_matching, true);
  sub.set(opt::invert_matching, true);
  const std::string ep = bind(pub, "invert");
  sub.connect(ep);
  sub.set(opt::subscribe, "A");
  // Until the subscription reaches the PUB, an inverted PUB sends everything to this SUB
  // (it matches nothing yet) and the SUB drops "A..." itself: wait for a "B" to arrive.
  const auto deadline = std::chrono::steady_clock::now() + safety;
  for (;;) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no \"B\" came through";
    ASSERT_TRUE(pub.send(std::string_view("B0"), send_flags::dontwait));
    if (wait_readable(sub, 10ms)) break;
  }
  while (recv_string(sub, recv_flags::dontwait)) {
  }
  // The PUB now holds "A": it sends the "A" messages to nobody, "B" ones to the SUB.
  ASSERT_TRUE(pub.send(std::string_view("A1")));
  ASSERT_TRUE(pub.send(std::string_view("B1")));
  ASSERT_TRUE(pub.send(std::string_view("A2")));
  ASSERT_TRUE(pub.send(std::string_view("B2")));
  EXPECT_EQ(recv_string(sub), "B1");
  EXPECT_EQ(recv_string(sub), "B2");
  EXPECT_TRUE(nothing_to_recv(sub));
}

TEST(libzmq_options, INVERT_MATCHING_on_XPUB_sends_to_the_peers_no_subscription_matches) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::invert_matching, true);
  xpub.bind("inproc://xinvert");
  auto wants_a = make_socket(ctx, socket_type::xsub);
  auto wants_b = make_socket(ctx, socket_type::xsub);
  wants_a.set(opt::invert_matching, true);  // or they drop what they did not subscribe to
  wants_b.set(opt::invert_matching, true);
  wants_a.connect("inproc://xinvert");
  wants_b.connect("inproc://xinvert");
  ASSERT_TRUE(wants_a.send(subscription("A")));
  ASSERT_TRUE(wants_b.send(subscription("B")));
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  EXPECT_EQ(recv_string(xpub), subscription("B"));
  ASSERT_TRUE(xpub.send(std::string_view("A-msg")));
  ASSERT_TRUE(xpub.send(std::string_view("C-msg")));
  EXPECT_EQ(recv_string(wants_b), "A-msg");
  EXPECT_EQ(recv_string(wants_b), "C-msg");
  EXPECT_EQ(recv_string(wants_a), "C-msg");
  EXPECT_TRUE(nothing_to_recv(wants_a));
}

TEST(libzmq_options, INVERT_MATCHING_is_an_option_of_every_socket_and_reads_back) {
  // libzmq keeps it with the generic options: any type may set and read it.
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  EXPECT_FALSE(push.get(opt::invert_matching));
  push.set(opt::invert_matching, true);
  EXPECT_TRUE(push.get(opt::invert_matching));
  std::error_code ec;
  push.set_option(ringmq::option::invert_matching, std::int64_t{2}, ec);
  EXPECT_TRUE(ec);
}

// ==== XPUB_WELCOME_MSG ====================================================================

TEST_P(over, XPUB_WELCOME_MSG_greets_each_new_subscriber) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_welcome_msg, "W-hello");
  xpub.set(opt::xpub_verbose, true);  // each subscriber's "W" is surfaced
  const std::string ep = bind(xpub, "welcome");
  std::vector<ringmq::socket> subs;
  for (int i = 0; i < 2; ++i) {
    auto& sub = subs.emplace_back(make_socket(ctx, socket_type::sub));
    sub.set(opt::subscribe, "W");  // the welcome is filtered like any message
    sub.connect(ep);
    // The XPUB takes the new peer in while it works (this recv), as libzmq's does.
    EXPECT_EQ(recv_string(xpub), subscription("W"));
    EXPECT_EQ(recv_string(sub), "W-hello") << "subscriber " << i;
  }
}

TEST(libzmq_options, an_empty_XPUB_WELCOME_MSG_turns_the_welcome_off) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_welcome_msg, "W-hello");
  xpub.set(opt::xpub_welcome_msg, "");
  xpub.bind("inproc://no-welcome");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::subscribe, "");
  sub.connect("inproc://no-welcome");
  EXPECT_EQ(recv_string(xpub), subscription(""));
  ASSERT_TRUE(xpub.send(std::string_view("first")));
  EXPECT_EQ(recv_string(sub), "first");
}

// ==== XPUB_MANUAL / XPUB_MANUAL_LAST_VALUE ================================================

TEST_P(over, XPUB_MANUAL_applies_only_the_subscriptions_the_application_grants) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_manual, true);
  const std::string ep = bind(xpub, "manual");
  auto sub = make_socket(ctx, socket_type::sub);
  sub.connect(ep);
  sub.set(opt::subscribe, "A");
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  // Not granted: nothing reaches the subscriber.
  ASSERT_TRUE(xpub.send(std::string_view("A-before")));
  // Granted for the peer whose subscription was received last.
  xpub.set(opt::subscribe, "A");
  ASSERT_TRUE(xpub.send(std::string_view("A-after")));
  EXPECT_EQ(recv_string(sub), "A-after") << "only what was sent after the grant";
  // Taken back.
  xpub.set(opt::unsubscribe, "A");
  ASSERT_TRUE(xpub.send(std::string_view("A-revoked")));
  ASSERT_TRUE(xpub.send(std::string_view("A-revoked")));
  // A second subscription, granted, shows the revoked ones never came.
  sub.set(opt::subscribe, "B");
  EXPECT_EQ(recv_string(xpub), subscription("B"));
  xpub.set(opt::subscribe, "B");
  ASSERT_TRUE(xpub.send(std::string_view("B-granted")));
  EXPECT_EQ(recv_string(sub), "B-granted");
  // A leaving peer's requests come back as cancels, each of them.
  sub.close();
  std::set<std::string> gone;
  for (int i = 0; i < 2; ++i) gone.insert(recv_string(xpub).value_or("(none)"));
  EXPECT_EQ(gone, (std::set<std::string>{unsubscription("A"), unsubscription("B")}));
}

TEST(libzmq_options, SUBSCRIBE_on_an_XPUB_needs_XPUB_MANUAL) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  std::error_code ec;
  xpub.set_option(ringmq::option::subscribe, std::string_view("A"), ec);
  EXPECT_TRUE(ec);
  xpub.set(opt::xpub_manual, true);
  xpub.set(opt::subscribe, "A");  // no subscription received yet: nothing happens
  auto pub = make_socket(ctx, socket_type::pub);
  pub.set_option(ringmq::option::xpub_manual, std::int64_t{1}, ec);
  EXPECT_TRUE(ec) << "PUB never surfaces subscriptions";
}

TEST(libzmq_options, XPUB_MANUAL_LAST_VALUE_sends_the_next_message_to_the_granted_peer_only) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.set(opt::xpub_manual_last_value, true);
  xpub.bind("inproc://last-value");
  auto early = make_socket(ctx, socket_type::sub);
  early.connect("inproc://last-value");
  early.set(opt::subscribe, "A");
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  xpub.set(opt::subscribe, "A");
  ASSERT_TRUE(xpub.send(std::string_view("A-1")));  // the early one's last value
  EXPECT_EQ(recv_string(early), "A-1");
  auto late = make_socket(ctx, socket_type::sub);
  late.connect("inproc://last-value");
  late.set(opt::subscribe, "A");
  EXPECT_EQ(recv_string(xpub), subscription("A"));
  xpub.set(opt::subscribe, "A");
  ASSERT_TRUE(xpub.send(std::string_view("A-1")));  // the late one's last value
  ASSERT_TRUE(xpub.send(std::string_view("A-2")));  // everyone's
  EXPECT_EQ(recv_string(late), "A-1");
  EXPECT_EQ(recv_string(late), "A-2");
  EXPECT_EQ(recv_string(early), "A-2") << "the early subscriber did not get the last value twice";
  EXPECT_TRUE(nothing_to_recv(early));
}

// ==== PROBE_ROUTER ========================================================================

TEST_P(over, PROBE_ROUTER_on_a_DEALER_announces_it_to_the_ROUTER) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  const std::string ep = bind(router, "probe-dealer");
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.set(opt::routing_id, "D");
  dealer.set(opt::probe_router, true);
  dealer.connect(ep);
  EXPECT_EQ(recv_parts(router), (strings{"D", ""}));
  ASSERT_TRUE(send_parts(router, {"D", "hello"}));
  EXPECT_EQ(recv_string(dealer), "hello");
}

TEST_P(over, PROBE_ROUTER_on_a_ROUTER_sends_each_new_peer_an_empty_message) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  router.set(opt::probe_router, true);
  const std::string ep = bind(router, "probe-router");
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.connect(ep);
  // The ROUTER takes the new peer in when it next works (here: reading its events), as
  // libzmq's does.
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (!wait_readable(dealer, 1ms) && std::chrono::steady_clock::now() < deadline)
    (void)router.get(opt::events);
  EXPECT_EQ(recv_string(dealer, recv_flags::dontwait), "");
}

// ==== ROUTER_NOTIFY =======================================================================

TEST_P(over, ROUTER_NOTIFY_reports_connects_and_disconnects_as_empty_messages) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  router.set(opt::router_notify, ringmq::router_notify_connect | ringmq::router_notify_disconnect);
  EXPECT_EQ(router.get(opt::router_notify), ringmq::router_notify_connect | ringmq::router_notify_disconnect);
  const std::string ep = bind(router, "notify");
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.set(opt::routing_id, "D");
  dealer.connect(ep);
  EXPECT_EQ(recv_parts(router), (strings{"D", ""})) << "connect";
  ASSERT_TRUE(dealer.send(std::string_view("last words")));
  dealer.close();
  EXPECT_EQ(recv_parts(router), (strings{"D", "last words"}));
  EXPECT_EQ(recv_parts(router), (strings{"D", ""})) << "disconnect, after the peer's messages";
}

TEST_P(over, ROUTER_NOTIFY_on_a_connecting_ROUTER_reports_once_the_peer_is_known) {
  ringmq::context ctx;
  auto bound = make_socket(ctx, socket_type::router);
  bound.set(opt::routing_id, "B");
  const std::string ep = bind(bound, "notify-connecting");
  auto router = make_socket(ctx, socket_type::router);
  router.set(opt::router_notify, ringmq::router_notify_connect);
  router.connect(ep);
  EXPECT_EQ(recv_parts(router), (strings{"B", ""}));
}

TEST(libzmq_options, ROUTER_NOTIFY_takes_only_its_two_bits) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  EXPECT_EQ(router.get(opt::router_notify), 0);
  std::error_code ec;
  router.set_option(ringmq::option::router_notify, std::int64_t{4}, ec);
  EXPECT_TRUE(ec);
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.set_option(ringmq::option::router_notify, std::int64_t{1}, ec);
  EXPECT_TRUE(ec) << "a ROUTER option";
}

// ==== CONFLATE ============================================================================

TEST_P(over, CONFLATE_hands_out_only_the_newest_message) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  auto push = make_socket(ctx, socket_type::push);
  pull.set(opt::conflate, true);
  pull.set(opt::rcvhwm, 10);  // ignored with CONFLATE: nothing sent is refused or held back
  const std::string ep = bind(pull, "conflate");
  push.connect(ep);
  constexpr int count = 1000;
  for (int i = 0; i < count; ++i) ASSERT_TRUE(push.send(std::to_string(i), send_flags::dontwait)) << i;
  // Each recv hands out the newest message that has arrived: never an older one than the
  // last, ending with the last sent. Over inproc every send has arrived already.
  int last = -1;
  int receives = 0;
  while (last != count - 1) {
    const auto got = recv_string(pull);
    ASSERT_TRUE(got) << "after " << last;
    ASSERT_GT(std::stoi(*got), last);
    last = std::stoi(*got);
    ++receives;
  }
  if (GetParam() == "inproc") {
    EXPECT_EQ(receives, 1);
  }
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(libzmq_options, CONFLATE_never_splits_or_merges_a_multipart_message) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  auto push = make_socket(ctx, socket_type::push);
  pull.set(opt::conflate, true);
  pull.bind("inproc://conflate-parts");
  push.connect("inproc://conflate-parts");
  ASSERT_TRUE(push.send(std::string_view("1")));
  ASSERT_TRUE(send_parts(push, {"a", "b"}));
  ASSERT_TRUE(push.send(std::string_view("2")));
  ASSERT_TRUE(push.send(std::string_view("3")));
  // "1" gives way to the newer message, which has two parts: it is delivered whole, and
  // conflation goes on after it.
  EXPECT_EQ(recv_parts(pull), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(recv_parts(pull), (std::vector<std::string>{"3"}));
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(libzmq_options, CONFLATE_on_a_SUB_keeps_the_newest_matching_message) {
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  auto sub = make_socket(ctx, socket_type::sub);
  sub.set(opt::conflate, true);
  sub.set(opt::subscribe, "A");
  pub.bind("inproc://conflate-sub");
  sub.connect("inproc://conflate-sub");
  ASSERT_TRUE(pub.send(std::string_view("A1")));
  ASSERT_TRUE(pub.send(std::string_view("A2")));
  ASSERT_TRUE(pub.send(std::string_view("B3")));
  EXPECT_EQ(recv_string(sub), "A2");
  EXPECT_TRUE(nothing_to_recv(sub));
}

TEST(libzmq_options, CONFLATE_is_refused_by_the_types_that_only_send_and_ignored_by_the_rest) {
  ringmq::context ctx;
  for (const socket_type t : {socket_type::pub, socket_type::push}) {
    auto s = make_socket(ctx, t);
    EXPECT_EQ(thrown_code([&] { s.set(opt::conflate, true); }), ringmq::errc::not_supported)
        << "ringmq has no outbound conflation";
    s.set(opt::conflate, false);
  }
  auto req = make_socket(ctx, socket_type::req);
  req.set(opt::conflate, true);  // libzmq ignores it on REQ: so does ringmq
  EXPECT_TRUE(req.get(opt::conflate));
}

INSTANTIATE_TEST_SUITE_P(libzmq_options, over, ::testing::Values("inproc", "tcp"),
                         [](const auto& param) { return param.param; });

}  // namespace
}  // namespace ringmq_test
