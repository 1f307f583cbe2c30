// rfc 30 (PIPELINE): PUSH and PULL, over inproc. Each test is named after the SHALL it checks.
#include "spec/support.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ringmq_test {
namespace {

constexpr int services = 5;

// ---- PUSH ------------------------------------------------------------------------------

TEST(rfc30_push, SHALL_route_outgoing_messages_to_available_peers_using_round_robin) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.bind("inproc://rr");
  std::vector<ringmq::socket> pulls;
  for (int i = 0; i < services; ++i) {
    pulls.push_back(make_socket(ctx, socket_type::pull));
    pulls.back().connect("inproc://rr");
  }
  // Two rounds: every peer must get exactly one message of each round.
  for (int i = 0; i < 2 * services; ++i) ASSERT_TRUE(push.send(std::to_string(i)));
  std::set<int> first_round;
  for (auto& pull : pulls) {
    const auto a = recv_string(pull);
    const auto b = recv_string(pull);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(std::stoi(*b), std::stoi(*a) + services) << "the second round must follow the same rotation";
    first_round.insert(std::stoi(*a));
    EXPECT_TRUE(nothing_to_recv(pull));
  }
  EXPECT_EQ(first_round.size(), static_cast<std::size_t>(services));
}

TEST(rfc30_push, SHALL_route_outgoing_messages_using_round_robin_when_it_connects_to_its_peers) {
  ringmq::context ctx;
  std::vector<ringmq::socket> pulls;
  auto push = make_socket(ctx, socket_type::push);
  for (int i = 0; i < services; ++i) {
    pulls.push_back(make_socket(ctx, socket_type::pull));
    const std::string ep = "inproc://pull" + std::to_string(i);
    pulls.back().bind(ep);
    push.connect(ep);
  }
  for (int i = 0; i < 3 * services; ++i) ASSERT_TRUE(push.send("job"));
  for (auto& pull : pulls) {
    EXPECT_EQ(drain(pull), 3);
  }
}

TEST(rfc30_push, SHALL_consider_a_peer_available_only_when_its_outgoing_queue_is_not_full) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  auto small = make_socket(ctx, socket_type::pull);
  small.set(opt::rcvhwm, 1);  // this pipe holds 1 + 1 messages
  auto large = make_socket(ctx, socket_type::pull);
  large.set(opt::rcvhwm, 100);  // this one 1 + 100
  small.bind("inproc://small");
  large.bind("inproc://large");
  push.connect("inproc://small");
  push.connect("inproc://large");

  for (int i = 0; i < 20; ++i) ASSERT_TRUE(push.send("x", send_flags::dontwait)) << "message " << i;
  EXPECT_EQ(drain(small), 2);
  EXPECT_EQ(drain(large), 18);
}

TEST(rfc30_push, SHALL_block_on_sending_or_return_a_suitable_error_when_it_has_no_available_peers) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  EXPECT_FALSE(push.send("x", send_flags::dontwait));
  push.set(opt::sndtimeo, 50ms);
  std::optional<std::size_t> sent;
  const auto took = time_of([&] { sent = push.send("x"); });
  EXPECT_FALSE(sent);
  EXPECT_GE(took, 50ms);
}

TEST(rfc30_push, SHALL_not_accept_further_messages_when_it_has_no_available_peers) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 2);
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 3);
  pull.bind("inproc://full");
  push.connect("inproc://full");
  EXPECT_EQ(send_until_blocked(push), 5);
  EXPECT_FALSE(ringmq::any(push.events() & ringmq::events::pollout));
  // Even a multipart message is refused whole.
  EXPECT_FALSE(send_parts(push, {"a", "b"}, send_flags::dontwait));
  EXPECT_EQ(drain(pull), 5);
}

TEST(rfc30_push, SHALL_NOT_discard_messages_that_it_cannot_queue) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.bind("inproc://nodiscard");
  push.connect("inproc://nodiscard");

  // Send 0..99 as fast as the queue allows; a refused message is kept by the caller and
  // retried after the receiver made room. The receiver must see every number once, in order.
  int next_to_send = 0;
  int next_expected = 0;
  while (next_expected < 100) {
    while (next_to_send < 100) {
      ringmq::message m(std::to_string(next_to_send));
      if (!push.send(std::move(m), send_flags::dontwait)) {
        // A refused send leaves the message with the caller (the contract checked here).
        EXPECT_EQ(m.to_string(), std::to_string(next_to_send))  // NOLINT(bugprone-use-after-move)
            << "a refused message must stay with the caller";
        break;
      }
      ++next_to_send;
    }
    auto got = recv_string(pull);
    ASSERT_TRUE(got);
    ASSERT_EQ(*got, std::to_string(next_expected));
    ++next_expected;
  }
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(rfc30_push, SHALL_create_the_queue_when_initiating_a_connection_and_keep_it_until_the_peer_binds) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://later");
  ASSERT_TRUE(push.send("one", send_flags::dontwait));
  ASSERT_TRUE(push.send("two", send_flags::dontwait));
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://later");
  EXPECT_EQ(recv_string(pull), "one");
  EXPECT_EQ(recv_string(pull), "two");
}

