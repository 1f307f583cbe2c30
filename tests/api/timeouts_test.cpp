// Would-block and timeouts come back as empty optionals, never as errors. Elapsed times are
// checked only as "at least the timeout": how much longer a loaded machine takes is not the
// library's contract.
#include "spec/support.hpp"

#include <array>
#include <thread>

namespace ringmq_test {
namespace {

TEST(api_timeouts, dontwait_recv_on_an_empty_socket_is_empty) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);  // RCVTIMEO infinite
  pull.bind("inproc://empty");
  ringmq::message m("untouched");
  EXPECT_FALSE(pull.recv(m, recv_flags::dontwait));
  EXPECT_FALSE(pull.recv(recv_flags::dontwait));
  std::array<std::byte, 8> buf{};
  EXPECT_FALSE(pull.recv(std::span(buf), recv_flags::dontwait));
  std::vector<ringmq::message> parts;
  EXPECT_FALSE(pull.recv_multipart(std::back_inserter(parts), recv_flags::dontwait));
  EXPECT_TRUE(parts.empty());
}

TEST(api_timeouts, dontwait_send_that_would_block_is_empty) {
  ringmq::context ctx;
  ringmq::socket push(ctx, socket_type::push);  // SNDTIMEO infinite, no peer
  EXPECT_FALSE(push.send("x", send_flags::dontwait));
  EXPECT_FALSE(push.send_multipart(std::vector<std::string>{"a", "b"}, send_flags::dontwait));
}

TEST(api_timeouts, RCVTIMEO_zero_returns_at_once) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(opt::rcvtimeo, 0ms);
  EXPECT_FALSE(pull.recv());
}

TEST(api_timeouts, RCVTIMEO_waits_at_least_the_timeout_then_returns_empty) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.bind("inproc://rcvtimeo");
  pull.set(opt::rcvtimeo, 60ms);
  std::optional<ringmq::message> got;
  const auto took = time_of([&] { got = pull.recv(); });
  EXPECT_FALSE(got);
  EXPECT_GE(took, 60ms);
}

TEST(api_timeouts, SNDTIMEO_waits_at_least_the_timeout_then_returns_empty) {
  ringmq::context ctx;
  ringmq::socket push(ctx, socket_type::push);
  push.set(opt::sndtimeo, 60ms);
  std::optional<std::size_t> sent;
  const auto took = time_of([&] { sent = push.send("nobody"); });
  EXPECT_FALSE(sent);
  EXPECT_GE(took, 60ms);

  // Also when the queue is full rather than absent.
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.bind("inproc://sndtimeo");
  push.set(opt::sndhwm, 1);
  push.connect("inproc://sndtimeo");
  ASSERT_TRUE(push.send("1"));
  ASSERT_TRUE(push.send("2"));
  const auto took_full = time_of([&] { sent = push.send("3"); });
  EXPECT_FALSE(sent);
  EXPECT_GE(took_full, 60ms);
}

TEST(api_timeouts, SNDTIMEO_zero_is_dontwait) {
  ringmq::context ctx;
  ringmq::socket dealer(ctx, socket_type::dealer);
  dealer.set(opt::sndtimeo, 0ms);
  EXPECT_FALSE(dealer.send("x"));
}

TEST(api_timeouts, a_blocking_recv_returns_as_soon_as_a_message_arrives) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(opt::rcvtimeo, safety);  // effectively infinite; a bug fails instead of hanging
  pull.bind("inproc://wake");
  ringmq::socket push(ctx, socket_type::push);
  push.connect("inproc://wake");
  std::thread sender([&push] { (void)push.send("wake up"); });
  EXPECT_EQ(recv_string(pull), "wake up");
  sender.join();
}

TEST(api_timeouts, a_blocking_send_returns_as_soon_as_room_is_made) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.set(opt::rcvtimeo, safety);
  pull.bind("inproc://room");
  ringmq::socket push(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  push.set(opt::sndtimeo, safety);
  push.connect("inproc://room");
  ASSERT_TRUE(push.send("1"));
  ASSERT_TRUE(push.send("2"));
  std::thread receiver([&pull] {
    for (int i = 0; i < 3; ++i) (void)pull.recv();
  });
  EXPECT_TRUE(push.send("3"));  // blocks until the receiver made room
  receiver.join();
}

TEST(api_timeouts, a_blocking_send_returns_when_a_peer_connects) {
  ringmq::context ctx;
  ringmq::socket push(ctx, socket_type::push);
  push.bind("inproc://arrives");
  push.set(opt::sndtimeo, safety);
  std::thread receiver([&ctx] {
    ringmq::socket pull(ctx, socket_type::pull);
    pull.set(opt::rcvtimeo, safety);
    pull.connect("inproc://arrives");
    (void)pull.recv();
  });
  EXPECT_TRUE(push.send("for whoever comes"));
  receiver.join();
}

}  // namespace
}  // namespace ringmq_test
