// rfc 31 (EXPAIR): PAIR, over inproc. Each test is named after the SHALL it checks.
#include "spec/support.hpp"

#include <string>
#include <thread>

namespace ringmq_test {
namespace {

TEST(rfc31_pair, MAY_both_send_and_receive_messages) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.bind("inproc://pair");
  b.connect("inproc://pair");
  ASSERT_TRUE(b.send("ping"));
  EXPECT_EQ(recv_string(a), "ping");
  ASSERT_TRUE(a.send("pong"));
  EXPECT_EQ(recv_string(b), "pong");
}

TEST(rfc31_pair, SHALL_not_filter_or_modify_outgoing_or_incoming_messages) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.bind("inproc://verbatim");
  b.connect("inproc://verbatim");
  const std::string binary("\0\x01\xfe\xff", 4);
  const std::string big(70000, 'z');
  ASSERT_TRUE(send_parts(a, {"", binary, big}));
  EXPECT_EQ(recv_parts(b), (strings{"", binary, big}));
}

TEST(rfc31_pair, MAY_be_connected_to_at_most_one_PAIR_peer) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://exclusive");
  auto first = make_socket(ctx, socket_type::pair);
  auto second = make_socket(ctx, socket_type::pair);
  first.connect("inproc://exclusive");
  second.connect("inproc://exclusive");
  ASSERT_TRUE(first.send("from first"));
  (void)second.send("from second", send_flags::dontwait);  // may be queued, never delivered

  EXPECT_EQ(recv_string(server), "from first");
  EXPECT_TRUE(nothing_to_recv(server));
  ASSERT_TRUE(server.send("to my peer"));
  EXPECT_EQ(recv_string(first), "to my peer");
  // The refused connection is closed: the second socket has no peer to send to.
  EXPECT_TRUE(nothing_to_recv(second));
  EXPECT_FALSE(second.send("again", send_flags::dontwait));
}

TEST(rfc31_pair, SHALL_accept_a_new_peer_after_its_peer_disconnected) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://replaced");
  {
    auto old_peer = make_socket(ctx, socket_type::pair);
    old_peer.connect("inproc://replaced");
  }
  auto new_peer = make_socket(ctx, socket_type::pair);
  new_peer.connect("inproc://replaced");
  ASSERT_TRUE(new_peer.send("hello"));
  EXPECT_EQ(recv_string(server), "hello");
  ASSERT_TRUE(server.send("welcome"));
  EXPECT_EQ(recv_string(new_peer), "welcome");
}

TEST(rfc31_pair, SHALL_accept_a_new_peer_after_its_peer_disconnected_while_it_was_waiting) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://replaced-later");
  auto old_peer = make_socket(ctx, socket_type::pair);
  old_peer.connect("inproc://replaced-later");
  ASSERT_TRUE(old_peer.send("first"));
  EXPECT_EQ(recv_string(server), "first");  // the server now sleeps on the old peer's pipe
  EXPECT_TRUE(nothing_to_recv(server));
  old_peer.close();
  auto new_peer = make_socket(ctx, socket_type::pair);
  new_peer.connect("inproc://replaced-later");
  ASSERT_TRUE(new_peer.send("second"));
  EXPECT_EQ(recv_string(server), "second");
}

TEST(rfc31_pair, SHALL_report_neither_input_nor_output_once_its_peer_disconnected) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://left");
  auto client = make_socket(ctx, socket_type::pair);
  client.connect("inproc://left");
  ASSERT_TRUE(client.send("last words"));
  EXPECT_EQ(server.events(), ringmq::events::pollin | ringmq::events::pollout);
  EXPECT_EQ(recv_string(server), "last words");
  client.close();
  // Only the end of the pipe is left: nothing to receive, nobody to send to.
  EXPECT_EQ(server.events(), ringmq::events::none);
  ringmq::poll_item item{&server, -1, ringmq::events::pollin};
  EXPECT_EQ(ringmq::poll(std::span(&item, 1), 0ms), 0u);
}

TEST(rfc31_pair, SHALL_block_on_sending_or_return_a_suitable_error_when_it_has_no_available_peer) {
  ringmq::context ctx;
  auto lonely = make_socket(ctx, socket_type::pair);
  EXPECT_FALSE(lonely.send("x", send_flags::dontwait));
  lonely.bind("inproc://nobody");
  EXPECT_FALSE(lonely.send("x", send_flags::dontwait));
  lonely.set(opt::sndtimeo, 50ms);
  std::optional<std::size_t> sent;
  const auto took = time_of([&] { sent = lonely.send("x"); });
  EXPECT_FALSE(sent);
  EXPECT_GE(took, 50ms);
}

