// cppzmq (Debian's cppzmq-dev: zmq.hpp, zmq_addon.hpp), nobody here wrote it, built against
// capi/include/zmq.h and running on ringmq's libzmq.so.5: multipart messages, the poller,
// the monitor, proxies and CURVE, as a cppzmq user writes them.
#include <gtest/gtest.h>
#include <zmq.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq_addon.hpp>

namespace {

using namespace std::chrono_literals;

constexpr int safety_ms = 5000;

zmq::socket_t make_socket(zmq::context_t& ctx, zmq::socket_type type) {
  zmq::socket_t s(ctx, type);
  s.set(zmq::sockopt::rcvtimeo, safety_ms);
  s.set(zmq::sockopt::sndtimeo, safety_ms);
  s.set(zmq::sockopt::linger, 0);
  return s;
}

TEST(cppzmq, multipart_messages_over_tcp) {
  zmq::context_t ctx;
  zmq::socket_t router = make_socket(ctx, zmq::socket_type::router);
  zmq::socket_t dealer = make_socket(ctx, zmq::socket_type::dealer);
  router.bind("tcp://127.0.0.1:*");
  dealer.set(zmq::sockopt::routing_id, "worker-1");
  dealer.connect(router.get(zmq::sockopt::last_endpoint));

  const std::vector<zmq::const_buffer> request{zmq::str_buffer("job"), zmq::str_buffer("42")};
  ASSERT_EQ(zmq::send_multipart(dealer, request), 2U);
  std::vector<zmq::message_t> got;
  ASSERT_EQ(zmq::recv_multipart(router, std::back_inserter(got)), 3U);
  EXPECT_EQ(got[0].to_string(), "worker-1");
  EXPECT_EQ(got[1].to_string(), "job");
  EXPECT_EQ(got[2].to_string(), "42");
  EXPECT_STREQ(got[2].gets("Socket-Type"), "DEALER");

  zmq::multipart_t reply;
  reply.addstr("worker-1");
  reply.addstr("done");
  reply.addtyp<int>(7);
  ASSERT_TRUE(reply.send(router));
  zmq::multipart_t answer(dealer);
  ASSERT_EQ(answer.size(), 2U);
  EXPECT_EQ(answer.popstr(), "done");
  EXPECT_EQ(answer.poptyp<int>(), 7);

  // A large body and a zero-copy message.
  std::string big(1 << 20, 'x');
  ASSERT_TRUE(dealer.send(zmq::buffer(big)));
  zmq::message_t who, body;
  ASSERT_TRUE(router.recv(who));
  ASSERT_TRUE(router.recv(body));
  EXPECT_EQ(body.size(), big.size());
  EXPECT_EQ(body.to_string(), big);
}

TEST(cppzmq, poller_and_active_poller) {
  zmq::context_t ctx;
  zmq::socket_t a = make_socket(ctx, zmq::socket_type::pull);
  zmq::socket_t b = make_socket(ctx, zmq::socket_type::pull);
  zmq::socket_t to_a = make_socket(ctx, zmq::socket_type::push);
  zmq::socket_t to_b = make_socket(ctx, zmq::socket_type::push);
  a.bind("inproc://poller-a");
  b.bind("tcp://127.0.0.1:*");
  to_a.connect("inproc://poller-a");
  to_b.connect(b.get(zmq::sockopt::last_endpoint));

  int tag_a = 1, tag_b = 2;
  zmq::poller_t<int> poller;
  poller.add(a, zmq::event_flags::pollin, &tag_a);
  poller.add(b, zmq::event_flags::pollin, &tag_b);
  EXPECT_EQ(poller.size(), 2U);
  std::vector<zmq::poller_event<int>> events(2);
  EXPECT_EQ(poller.wait_all(events, 0ms), 0U);
  to_b.send(zmq::str_buffer("for b"), zmq::send_flags::none);
  ASSERT_EQ(poller.wait_all(events, std::chrono::milliseconds(safety_ms)), 1U);
  EXPECT_EQ(events[0].socket, b);
  EXPECT_EQ(events[0].user_data, &tag_b);
  zmq::message_t m;
  ASSERT_TRUE(b.recv(m));

  zmq::active_poller_t active;
  std::vector<std::string> seen;
  active.add(a, zmq::event_flags::pollin, [&](zmq::event_flags) {
    zmq::message_t msg;
    (void)a.recv(msg);
    seen.push_back(msg.to_string());
  });
  to_a.send(zmq::str_buffer("for a"), zmq::send_flags::none);
  EXPECT_EQ(active.wait(std::chrono::milliseconds(safety_ms)), 1U);
  EXPECT_EQ(seen, std::vector<std::string>{"for a"});
}

// Records the events cppzmq's monitor_t decodes.
class recording_monitor : public zmq::monitor_t {
 public:
  std::vector<std::string> events;
  void on_event_listening(const zmq_event_t&, const char*) override { events.push_back("LISTENING"); }
  void on_event_accepted(const zmq_event_t&, const char*) override { events.push_back("ACCEPTED"); }
  void on_event_connected(const zmq_event_t&, const char*) override { events.push_back("CONNECTED"); }
  void on_event_handshake_succeeded(const zmq_event_t&, const char*) override {
    events.push_back("HANDSHAKE_SUCCEEDED");
  }
  void on_event_disconnected(const zmq_event_t&, const char*) override { events.push_back("DISCONNECTED"); }
  void on_event_handshake_failed_protocol(const zmq_event_t&, const char*) override {
    events.push_back("HANDSHAKE_FAILED_PROTOCOL");
  }
  // Waits (bounded) until `name` was decoded.
  bool wait_for(const std::string& name) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(safety_ms);
    while (std::find(events.begin(), events.end(), name) == events.end()) {
      if (std::chrono::steady_clock::now() > give_up) return false;
      check_event(100);
    }
    return true;
  }
};