TEST(rfc30_push, SHALL_only_send_messages) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  ringmq::message m;
  std::error_code ec;
  EXPECT_FALSE(push.recv(m, recv_flags::dontwait, ec));
  EXPECT_EQ(ec, ringmq::errc::not_supported);
  EXPECT_THROW((void)push.recv(), ringmq::error);
  EXPECT_FALSE(ringmq::any(push.events() & ringmq::events::pollin));
}

TEST(rfc30_push_pull, SHALL_not_filter_or_modify_messages_in_any_way) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://verbatim");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://verbatim");

  const std::string binary("\0\1\2\xff zero\0inside", 16);
  const std::string large(100000, 'L');
  const std::string nul("\0", 1);
  ASSERT_TRUE(send_parts(push, {"", binary, large, "\x01subscribe-looking", nul}));
  const auto got = recv_parts(pull);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], "");
  EXPECT_EQ(got[1], binary);
  EXPECT_EQ(got[2], large);
  EXPECT_EQ(got[3], "\x01subscribe-looking");
  EXPECT_EQ(got[4], nul);
}

TEST(rfc30_push_pull, SHALL_deliver_a_multipart_message_whole_to_one_peer) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.bind("inproc://whole");
  auto a = make_socket(ctx, socket_type::pull);
  auto b = make_socket(ctx, socket_type::pull);
  a.connect("inproc://whole");
  b.connect("inproc://whole");
  for (int i = 0; i < 10; ++i) {
    const std::string n = std::to_string(i);
    ASSERT_TRUE(send_parts(push, {n, n, n}));
  }
  int total = 0;
  for (auto* pull : {&a, &b}) {
    for (;;) {
      const auto parts = recv_parts(*pull, recv_flags::dontwait);
      if (parts.empty()) break;
      ASSERT_EQ(parts.size(), 3u);
      EXPECT_EQ(parts[0], parts[1]);
      EXPECT_EQ(parts[1], parts[2]);
      ++total;
    }
  }
  EXPECT_EQ(total, 10);
}

TEST(rfc30_push_pull, SHALL_deliver_messages_of_many_parts_whole) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://many-parts");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://many-parts");
  std::vector<std::string> parts;
  for (int i = 0; i < 300; ++i) parts.push_back(std::to_string(i));
  for (int round = 0; round < 3; ++round) ASSERT_EQ(push.send_multipart(parts), parts.size());
  for (int round = 0; round < 3; ++round) EXPECT_EQ(recv_parts(pull), parts) << "round " << round;
  // An unfinished message of many parts is dropped whole when its sender closes.
  for (int i = 0; i < 250; ++i) ASSERT_TRUE(push.send(std::to_string(i), send_flags::sndmore));
  push.close();
  EXPECT_FALSE(wait_readable(pull, 0ms));
}

