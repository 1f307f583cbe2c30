// A peer that sent its replies and went away: over tcp a reset (it closed with our requests
// unread), over ipc a hang-up. Our next write to it fails, but what it sent before is still in
// our kernel's buffer, readable: it must reach the application. libzmq's stream engine stops
// writing on a write error and reads on until reading fails; ringmq must lose no more than it.
// The peer is a raw stream (raw_stream.hpp), so that the test decides when it goes and how.
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

namespace ringmq_interop {
namespace {

class write_failure : public interop_test, public ::testing::WithParamInterface<transport> {};

// Whether everything written to tcp socket `fd` was acknowledged by the peer's kernel within
// `safety` (SIOCOUTQ: unacknowledged bytes in the send queue), checked in a yielding loop.
bool sent_queue_empties(int fd) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  for (;;) {
    int unacknowledged = 0;
    if (::ioctl(fd, SIOCOUTQ, &unacknowledged) != 0) return false;
    if (unacknowledged == 0) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::yield();
  }
}

// The DEALER reads nothing until its write failed, and stops reading its connection at its
// RCVHWM (10): most of the 200 replies wait in its kernel's buffer when the peer goes. Before
// the fix the failed write ended the connection at once, and those replies were lost with it.
TEST_P(write_failure, what_the_peer_sent_before_it_went_away_still_arrives) {
  constexpr int replies = 200;
  raw_listener listener(GetParam());
  ringmq::context ctx;
  ringmq::socket dealer(ctx, socket_type::dealer);
  dealer.set(ringmq::opt::rcvhwm, 10);
  dealer.set(ringmq::opt::rcvtimeo, safety);
  dealer.set(ringmq::opt::linger, 0ms);
  ringmq::monitor events = dealer.monitor(monitor_event::disconnected);
  dealer.connect(listener.endpoint());
  std::optional<raw_stream> peer = listener.accept();
  ASSERT_TRUE(peer);
  ASSERT_TRUE(peer->handshake(1, "ROUTER"));
  std::string wire;
  for (int i = 0; i < replies; ++i) wire += zmtp_data_frame("reply " + std::to_string(i));
  ASSERT_TRUE(peer->write(wire));
  // A reset throws away what the peer's own kernel still holds: the replies must have
  // reached ours first (acknowledged: nothing left in the peer's send queue). Under load
  // they may wait there a while (autocorking on loopback).
  if (GetParam() == transport::tcp) {
    ASSERT_TRUE(sent_queue_empties(peer->fd())) << "the replies never left";
  }
  // Gone: over tcp with a reset (SO_LINGER 0, as a close with unread input does).
  const ::linger abort{1, 0};
  ASSERT_EQ(::setsockopt(peer->fd(), SOL_SOCKET, SO_LINGER, &abort, sizeof abort), 0);
  peer.reset();
  ASSERT_TRUE(dealer.send("request", ringmq::send_flags::dontwait));  // its write fails
  EXPECT_FALSE(events.next(quiet)) << "the connection ended with the peer's replies unread";
  for (int i = 0; i < replies; ++i) {
    auto got = dealer.recv();
    ASSERT_TRUE(got) << "reply " << i << " did not arrive";
    ASSERT_EQ(got->to_string(), "reply " + std::to_string(i));
  }
  // Once everything is read, reading fails too and the connection ends.
  const auto ended = events.next(safety);
  ASSERT_TRUE(ended);
  EXPECT_EQ(ended->type, monitor_event::disconnected);
}

std::string transport_name(const ::testing::TestParamInfo<transport>& param) {
  return std::string(to_string(param.param));
}

INSTANTIATE_TEST_SUITE_P(over, write_failure, ::testing::Values(transport::tcp, transport::ipc),
                         transport_name);

}  // namespace
}  // namespace ringmq_interop