TEST(rfc31_pair, SHALL_consider_its_peer_available_only_when_its_outgoing_queue_is_not_full) {
  ringmq::context ctx;
  ringmq::socket a(ctx, socket_type::pair);
  ringmq::socket b(ctx, socket_type::pair);
  a.bind("inproc://defaults");
  b.connect("inproc://defaults");
  // Defaults: SNDHWM 1000 + RCVHWM 1000, in both directions.
  EXPECT_EQ(send_until_blocked(b), 2000);
  EXPECT_EQ(send_until_blocked(a), 2000);
  EXPECT_FALSE(ringmq::any(a.events() & ringmq::events::pollout));
  EXPECT_EQ(drain(a), 2000);
  EXPECT_EQ(drain(b), 2000);
}

TEST(rfc31_pair, SHALL_constrain_queue_sizes_to_SNDHWM_plus_RCVHWM) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.set(opt::sndhwm, 2);
  b.set(opt::rcvhwm, 5);
  b.set(opt::sndhwm, 0);  // unlimited from b to a
  a.bind("inproc://limits");
  b.connect("inproc://limits");
  EXPECT_EQ(send_until_blocked(a), 7);
  EXPECT_EQ(send_until_blocked(b, 5000), 5000);
}

TEST(rfc31_pair, SHALL_NOT_discard_messages_that_it_cannot_queue) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.set(opt::sndhwm, 1);
  b.set(opt::rcvhwm, 1);
  a.bind("inproc://keep");
  b.connect("inproc://keep");
  ASSERT_TRUE(a.send("1"));
  ASSERT_TRUE(a.send("2"));
  ringmq::message third("3");
  EXPECT_FALSE(a.send(std::move(third), send_flags::dontwait));
  // A refused send leaves the message with the caller (the contract checked here).
  EXPECT_EQ(third.to_string(), "3");  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(recv_string(b), "1");
  EXPECT_EQ(recv_string(b), "2");
  ASSERT_TRUE(a.send(std::move(third)));
  EXPECT_EQ(recv_string(b), "3");
}

TEST(rfc31_pair, SHALL_create_a_double_queue_when_connecting_and_keep_it_until_the_peer_binds) {
  ringmq::context ctx;
  auto early = make_socket(ctx, socket_type::pair);
  early.connect("inproc://early");
  ASSERT_TRUE(early.send("queued", send_flags::dontwait));
  auto late = make_socket(ctx, socket_type::pair);
  late.bind("inproc://early");
  EXPECT_EQ(recv_string(late), "queued");
  ASSERT_TRUE(late.send("reply"));
  EXPECT_EQ(recv_string(early), "reply");
}

TEST(rfc31_pair, SHALL_destroy_its_double_queue_and_discard_its_messages_when_the_peer_disconnects) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://discard");
  auto client = make_socket(ctx, socket_type::pair);
  client.connect("inproc://discard");
  ASSERT_TRUE(server.send("stale 1"));
  ASSERT_TRUE(server.send("stale 2"));
  client.disconnect("inproc://discard");
  EXPECT_TRUE(nothing_to_recv(client));
  client.connect("inproc://discard");
  ASSERT_TRUE(client.send("back"));
  EXPECT_EQ(recv_string(server), "back");
  EXPECT_TRUE(nothing_to_recv(client)) << "messages queued for the old connection must be gone";
  ASSERT_TRUE(server.send("fresh"));
  EXPECT_EQ(recv_string(client), "fresh");
}

TEST(rfc31_pair, SHALL_deliver_multipart_messages_whole_or_not_at_all) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.set(opt::sndhwm, 1);
  b.set(opt::rcvhwm, 1);
  a.bind("inproc://atomic");
  b.connect("inproc://atomic");
  ASSERT_TRUE(send_parts(a, {"1a", "1b"}, send_flags::dontwait));
  ASSERT_TRUE(send_parts(a, {"2a", "2b", "2c"}, send_flags::dontwait));
  EXPECT_FALSE(send_parts(a, {"3a", "3b"}, send_flags::dontwait));
  EXPECT_EQ(recv_parts(b), (strings{"1a", "1b"}));
  EXPECT_EQ(recv_parts(b), (strings{"2a", "2b", "2c"}));
  EXPECT_TRUE(nothing_to_recv(b));
}

