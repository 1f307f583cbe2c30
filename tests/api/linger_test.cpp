// LINGER is read when the socket closes, not when it connected (libzmq: zmq_setsockopt's
// LINGER applies to every pending message at close). Messages queued for a peer that is not
// there yet are delivered when it comes, within LINGER, or dropped at once with LINGER 0.
#include "spec/support.hpp"

#include <unistd.h>

#include <atomic>
#include <optional>
#include <ostream>
#include <string>

namespace ringmq_test {
namespace {

constexpr int queued = 10;

enum class via { tcp, ipc, inproc };

void PrintTo(via v, std::ostream* os) { *os << (v == via::tcp ? "tcp" : v == via::ipc ? "ipc" : "inproc"); }

// An endpoint nobody listens on yet, which a socket can bind later.
std::string free_endpoint(via v) {
  static std::atomic<int> counter{0};
  const std::string unique = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  switch (v) {
    case via::tcp: {
      // A port the kernel just gave out and nobody holds now.
      ringmq::context ctx;
      ringmq::socket probe(ctx, socket_type::pull);
      probe.bind("tcp://127.0.0.1:*");
      return probe.last_endpoint();
    }
    case via::ipc: return "ipc://@ringmq-linger-" + unique;
    case via::inproc: return "inproc://linger-" + unique;
  }
  return {};
}

class linger_at_close : public ::testing::TestWithParam<via> {
 protected:
  // A PUSH with LINGER `at_connect`, connected to `endpoint_` (nobody there), holding
  // `queued` messages; its LINGER is set to `at_close` before it closes.
  void send_then_close(std::chrono::milliseconds at_connect, std::chrono::milliseconds at_close) {
    ringmq::socket push(*ctx_, socket_type::push);
    push.set(opt::linger, at_connect);
    push.set(opt::reconnect_ivl, 10ms);
    push.set(opt::reconnect_ivl_max, 10ms);
    push.connect(endpoint_);
    for (int i = 0; i < queued; ++i) ASSERT_TRUE(push.send("m" + std::to_string(i), send_flags::dontwait));
    push.set(opt::linger, at_close);
  }

  // The messages a PULL bound at the endpoint now receives, in `ctx`.
  int received_by_a_late_pull(ringmq::context& ctx, std::chrono::milliseconds wait) {
    ringmq::socket pull = make_socket(ctx, socket_type::pull);
    pull.set(opt::rcvtimeo, wait);
    pull.bind(endpoint_);
    int n = 0;
    while (auto m = pull.recv()) {
      EXPECT_EQ(m->to_string(), "m" + std::to_string(n));
      if (++n == queued) break;
    }
    return n;
  }

  std::string endpoint_ = free_endpoint(GetParam());
  std::optional<ringmq::context> ctx_{std::in_place};
};

// Connected with LINGER 0, closed with LINGER -1: everything reaches the peer that binds
// after the close. Before, the session kept LINGER 0 from connect() and dropped them all.
TEST_P(linger_at_close, infinite_linger_set_after_connect_delivers_to_a_late_peer) {
  ASSERT_NO_FATAL_FAILURE(send_then_close(0ms, -1ms));
  if (GetParam() == via::inproc) {
    EXPECT_EQ(received_by_a_late_pull(*ctx_, safety), queued);
    return;
  }
  ringmq::context other;  // the peer lives in another context, as it would in another process
  EXPECT_EQ(received_by_a_late_pull(other, safety), queued);
}

// Connected with LINGER 60 s, closed with LINGER 0: the queued messages go at once, and the
// context ends without waiting for a peer. Before, it waited the 60 s of connect() time.
TEST_P(linger_at_close, zero_linger_set_after_connect_drops_at_once) {
  ASSERT_NO_FATAL_FAILURE(send_then_close(60s, 0ms));
  if (GetParam() == via::inproc) {
    EXPECT_EQ(received_by_a_late_pull(*ctx_, 50ms), 0);
    return;
  }
  const auto took = time_of([this] { ctx_.reset(); });
  // Not a performance bound: the old behaviour takes the whole 60 s.
  EXPECT_LT(took, 30s);
}

INSTANTIATE_TEST_SUITE_P(
    transports, linger_at_close, ::testing::Values(via::tcp, via::ipc, via::inproc), [](const auto& test) {
      return std::string(test.param == via::tcp ? "tcp" : test.param == via::ipc ? "ipc" : "inproc");
    });

}  // namespace
}  // namespace ringmq_test