TEST(cppzmq, monitor_decodes_libzmq_events) {
  zmq::context_t ctx;
  zmq::socket_t server = make_socket(ctx, zmq::socket_type::rep);
  recording_monitor monitor;
  monitor.init(server, "inproc://cppzmq-monitor", ZMQ_EVENT_ALL);
  server.bind("tcp://127.0.0.1:*");
  EXPECT_TRUE(monitor.wait_for("LISTENING"));
  {
    zmq::socket_t client = make_socket(ctx, zmq::socket_type::req);
    client.connect(server.get(zmq::sockopt::last_endpoint));
    EXPECT_TRUE(monitor.wait_for("ACCEPTED"));
    EXPECT_TRUE(monitor.wait_for("HANDSHAKE_SUCCEEDED"));
  }
  EXPECT_TRUE(monitor.wait_for("DISCONNECTED"));
}

TEST(cppzmq, proxy_queue_until_the_context_ends) {
  zmq::context_t ctx;
  zmq::socket_t front = make_socket(ctx, zmq::socket_type::router);
  zmq::socket_t back = make_socket(ctx, zmq::socket_type::dealer);
  front.bind("tcp://127.0.0.1:*");
  back.bind("tcp://127.0.0.1:*");
  zmq::socket_t client = make_socket(ctx, zmq::socket_type::req);
  zmq::socket_t worker = make_socket(ctx, zmq::socket_type::rep);
  client.connect(front.get(zmq::sockopt::last_endpoint));
  worker.connect(back.get(zmq::sockopt::last_endpoint));
  auto done = std::async(std::launch::async, [&] {
    try {
      zmq::proxy(front, back);
    } catch (const zmq::error_t& e) {
      return e.num();
    }
    return 0;
  });
  for (int i = 0; i < 10; ++i) {
    client.send(zmq::buffer("question " + std::to_string(i)), zmq::send_flags::none);
    zmq::message_t q;
    ASSERT_TRUE(worker.recv(q));
    EXPECT_EQ(q.to_string(), "question " + std::to_string(i));
    worker.send(zmq::str_buffer("answer"), zmq::send_flags::none);
    zmq::message_t a;
    ASSERT_TRUE(client.recv(a));
  }
  ctx.shutdown();
  EXPECT_EQ(done.get(), ETERM);
}