// The peer goes away between the parts of a message being sent: the message is lost with its
// peer, and the rest of it is taken (socket.hpp: only the first part can block) and dropped,
// never refused, and never delivered to the next peer as a message of its own. Before the fix
// the later part was refused here.
TEST(rfc31_pair, SHALL_deliver_multipart_messages_whole_or_not_at_all_when_the_peer_leaves_midway) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://leaves-midway");
  auto old_peer = make_socket(ctx, socket_type::pair);
  old_peer.connect("inproc://leaves-midway");
  ASSERT_TRUE(server.send("1a", send_flags::sndmore));
  old_peer.close();
  EXPECT_FALSE(ringmq::any(server.events() & ringmq::events::pollin));  // the server sees its peer gone
  EXPECT_TRUE(server.send("1b", send_flags::dontwait)) << "a later part was refused";
  auto new_peer = make_socket(ctx, socket_type::pair);
  new_peer.connect("inproc://leaves-midway");
  ASSERT_TRUE(send_parts(server, {"2a", "2b"}));
  EXPECT_EQ(recv_parts(new_peer), (strings{"2a", "2b"}));
}

// The same while the next peer is already there: the rest of the message must not reach it
// as a message of its own. Before the fix the new peer received ["1b"].
TEST(rfc31_pair, SHALL_deliver_multipart_messages_whole_or_not_at_all_when_the_peer_changes_midway) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://changes-midway");
  auto old_peer = make_socket(ctx, socket_type::pair);
  old_peer.connect("inproc://changes-midway");
  ASSERT_TRUE(server.send("1a", send_flags::sndmore));
  old_peer.close();
  auto new_peer = make_socket(ctx, socket_type::pair);
  new_peer.connect("inproc://changes-midway");  // replaces the old peer at the server's next call
  ASSERT_TRUE(server.send("1b"));
  ASSERT_TRUE(send_parts(server, {"2a", "2b"}));
  EXPECT_EQ(recv_parts(new_peer), (strings{"2a", "2b"}));
}

// A new peer arrives while a message of the old one is half read: the rest of that message
// is still read from the old peer (it is in its pipe: messages are published whole); the
// new peer's messages come after it. Before the fix the old peer was dropped at once and the
// new peer's message was handed on as the rest: ["1a", "2a", "2b"].
TEST(rfc31_pair, SHALL_deliver_multipart_messages_whole_when_a_new_peer_arrives_midway) {
  ringmq::context ctx;
  auto server = make_socket(ctx, socket_type::pair);
  server.bind("inproc://arrives-midway");
  auto old_peer = make_socket(ctx, socket_type::pair);
  old_peer.connect("inproc://arrives-midway");
  ASSERT_TRUE(send_parts(old_peer, {"1a", "1b"}));
  EXPECT_EQ(recv_string(server), "1a");
  old_peer.close();
  auto new_peer = make_socket(ctx, socket_type::pair);
  new_peer.connect("inproc://arrives-midway");
  ASSERT_TRUE(send_parts(new_peer, {"2a", "2b"}));
  ringmq::message rest;
  ASSERT_TRUE(server.recv(rest));
  EXPECT_EQ(rest.to_string(), "1b");
  EXPECT_FALSE(rest.more());
  EXPECT_EQ(recv_parts(server), (strings{"2a", "2b"}));
  ASSERT_TRUE(server.send("welcome"));
  EXPECT_EQ(recv_string(new_peer), "welcome");
}

TEST(rfc31_pair, SHALL_work_between_two_threads) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  a.set(opt::sndhwm, 2);
  b.set(opt::sndhwm, 2);
  a.set(opt::rcvhwm, 2);
  b.set(opt::rcvhwm, 2);
  a.bind("inproc://threads");
  b.connect("inproc://threads");
  constexpr int rounds = 5000;
  std::thread echo([&b] {
    for (int i = 0; i < rounds; ++i) {
      auto m = b.recv();
      if (!m || !b.send(std::move(*m))) return;
    }
  });
  int ok = 0;
  for (int i = 0; i < rounds; ++i) {
    if (!a.send(std::to_string(i))) break;
    if (recv_string(a) != std::to_string(i)) break;
    ++ok;
  }
  echo.join();
  EXPECT_EQ(ok, rounds);
}

}  // namespace
}  // namespace ringmq_test
