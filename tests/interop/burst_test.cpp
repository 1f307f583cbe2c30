// A ROUTER or PUB that sends a burst of small messages faster than its I/O thread runs: the
// peer's queue reaches SNDHWM while the kernel could still take a lot. libzmq drains the
// queue into the kernel's buffers, and brokers written for it rely on that headroom. A
// ringmq socket that finds the queue full moves it into the kernel itself before it drops
// anything, so a burst the buffers can hold arrives whole, however the threads are
// scheduled. The peer reads only once the burst is over.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "interop/support.hpp"

namespace ringmq_interop {
namespace {

// Both pipes (SNDHWM, RCVHWM: 1000 each) plus 2000 in the kernel: about 28 KiB there, far
// below what the socket buffers hold.
constexpr int burst = 4000;

struct burst_param {
  bool libzmq_receiver;
  transport via;
};

void PrintTo(const burst_param& p, std::ostream* os) {
  *os << (p.libzmq_receiver ? "libzmq" : "ringmq") << " receiver over " << to_string(p.via);
}

std::string param_name(const ::testing::TestParamInfo<burst_param>& info) {
  return std::string(info.param.libzmq_receiver ? "libzmq_" : "ringmq_") + std::string(to_string(info.param.via));
}

class burst_at_hwm : public interop_test, public ::testing::WithParamInterface<burst_param> {
 protected:
  std::unique_ptr<peer> make_receiver(socket_type type) {
    if (GetParam().libzmq_receiver) return make_libzmq_peer(libzmq_ctx_, type);
    return make_ringmq_peer(receiver_ctx_, type);
  }

  // Reads what arrived, expecting "<prefix><i>" in order; returns how many.
  static int read_all(peer& receiver, const std::string& prefix) {
    int n = 0;
    while (auto got = receiver.recv()) {
      EXPECT_EQ(got->back(), prefix + std::to_string(n));
      if (++n == burst) break;
    }
    return n;
  }

  libzmq_context libzmq_ctx_;
  ringmq::context receiver_ctx_;
  ringmq::context ctx_;
};

TEST_P(burst_at_hwm, a_router_burst_reaches_a_dealer_that_reads_later) {
  ringmq::socket router(ctx_, socket_type::router);
  router.set(ringmq::opt::rcvtimeo, safety);
  router.bind(bind_endpoint(GetParam().via));
  auto dealer = make_receiver(socket_type::dealer);
  dealer->set_routing_id("d");
  dealer->connect(router.last_endpoint());
  ASSERT_EQ(dealer->send({"hello"}), send_status::ok);
  std::vector<ringmq::message> hello;
  ASSERT_TRUE(router.recv_multipart(std::back_inserter(hello)));
  for (int i = 0; i < burst; ++i)
    ASSERT_TRUE(router.send_multipart(std::vector<std::string>{"d", "reply " + std::to_string(i)}));
  EXPECT_EQ(read_all(*dealer, "reply "), burst);
}

TEST_P(burst_at_hwm, a_pub_burst_reaches_a_sub_that_reads_later) {
  ringmq::socket pub(ctx_, socket_type::xpub);  // XPUB: tells when the subscription is in
  pub.set(ringmq::opt::rcvtimeo, safety);
  pub.bind(bind_endpoint(GetParam().via));
  auto sub = make_receiver(socket_type::sub);
  sub->subscribe("");
  sub->connect(pub.last_endpoint());
  ASSERT_TRUE(pub.recv());  // the subscription
  for (int i = 0; i < burst; ++i) ASSERT_TRUE(pub.send("update " + std::to_string(i)));
  EXPECT_EQ(read_all(*sub, "update "), burst);
}

std::vector<burst_param> all_params() {
  std::vector<burst_param> out;
  for (const bool libzmq : {false, true})
    for (const transport via : {transport::tcp, transport::ipc}) out.push_back({libzmq, via});
  return out;
}

INSTANTIATE_TEST_SUITE_P(receivers, burst_at_hwm, ::testing::ValuesIn(all_params()), param_name);

}  // namespace
}  // namespace ringmq_interop