TEST(cppzmq, steerable_proxy_terminates_on_command) {
  zmq::context_t ctx;
  zmq::socket_t front = make_socket(ctx, zmq::socket_type::pull);
  zmq::socket_t back = make_socket(ctx, zmq::socket_type::push);
  zmq::socket_t control = make_socket(ctx, zmq::socket_type::pair);
  front.bind("inproc://steer-in");
  back.bind("inproc://steer-out");
  control.bind("inproc://steer-control");
  zmq::socket_t producer = make_socket(ctx, zmq::socket_type::push);
  zmq::socket_t consumer = make_socket(ctx, zmq::socket_type::pull);
  zmq::socket_t steer = make_socket(ctx, zmq::socket_type::pair);
  producer.connect("inproc://steer-in");
  consumer.connect("inproc://steer-out");
  steer.connect("inproc://steer-control");
  auto done =
      std::async(std::launch::async, [&] { zmq::proxy_steerable(front, back, zmq::socket_ref(), control); });
  producer.send(zmq::str_buffer("through"), zmq::send_flags::none);
  zmq::message_t m;
  ASSERT_TRUE(consumer.recv(m));
  EXPECT_EQ(m.to_string(), "through");
  steer.send(zmq::str_buffer("TERMINATE"), zmq::send_flags::none);
  EXPECT_NO_THROW(done.get());
}

TEST(cppzmq, curve_encrypts_and_checks_the_server_key) {
  zmq::context_t ctx;
  char server_public[41], server_secret[41], client_public[41], client_secret[41];
  ASSERT_EQ(zmq_curve_keypair(server_public, server_secret), 0);
  ASSERT_EQ(zmq_curve_keypair(client_public, client_secret), 0);

  zmq::socket_t server = make_socket(ctx, zmq::socket_type::rep);
  server.set(zmq::sockopt::curve_server, true);
  server.set(zmq::sockopt::curve_secretkey, server_secret);
  server.bind("tcp://127.0.0.1:*");
  EXPECT_EQ(server.get(zmq::sockopt::mechanism), ZMQ_CURVE);

  zmq::socket_t client = make_socket(ctx, zmq::socket_type::req);
  client.set(zmq::sockopt::curve_serverkey, server_public);
  client.set(zmq::sockopt::curve_publickey, client_public);
  client.set(zmq::sockopt::curve_secretkey, client_secret);
  client.connect(server.get(zmq::sockopt::last_endpoint));
  client.send(zmq::str_buffer("secret"), zmq::send_flags::none);
  zmq::message_t m;
  ASSERT_TRUE(server.recv(m));
  EXPECT_EQ(m.to_string(), "secret");
  EXPECT_EQ(client.get(zmq::sockopt::curve_serverkey, 41), server_public);

  // A client that has the wrong server key fails the handshake (the server cannot open its
  // HELLO) and gets nothing through.
  char other_public[41], other_secret[41];
  ASSERT_EQ(zmq_curve_keypair(other_public, other_secret), 0);
  recording_monitor server_events;
  server_events.init(server, "inproc://curve-server-monitor", ZMQ_EVENT_ALL);
  zmq::socket_t intruder = make_socket(ctx, zmq::socket_type::dealer);
  intruder.set(zmq::sockopt::curve_serverkey, other_public);
  intruder.set(zmq::sockopt::curve_publickey, client_public);
  intruder.set(zmq::sockopt::curve_secretkey, client_secret);
  intruder.connect(server.get(zmq::sockopt::last_endpoint));
  EXPECT_TRUE(server_events.wait_for("HANDSHAKE_FAILED_PROTOCOL"));
  EXPECT_EQ(std::count(server_events.events.begin(), server_events.events.end(), "HANDSHAKE_SUCCEEDED"), 0);
}

}  // namespace