TEST(rfc30_push_pull, SHALL_deliver_all_parts_or_none_when_the_queue_is_full) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.bind("inproc://atomic");
  push.connect("inproc://atomic");
  const std::string big(1 << 20, 'b');
  ASSERT_TRUE(send_parts(push, {"1", "1", big}, send_flags::dontwait));
  ASSERT_TRUE(send_parts(push, {"2", "2", big}, send_flags::dontwait));
  EXPECT_FALSE(send_parts(push, {"3", "3", big}, send_flags::dontwait));
  const auto first = recv_parts(pull);
  const auto second = recv_parts(pull);
  ASSERT_EQ(first.size(), 3u);
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(first[0], "1");
  EXPECT_EQ(second[0], "2");
  EXPECT_EQ(second[2].size(), big.size());
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(rfc30_push_pull, SHALL_never_deliver_an_unfinished_multipart_message_of_a_closed_sender) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://unfinished");
  {
    auto push = make_socket(ctx, socket_type::push);
    push.connect("inproc://unfinished");
    ASSERT_TRUE(push.send("complete"));
    ASSERT_TRUE(push.send("part 1", send_flags::sndmore));
    ASSERT_TRUE(push.send("part 2", send_flags::sndmore));
  }  // closed without the last part
  EXPECT_EQ(recv_parts(pull), strings{"complete"});
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(rfc30_push_pull, SHALL_drop_the_rest_of_a_multipart_message_whose_peer_disconnected) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  auto a = make_socket(ctx, socket_type::pull);
  auto b = make_socket(ctx, socket_type::pull);
  a.bind("inproc://a");
  b.bind("inproc://b");
  push.connect("inproc://a");
  push.connect("inproc://b");
  // Find out which peer is next, then start a multipart message to it.
  ASSERT_TRUE(push.send("probe"));
  const bool a_got_probe = wait_readable(a, 0ms);
  ringmq::socket& next = a_got_probe ? b : a;  // round-robin: the other one is next
  ringmq::socket& other = a_got_probe ? a : b;
  ASSERT_EQ(drain(other), 1);
  ASSERT_TRUE(push.send("head", send_flags::sndmore));
  next.close();  // the peer of the unfinished message goes away
  ASSERT_TRUE(push.send("tail"));
  ASSERT_TRUE(push.send("whole"));
  ringmq::socket& second = other;
  EXPECT_EQ(recv_parts(second), strings{"whole"});
  EXPECT_TRUE(nothing_to_recv(second));
}

TEST(rfc30_push_pull, SHALL_destroy_the_queue_and_discard_its_messages_when_the_peer_disconnects) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  push.bind("inproc://destroy");
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.connect("inproc://destroy");

  ASSERT_TRUE(push.send("ABC"));
  ASSERT_TRUE(push.send("DEF"));
  EXPECT_FALSE(push.send("full", send_flags::dontwait));

  pull.disconnect("inproc://destroy");
  EXPECT_TRUE(nothing_to_recv(pull));
  EXPECT_FALSE(push.send("no peer", send_flags::dontwait));

  pull.connect("inproc://destroy");
  EXPECT_TRUE(nothing_to_recv(pull)) << "old messages must be gone after a reconnect";
  EXPECT_TRUE(push.send("GHI", send_flags::dontwait));
  EXPECT_TRUE(push.send("JKL", send_flags::dontwait));
  EXPECT_FALSE(push.send("full", send_flags::dontwait));
  EXPECT_EQ(recv_string(pull), "GHI");
  EXPECT_EQ(recv_string(pull), "JKL");
}

// ---- queue limits -----------------------------------------------------------------------

struct hwm_case {
  int sndhwm;
  int rcvhwm;
  bool bind_first;
  int expected;  // messages accepted before dontwait send would block
};

class rfc30_hwm : public ::testing::TestWithParam<hwm_case> {};

TEST_P(rfc30_hwm, SHOULD_constrain_queue_sizes_to_SNDHWM_plus_RCVHWM_on_inproc) {
  const hwm_case c = GetParam();
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  auto pull = make_socket(ctx, socket_type::pull);
  push.set(opt::sndhwm, c.sndhwm);
  pull.set(opt::rcvhwm, c.rcvhwm);
  if (c.bind_first) {
    pull.bind("inproc://hwm");
    push.connect("inproc://hwm");
  } else {
    push.connect("inproc://hwm");
    pull.bind("inproc://hwm");
  }
  const int limit = 10000;
  const int sent = send_until_blocked(push, limit);
  EXPECT_EQ(sent, c.expected);
  EXPECT_EQ(drain(pull), sent);
  // Room again: one more message goes through (blocking send, safety timeout).
  EXPECT_TRUE(push.send(std::string_view{}));
  EXPECT_TRUE(pull.recv());
}

INSTANTIATE_TEST_SUITE_P(inproc, rfc30_hwm,
                         ::testing::Values(hwm_case{1000, 1000, true, 2000},  // libzmq test_hwm: defaults
                                           hwm_case{1000, 1000, false, 2000}, hwm_case{1, 1, true, 2},
                                           hwm_case{1, 1, false, 2}, hwm_case{0, 0, true, 10000},
                                           hwm_case{0, 0, false, 10000}, hwm_case{1, 0, true, 10000},
                                           hwm_case{0, 1, false, 10000}, hwm_case{3, 7, true, 10}));

