// A libzmq peer (python3-zmq in a child process) bound at a fixed address is killed and
// started again on the same address: the connected ringmq socket notices (DISCONNECTED),
// reconnects (HANDSHAKE_SUCCEEDED again) and traffic resumes — including what was queued
// while the peer was down, and a SUB's subscriptions, which must be sent again.
#include "interop/child_process.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

namespace ringmq_interop {
namespace {

// Starting python and importing zmq takes a while; a loaded CI machine needs the margin.
constexpr auto python_start = 4 * safety;

class peer_restart : public interop_test, public ::testing::WithParamInterface<transport> {
 protected:
  // Starts the python peer; the first start picks the address (an ephemeral tcp port or a
  // fresh ipc path), later starts reuse it.
  void start(const std::string& mode) {
    if (endpoint_.empty())
      endpoint_ = GetParam() == transport::tcp ? "tcp://127.0.0.1:*" : "ipc://" + fresh_ipc_path();
    child_ = std::make_unique<child_process>(python_peer_command(mode, endpoint_));
    const auto line = child_->read_line(python_start);
    ASSERT_TRUE(line) << "the python peer did not start (is python3-zmq installed?)";
    ASSERT_EQ(line->rfind("bound ", 0), 0U) << *line;
    const std::string bound = line->substr(6);
    if (endpoint_.find('*') != std::string::npos) endpoint_ = bound;
    ASSERT_EQ(bound, endpoint_);
  }

  // Connects `p` with a short reconnect interval and waits for the handshake.
  void connect(peer& p) {
    p.set_reconnect_ivl(10ms, 100ms);
    p.connect(endpoint_);
    ASSERT_TRUE(p.wait_event(monitor_event::handshake_succeeded)) << "events: " << show(p.seen_events());
  }

  // Kills the peer, waits until `p` noticed, and starts it again.
  void restart(peer& p, const std::string& mode) {
    child_->kill();
    ASSERT_TRUE(p.wait_event(monitor_event::disconnected)) << "events: " << show(p.seen_events());
    ASSERT_NO_FATAL_FAILURE(start(mode));
  }

  std::string endpoint_;
  std::unique_ptr<child_process> child_;
  ringmq::context ctx_;
};

TEST_P(peer_restart, ringmq_push_delivers_to_a_restarted_libzmq_pull) {
  ASSERT_NO_FATAL_FAILURE(start("pull"));
  auto push = make_ringmq_peer(ctx_, socket_type::push);
  ASSERT_NO_FATAL_FAILURE(connect(*push));
  ASSERT_EQ(push->send({"before", "restart"}), send_status::ok);
  EXPECT_EQ(child_->read_line(), "got before|restart");

  ASSERT_NO_FATAL_FAILURE(restart(*push, "pull"));
  // Sent before the PUSH reconnected (most likely): waits in the pipe for the reconnection.
  ASSERT_EQ(push->send({"queued"}), send_status::ok);
  ASSERT_TRUE(push->wait_event(monitor_event::handshake_succeeded))
      << "events: " << show(push->seen_events());
  for (int i = 1; i <= 3; ++i) ASSERT_EQ(push->send({"after", std::to_string(i)}), send_status::ok);
  EXPECT_EQ(child_->read_line(), "got queued");
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(child_->read_line(), "got after|" + std::to_string(i));
}

TEST_P(peer_restart, ringmq_dealer_gets_replies_from_a_restarted_libzmq_rep) {
  ASSERT_NO_FATAL_FAILURE(start("rep"));
  auto dealer = make_ringmq_peer(ctx_, socket_type::dealer);
  ASSERT_NO_FATAL_FAILURE(connect(*dealer));
  ASSERT_EQ(dealer->send({"", "a", "b"}), send_status::ok);
  auto reply = dealer->recv();
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, (strings{"", "b", "a"}));

  ASSERT_NO_FATAL_FAILURE(restart(*dealer, "rep"));
  ASSERT_EQ(dealer->send({"", "queued"}), send_status::ok);
  ASSERT_TRUE(dealer->wait_event(monitor_event::handshake_succeeded))
      << "events: " << show(dealer->seen_events());
  reply = dealer->recv();
  ASSERT_TRUE(reply) << "no reply to the request queued during the restart";
  EXPECT_EQ(*reply, (strings{"", "queued"}));
  ASSERT_EQ(dealer->send({"", "c", "d"}), send_status::ok);
  reply = dealer->recv();
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, (strings{"", "d", "c"}));
}

// The next message at `sub` that the publisher running now sent ("A-<its pid>-<n>"),
// skipping what its killed predecessor sent before it died; anything else fails.
::testing::AssertionResult receives_from_current_publisher(peer& sub, const child_process& pub) {
  const std::string current = "A-" + std::to_string(pub.pid()) + "-";
  const auto deadline = std::chrono::steady_clock::now() + safety;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto got = left > 0ms ? sub.recv(left) : std::nullopt;
    if (!got) return ::testing::AssertionFailure() << "nothing from the publisher with pid " << pub.pid();
    if (got->size() != 1 || got->front().rfind("A-", 0) != 0)
      return ::testing::AssertionFailure() << "the SUB received what it did not subscribe to: " << show(*got);
    if (got->front().rfind(current, 0) == 0) return ::testing::AssertionSuccess();
  }
}

TEST_P(peer_restart, ringmq_sub_resubscribes_to_a_restarted_libzmq_pub) {
  ASSERT_NO_FATAL_FAILURE(start("pub"));
  auto sub = make_ringmq_peer(ctx_, socket_type::sub);
  sub->subscribe("A-");
  ASSERT_NO_FATAL_FAILURE(connect(*sub));
  // The publisher ticks every 20 ms: once the subscription arrived, "A-<pid>-<n>" flow.
  ASSERT_TRUE(receives_from_current_publisher(*sub, *child_));

  ASSERT_NO_FATAL_FAILURE(restart(*sub, "pub"));
  ASSERT_TRUE(sub->wait_event(monitor_event::handshake_succeeded)) << "events: " << show(sub->seen_events());
  // The restarted publisher knows nothing of the SUB: its messages only flow if the SUB
  // sent its subscription again.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(receives_from_current_publisher(*sub, *child_))
        << "the restarted publisher never got the subscription";
}

INSTANTIATE_TEST_SUITE_P(transports, peer_restart, ::testing::Values(transport::tcp, transport::ipc),
                         [](const auto& test) { return std::string(to_string(test.param)); });

}  // namespace
}  // namespace ringmq_interop
