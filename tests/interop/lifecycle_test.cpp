// Connection life beyond the first handshake, against libzmq in the same process: ZMTP 3.1
// heartbeats in both directions (a PING unanswered would make the pinging side drop the
// connection), and a ROUTER that forgets a departed peer's routing id as soon as it reports
// the departure, and gives the id to its successor.
#include "interop/support.hpp"

#include <gtest/gtest.h>
#include <zmq.h>

#include <string>

namespace ringmq_interop {
namespace {

constexpr auto heartbeat_ivl = 20ms;
constexpr auto heartbeat_timeout = 100ms;
// Long enough for several PINGs and heartbeat timeouts to come and go.
constexpr auto heartbeat_watch = 400ms;

void set_libzmq_heartbeats(void* socket) {
  const int ivl = static_cast<int>(heartbeat_ivl.count());
  const int timeout = static_cast<int>(heartbeat_timeout.count());
  ASSERT_EQ(zmq_setsockopt(socket, ZMQ_HEARTBEAT_IVL, &ivl, sizeof ivl), 0);
  ASSERT_EQ(zmq_setsockopt(socket, ZMQ_HEARTBEAT_TIMEOUT, &timeout, sizeof timeout), 0);
}

class heartbeats : public interop_test {};

// libzmq pings and drops the connection when no traffic follows a PING within the timeout:
// the connection survives only if ringmq answers with PONGs.
TEST_F(heartbeats, ringmq_answers_the_pings_of_libzmq) {
  ringmq::context ringmq_ctx;
  libzmq_context libzmq_ctx;
  auto dealer = make_ringmq_peer(ringmq_ctx, socket_type::dealer);
  void* router = zmq_socket(libzmq_ctx.get(), ZMQ_ROUTER);
  ASSERT_NE(router, nullptr);
  const int zero = 0;
  zmq_setsockopt(router, ZMQ_LINGER, &zero, sizeof zero);
  ASSERT_NO_FATAL_FAILURE(set_libzmq_heartbeats(router));
  ASSERT_EQ(zmq_bind(router, "tcp://127.0.0.1:*"), 0);
  char endpoint[256];
  std::size_t size = sizeof endpoint;
  ASSERT_EQ(zmq_getsockopt(router, ZMQ_LAST_ENDPOINT, endpoint, &size), 0);

  dealer->connect(endpoint);
  ASSERT_TRUE(dealer->wait_event(monitor_event::handshake_succeeded)) << show(dealer->seen_events());
  EXPECT_FALSE(dealer->wait_event(monitor_event::disconnected, heartbeat_watch))
      << "libzmq dropped the connection: its PINGs went unanswered; events " << show(dealer->seen_events());
  ASSERT_EQ(dealer->send({"still there"}), send_status::ok);
  zmq_pollitem_t item{router, 0, ZMQ_POLLIN, 0};
  EXPECT_EQ(zmq_poll(&item, 1, static_cast<long>(safety.count())), 1);
  zmq_close(router);
}

// The other way round: ringmq pings, libzmq answers.
TEST_F(heartbeats, libzmq_answers_the_pings_of_ringmq) {
  ringmq::context ringmq_ctx;
  libzmq_context libzmq_ctx;
  auto router = make_ringmq_peer(ringmq_ctx, socket_type::router);
  ringmq::socket& s = ringmq_socket_of(*router);
  s.set(ringmq::opt::heartbeat_ivl, heartbeat_ivl);
  s.set(ringmq::opt::heartbeat_timeout, heartbeat_timeout);
  const std::string endpoint = router->bind("tcp://127.0.0.1:*");
  auto dealer = make_libzmq_peer(libzmq_ctx, socket_type::dealer);
  dealer->set_routing_id("D");
  dealer->connect(endpoint);
  ASSERT_TRUE(router->wait_event(monitor_event::handshake_succeeded)) << show(router->seen_events());
  EXPECT_FALSE(router->wait_event(monitor_event::disconnected, heartbeat_watch))
      << "ringmq dropped the connection: libzmq did not answer its PINGs; events "
      << show(router->seen_events());
  ASSERT_EQ(dealer->send({"still there"}), send_status::ok);
  const auto got = router->recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, (strings{"D", "still there"}));
}

class routing_ids : public interop_test, public ::testing::WithParamInterface<transport> {};

// A libzmq DEALER named "X" leaves; a new one named "X" connects: the ringmq ROUTER routes
// "X" to the newcomer.
TEST_P(routing_ids, a_departed_peers_id_goes_to_its_successor) {
  ringmq::context ringmq_ctx;
  auto router = make_ringmq_peer(ringmq_ctx, socket_type::router);
  router->set_router_mandatory();
  const std::string endpoint = router->bind(bind_endpoint(GetParam()));
  for (int generation = 0; generation < 3; ++generation) {
    {
      // A context per DEALER: terminating it closes the DEALER's connection for sure
      // (zmq_close alone leaves that to libzmq's I/O thread, at its own pace).
      libzmq_context libzmq_ctx;
      auto dealer = make_libzmq_peer(libzmq_ctx, socket_type::dealer);
      dealer->set_routing_id("X");
      dealer->connect(endpoint);
      ASSERT_TRUE(router->wait_event(monitor_event::handshake_succeeded)) << show(router->seen_events());
      const std::string text = "generation " + std::to_string(generation);
      ASSERT_EQ(dealer->send({text}), send_status::ok);
      auto got = router->recv();
      ASSERT_TRUE(got) << "generation " << generation << ": the ROUTER refused the successor; events "
                       << show(router->seen_events());
      ASSERT_EQ(*got, (strings{"X", text}));
      // Routable at once: the ROUTER received from "X", so "X" is attached.
      ASSERT_EQ(router->send({"X", "re: " + text}), send_status::ok);
      got = dealer->recv();
      ASSERT_TRUE(got) << "the reply went to an earlier DEALER";
      EXPECT_EQ(*got, (strings{"re: " + text}));
    }
    ASSERT_TRUE(router->wait_event(monitor_event::disconnected))
        << "generation " << generation << ": the ROUTER did not notice its DEALER leave; events "
        << show(router->seen_events());
  }
}

// DISCONNECTED is reported once the socket was told (as HANDSHAKE_SUCCEEDED is): whoever
// sees the event finds the departed peer unroutable at once. It used to be reported before
// the I/O thread closed the peer's link, and the ROUTER still routed to it when the report
// overtook the close: a race, hence the repetitions (every run of 200 caught it then, on
// both backends).
TEST_P(routing_ids, a_departed_peer_is_unroutable_once_its_disconnection_is_reported) {
  ringmq::context ringmq_ctx;
  auto router = make_ringmq_peer(ringmq_ctx, socket_type::router);
  router->set_router_mandatory();
  const std::string endpoint = router->bind(bind_endpoint(GetParam()));
  libzmq_context libzmq_ctx;
  for (int generation = 0; generation < 200; ++generation) {
    auto dealer = make_libzmq_peer(libzmq_ctx, socket_type::dealer);
    dealer->set_routing_id("Y");
    dealer->connect(endpoint);
    ASSERT_EQ(dealer->send({"here"}), send_status::ok);
    const auto got = router->recv();
    ASSERT_TRUE(got);
    ASSERT_EQ(*got, (strings{"Y", "here"}));
    dealer.reset();
    ASSERT_TRUE(router->wait_event(monitor_event::disconnected)) << show(router->seen_events());
    ASSERT_EQ(router->send({"Y", "too late"}), send_status::unroutable) << "generation " << generation;
  }
}

INSTANTIATE_TEST_SUITE_P(transports, routing_ids, ::testing::Values(transport::tcp, transport::ipc),
                         [](const auto& test) { return std::string(to_string(test.param)); });

}  // namespace
}  // namespace ringmq_interop