TEST(rfc30_hwm_defaults, default_queue_holds_2000_messages_as_in_libzmq) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  ringmq::socket push(ctx, socket_type::push);
  pull.bind("inproc://defaults");
  push.connect("inproc://defaults");
  EXPECT_EQ(send_until_blocked(push), 2000);
  EXPECT_EQ(drain(pull), 2000);
}

TEST(rfc30_hwm_defaults, messages_queued_before_bind_by_a_closed_sender_are_delivered) {
  // libzmq test_hwm "connect and close first": SNDHWM 1 and no receiver yet: one message
  // is queued; it survives the sender's close and reaches the receiver that binds later.
  ringmq::context ctx;
  int sent = 0;
  {
    ringmq::socket push(ctx, socket_type::push);
    push.set(opt::sndhwm, 1);
    push.connect("inproc://orphan");
    sent = send_until_blocked(push, 10000);
  }
  EXPECT_EQ(sent, 1);
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 0);
  pull.bind("inproc://orphan");
  EXPECT_TRUE(wait_readable(pull, 1s));
  EXPECT_EQ(drain(pull), sent);
}

TEST(rfc30_hwm_defaults, messages_queued_before_bind_by_a_sender_closed_with_LINGER_0_are_dropped) {
  ringmq::context ctx;
  {
    ringmq::socket push(ctx, socket_type::push);
    push.set(opt::linger, 0ms);
    push.connect("inproc://no-linger");
    ASSERT_TRUE(push.send("dropped at close", send_flags::dontwait));
  }
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://no-linger");
  EXPECT_FALSE(wait_readable(pull, 50ms));
}

// ---- PULL ------------------------------------------------------------------------------

TEST(rfc30_pull, SHALL_receive_incoming_messages_from_its_peers_using_fair_queuing) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://fq");
  std::vector<ringmq::socket> pushes;
  for (int i = 0; i < services; ++i) {
    pushes.push_back(make_socket(ctx, socket_type::push));
    pushes.back().connect("inproc://fq");
  }
  // Every peer queues three messages at once; reading must take turns among peers.
  for (int i = 0; i < services; ++i)
    for (int round = 0; round < 3; ++round)
      ASSERT_TRUE(pushes[static_cast<std::size_t>(i)].send(std::to_string(i) + ":" + std::to_string(round)));
  for (int round = 0; round < 3; ++round) {
    std::set<std::string> senders;
    for (int i = 0; i < services; ++i) {
      const auto got = recv_string(pull);
      ASSERT_TRUE(got);
      const auto colon = got->find(':');
      EXPECT_EQ(got->substr(colon + 1), std::to_string(round));
      senders.insert(got->substr(0, colon));
    }
    EXPECT_EQ(senders.size(), static_cast<std::size_t>(services)) << "round " << round;
  }
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(rfc30_pull, SHALL_deliver_messages_of_one_peer_in_order) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://order");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://order");
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(push.send(std::to_string(i)));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(recv_string(pull), std::to_string(i));
}

TEST(rfc30_pull, SHALL_create_the_queue_when_initiating_a_connection_before_the_peer_binds) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.connect("inproc://pull-first");
  auto push = make_socket(ctx, socket_type::push);
  push.bind("inproc://pull-first");
  ASSERT_TRUE(push.send("hello"));
  EXPECT_EQ(recv_string(pull), "hello");
}

TEST(rfc30_pull, SHALL_only_receive_messages) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://only");
  std::error_code ec;
  EXPECT_FALSE(pull.send(ringmq::message("x"), send_flags::dontwait, ec));
  EXPECT_EQ(ec, ringmq::errc::not_supported);
  EXPECT_THROW(pull.send("x"), ringmq::error);
  EXPECT_FALSE(ringmq::any(pull.events() & ringmq::events::pollout));
}

TEST(rfc30_push_pull, SHALL_carry_every_message_between_threads_under_back_pressure) {
  // Many more messages than the queue holds, sender and receiver on different threads: the
  // credit protocol must wake the sender each time the receiver makes room.
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 4);
  pull.bind("inproc://threads");
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 3);
  push.connect("inproc://threads");
  constexpr int count = 20000;
  std::thread sender([&push] {
    for (int i = 0; i < count; ++i)
      if (!push.send(std::to_string(i))) return;
  });
  int received = 0;
  for (; received < count; ++received) {
    const auto got = recv_string(pull);
    if (!got || *got != std::to_string(received)) break;
  }
  sender.join();
  EXPECT_EQ(received, count);
}

}  // namespace
}  // namespace ringmq_test
