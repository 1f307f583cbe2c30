// The behaviour every transport must share, checked over inproc, ipc and tcp. Connections
// are awaited through monitor events or blocking receives with RCVTIMEO as a safety net,
// never with sleeps.
#include "transport/transport_fixture.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace ringmq_test;
using namespace std::chrono_literals;
using ringmq::monitor_event;
using ringmq::socket_type;

TYPED_TEST_SUITE(transport_conformance, transports, transport_names);
TYPED_TEST_SUITE(networked_conformance, networked_transports, transport_names);

TYPED_TEST(transport_conformance, delivers_a_message_bind_then_connect) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  push.send(std::string_view("hello"));
  EXPECT_EQ(this->recv_text(pull), "hello");
}

TYPED_TEST(transport_conformance, messages_sent_before_the_connection_is_up_are_delivered) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  for (int i = 0; i < 100; ++i) push.send(std::string_view(std::to_string(i)));  // queued at once
  for (int i = 0; i < 100; ++i) ASSERT_EQ(this->recv_text(pull), std::to_string(i));
}

TYPED_TEST(transport_conformance, connect_before_bind_reaches_the_later_binder) {
  const std::string ep = TypeParam::fixed_endpoint();
  auto push = this->make(socket_type::push);
  push.connect(ep);
  push.send(std::string_view("early"));
  auto pull = this->make(socket_type::pull);
  pull.bind(ep);
  EXPECT_EQ(this->recv_text(pull), "early");
}

TYPED_TEST(transport_conformance, round_robin_over_several_connected_peers) {
  auto push = this->make(socket_type::push);
  auto m = push.monitor(monitor_event::handshake_succeeded);
  const std::string ep = this->bind(push);
  std::vector<ringmq::socket> pulls;
  for (int i = 0; i < 3; ++i) {
    pulls.push_back(this->make(socket_type::pull));
    pulls.back().connect(ep);
  }
  this->await_handshakes(m, 3);
  for (int i = 0; i < 9; ++i) push.send(std::string_view("m"));
  for (auto& p : pulls)
    for (int i = 0; i < 3; ++i) ASSERT_EQ(this->recv_text(p), "m");  // three each
}

TYPED_TEST(transport_conformance, request_reply_both_directions_with_multipart) {
  auto rep = this->make(socket_type::rep);
  const std::string ep = this->bind(rep);
  auto req = this->make(socket_type::req);
  req.connect(ep);
  for (int round = 0; round < 10; ++round) {
    req.send_multipart(std::vector<std::string>{"a", "", std::to_string(round)});
    std::vector<ringmq::message> request;
    ASSERT_TRUE(rep.recv_multipart(std::back_inserter(request)));
    ASSERT_EQ(request.size(), 3u);
    EXPECT_EQ(request[2].view(), std::to_string(round));
    rep.send_multipart(request);
    std::vector<ringmq::message> reply;
    ASSERT_TRUE(req.recv_multipart(std::back_inserter(reply)));
    ASSERT_EQ(reply.size(), 3u);
    EXPECT_EQ(reply[0].view(), "a");
    EXPECT_EQ(reply[1].view(), "");
  }
}

TYPED_TEST(transport_conformance, bodies_of_every_size_arrive_intact) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{48}, std::size_t{49}, std::size_t{255},
                           std::size_t{256}, std::size_t{8191}, std::size_t{65537}, std::size_t{3} << 20}) {
    std::string body(size, '\0');
    for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>((i * 131 + size) & 0xff);
    push.send(std::string_view(body));
    auto got = pull.recv();
    ASSERT_TRUE(got) << size;
    ASSERT_EQ(got->size(), size);
    EXPECT_TRUE(got->view() == body) << "content differs at size " << size;
  }
}

TYPED_TEST(transport_conformance, multipart_messages_arrive_whole_and_in_order) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  std::vector<ringmq::socket> pushes;
  for (int i = 0; i < 2; ++i) {
    pushes.push_back(this->make(socket_type::push));
    pushes.back().connect(ep);
  }
  constexpr int count = 200;
  std::vector<std::thread> senders;
  for (int p = 0; p < 2; ++p)
    senders.emplace_back([&, p] {
      for (int i = 0; i < count; ++i)
        pushes[static_cast<std::size_t>(p)].send_multipart(
            std::vector<std::string>{std::to_string(p), std::to_string(i), std::string(1000, 'x')});
    });
  int next[2] = {0, 0};
  for (int i = 0; i < 2 * count; ++i) {
    std::vector<ringmq::message> parts;
    ASSERT_TRUE(pull.recv_multipart(std::back_inserter(parts)));
    ASSERT_EQ(parts.size(), 3u);
    const int p = std::stoi(parts[0].to_string());
    ASSERT_EQ(std::stoi(parts[1].to_string()), next[p]++) << "messages of one peer keep their order";
  }
  for (auto& t : senders) t.join();
}

TYPED_TEST(transport_conformance, pubsub_filters_by_prefix) {
  auto pub = this->make(socket_type::xpub);
  const std::string ep = this->bind(pub);
  auto sub = this->make(socket_type::sub);
  sub.connect(ep);
  sub.set(ringmq::opt::subscribe, "A");
  ASSERT_EQ(this->recv_text(pub), std::string("\x01"
                                              "A",
                                              2));  // the subscription arrived
  pub.send(std::string_view("B-not-for-you"));
  pub.send(std::string_view("A-for-you"));
  EXPECT_EQ(this->recv_text(sub), "A-for-you");
  sub.set(ringmq::opt::unsubscribe, "A");
  EXPECT_EQ(this->recv_text(pub), std::string("\x00"
                                              "A",
                                              2));
}

TYPED_TEST(transport_conformance, dealer_router_route_by_identity) {
  auto router = this->make(socket_type::router);
  const std::string ep = this->bind(router);
  auto dealer = this->make(socket_type::dealer);
  dealer.set(ringmq::opt::routing_id, "d1");
  dealer.connect(ep);
  dealer.send(std::string_view("hi"));
  EXPECT_EQ(this->recv_text(router), "d1");
  EXPECT_EQ(this->recv_text(router), "hi");
  router.send_multipart(std::vector<std::string>{"d1", "back"});
  EXPECT_EQ(this->recv_text(dealer), "back");
}

TYPED_TEST(transport_conformance, a_full_receiver_pushes_back_until_it_reads) {
  auto pull = this->make(socket_type::pull);
  pull.set(ringmq::opt::rcvhwm, 10);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.set(ringmq::opt::sndhwm, 10);
  push.connect(ep);
  // Fill everything between the sockets (pipes, batches and kernel buffers) until a
  // non-blocking send is refused; then reading makes room again.
  const std::string body(4096, 'z');
  int sent = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (push.send(std::string_view(body), ringmq::send_flags::dontwait)) {
    ++sent;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the sender was never pushed back";
    if (sent % 64 == 0) std::this_thread::yield();
  }
  EXPECT_GT(sent, 0);
  for (int i = 0; i < sent; ++i) ASSERT_TRUE(pull.recv()) << i;
  EXPECT_TRUE(push.send(std::string_view(body)));
  EXPECT_TRUE(pull.recv());
}

TYPED_TEST(networked_conformance, unbind_refuses_new_connections_and_drops_the_old) {
  auto pull = this->make(socket_type::pull);
  auto m =
      pull.monitor(monitor_event::handshake_succeeded | monitor_event::disconnected | monitor_event::closed);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  this->await_handshakes(m, 1);
  pull.unbind(ep);
  EXPECT_THROW(pull.unbind(ep), ringmq::error);
  pull.set(ringmq::opt::rcvtimeo, 0ms);
  push.send(std::string_view("after unbind"), ringmq::send_flags::dontwait);
  bool closed = false;
  while (auto e = m.next(10s)) {
    if (e->type == monitor_event::closed) closed = true;
    if (closed) break;
  }
  EXPECT_TRUE(closed);
  EXPECT_FALSE(pull.recv(ringmq::recv_flags::dontwait));
}

TYPED_TEST(networked_conformance, a_restarted_binder_gets_the_connection_back) {
  auto first = this->make(socket_type::pull);
  const std::string ep = TypeParam::fixed_endpoint();
  first.bind(ep);
  auto push = this->make(socket_type::push);
  auto m = push.monitor(monitor_event::handshake_succeeded | monitor_event::disconnected);
  push.connect(ep);
  push.send(std::string_view("one"));
  EXPECT_EQ(this->recv_text(first), "one");
  first.close();  // the peer goes away...
  for (bool down = false; !down;) {
    auto e = m.next(10s);
    ASSERT_TRUE(e) << "no disconnect seen";
    down = e->type == monitor_event::disconnected;
  }
  auto second = this->make(socket_type::pull);
  second.bind(ep);  // ...and comes back at the same address
  push.send(std::string_view("two"));
  EXPECT_EQ(this->recv_text(second), "two");
}

TYPED_TEST(transport_conformance, streams_and_the_lone_messages_between_them_arrive_in_order) {
  // A burst keeps the sender's I/O thread watching its pipe rather than sleeping on it; a
  // lone message after the receiver drained the burst finds it either still watching or
  // asleep. Both must deliver, whichever it is.
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  int next = 0;
  for (int round = 0; round < 20; ++round) {
    const int burst = round % 2 == 0 ? 500 : 1;  // under the default HWM: no reader needed
    for (int i = 0; i < burst; ++i) ASSERT_TRUE(push.send(std::string_view(std::to_string(next + i))));
    for (int i = 0; i < burst; ++i) ASSERT_EQ(this->recv_text(pull), std::to_string(next + i));
    next += burst;
  }
}

TYPED_TEST(transport_conformance, closing_the_sender_still_delivers_what_it_sent_within_linger) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  {
    auto push = this->make(socket_type::push);
    push.set(ringmq::opt::linger, 5000ms);
    push.connect(ep);
    for (int i = 0; i < 50; ++i) push.send(std::string_view("last words " + std::to_string(i)));
  }  // closed at once, without waiting
  for (int i = 0; i < 50; ++i) EXPECT_EQ(this->recv_text(pull), "last words " + std::to_string(i));
}

TYPED_TEST(transport_conformance, destroying_a_context_with_an_absent_peer_returns_within_linger) {
  const auto start = std::chrono::steady_clock::now();
  {
    ringmq::context own;
    ringmq::socket push(own, socket_type::push);
    push.set(ringmq::opt::linger, 200ms);
    push.connect(TypeParam::networked
                     ? (std::is_same_v<TypeParam, tcp_transport> ? "tcp://127.0.0.1:9"
                                                                 : "ipc://@ringmq-nobody-" + unique_name())
                     : "inproc://nobody-" + unique_name());
    push.send(std::string_view("nobody will read this"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "termination must be bounded by LINGER";
}

TYPED_TEST(networked_conformance, a_streaming_sender_closing_before_its_peer_lets_its_context_end) {
  // The sender's I/O thread is likely watching its pipe when the socket closes (LINGER 0):
  // the session ends the connection, and must then finish rather than dial its peer again
  // (which then leaves too), or destroying the context would wait forever (the test then
  // times out). Many rounds: the interleavings differ from round to round.
  for (int round = 0; round < 50; ++round) {
    ringmq::context own;  // destroyed at the end of each round
    own.set(ringmq::opt::linger, 0ms);
    ringmq::socket pull(own, socket_type::pull);
    pull.set(ringmq::opt::rcvtimeo, 10s);
    pull.bind(TypeParam::bind_endpoint());
    ringmq::socket push(own, socket_type::push);
    push.connect(pull.last_endpoint());
    ASSERT_TRUE(push.send(std::string_view("m")));
    ASSERT_TRUE(pull.recv()) << round;  // connected
    for (int i = 0; i < 900; ++i) ASSERT_TRUE(push.send(std::string_view("m")));
    push.close();  // most likely while its I/O thread still streams
    pull.close();
  }
}

TYPED_TEST(networked_conformance, monitor_reports_the_connection_life_cycle) {
  auto pull = this->make(socket_type::pull);
  auto bound_events = pull.monitor();
  const std::string ep = this->bind(pull);
  std::vector<monitor_event> seen_by_connector;
  {
    auto push = this->make(socket_type::push);
    auto events = push.monitor();
    push.connect(ep);
    push.send(std::string_view("x"));
    ASSERT_EQ(this->recv_text(pull), "x");
    while (auto e = events.next(200ms)) seen_by_connector.push_back(e->type);
  }
  std::set<monitor_event> bound_seen;
  while (auto e = bound_events.next(2s)) {
    bound_seen.insert(e->type);
    if (e->type == monitor_event::disconnected) break;
  }
  EXPECT_TRUE(bound_seen.contains(monitor_event::listening));
  EXPECT_TRUE(bound_seen.contains(monitor_event::accepted));
  EXPECT_TRUE(bound_seen.contains(monitor_event::handshake_succeeded));
  EXPECT_TRUE(bound_seen.contains(monitor_event::disconnected));
  EXPECT_NE(std::find(seen_by_connector.begin(), seen_by_connector.end(), monitor_event::connected),
            seen_by_connector.end());
  EXPECT_NE(std::find(seen_by_connector.begin(), seen_by_connector.end(), monitor_event::handshake_succeeded),
            seen_by_connector.end());
}

TYPED_TEST(networked_conformance, a_message_over_maxmsgsize_drops_the_connection_not_the_socket) {
  auto pull = this->make(socket_type::pull);
  pull.set(ringmq::opt::maxmsgsize, std::int64_t{1000});
  auto m = pull.monitor(monitor_event::disconnected);
  const std::string ep = this->bind(pull);
  auto big = this->make(socket_type::push);
  big.connect(ep);
  big.send(std::string_view(std::string(1001, 'b')));
  auto e = m.next(10s);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, monitor_event::disconnected);
  auto small = this->make(socket_type::push);
  small.connect(ep);
  small.send(std::string_view("fits"));
  EXPECT_EQ(this->recv_text(pull), "fits");
}

TEST(transport_endpoints, wildcards_resolve_in_last_endpoint) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  s.bind("tcp://127.0.0.1:*");
  const std::string tcp = s.last_endpoint();
  EXPECT_EQ(tcp.rfind("tcp://127.0.0.1:", 0), 0u) << tcp;
  EXPECT_NE(tcp.substr(16), "*");
  s.bind("ipc://*");
  const std::string ipc = s.last_endpoint();
  EXPECT_EQ(ipc.rfind("ipc:///", 0), 0u) << ipc;
  s.bind("tcp://*:0");
  EXPECT_EQ(s.last_endpoint().rfind("tcp://0.0.0.0:", 0), 0u);
}

TEST(transport_endpoints, malformed_and_unavailable_endpoints_are_clear_errors) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  std::error_code ec;
  s.bind("tcp://127.0.0.1", ec);
  EXPECT_EQ(ec, ringmq::errc::invalid_endpoint);
  s.connect("tcp://*:5555", ec);
  EXPECT_EQ(ec, ringmq::errc::invalid_endpoint);
  s.bind("tcp://127.0.0.1:*");
  ringmq::socket other(ctx, socket_type::pull);
  other.bind(s.last_endpoint(), ec);
  EXPECT_EQ(ec, std::errc::address_in_use);
  s.bind("udp://127.0.0.1:1", ec);
  EXPECT_EQ(ec, ringmq::errc::unsupported_transport);
}

TEST(transport_endpoints, an_ipc_path_rebound_while_the_old_listener_closes_stays_bound) {
  ringmq::context ctx;
  ctx.set(ringmq::opt::linger, 0ms);
  const std::string ep = ipc_transport::fixed_endpoint();
  ringmq::socket old_binder(ctx, socket_type::pull);
  auto closed = old_binder.monitor(monitor_event::closed);
  old_binder.bind(ep);
  old_binder.unbind(ep);  // its listener has closed on the I/O thread by the time unbind returns
  ringmq::socket new_binder(ctx, socket_type::pull);
  new_binder.set(ringmq::opt::rcvtimeo, 10s);
  new_binder.bind(ep);
  auto e = closed.next(10s);
  ASSERT_TRUE(e) << "the old listener never closed";
  EXPECT_EQ(e->type, monitor_event::closed);
  // The old listener has closed: the new binder's socket file must have survived it.
  struct stat st {};
  EXPECT_EQ(::lstat(ep.substr(6).c_str(), &st), 0) << "the new binder's socket file was unlinked";
  ringmq::socket push(ctx, socket_type::push);
  push.connect(ep);
  push.send(std::string_view("reached"));
  auto m = new_binder.recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to_string(), "reached");
}

// A tcp port or an abstract ipc name is held by the listening socket until the I/O thread
// closes it; unbind and close wait for that, so binding the address again right away works.
TEST(transport_endpoints, an_address_is_free_to_bind_again_when_unbind_or_close_returns) {
  ringmq::context ctx;
  ctx.set(ringmq::opt::linger, 0ms);
  for (const std::string& ep : {tcp_transport::fixed_endpoint(), "ipc://@ringmq-rebind-" + unique_name()}) {
    for (int round = 0; round < 50; ++round) {
      ringmq::socket first(ctx, socket_type::pull);
      first.bind(ep);
      first.unbind(ep);
      first.bind(ep);
      first.close();
      ringmq::socket second(ctx, socket_type::pull);
      std::error_code ec;
      second.bind(ep, ec);
      ASSERT_FALSE(ec) << ep << " round " << round << ": " << ec.message();
    }
  }
}

TEST(transport_endpoints, ipv6_loopback_and_abstract_ipc) {
  ringmq::context ctx;
  ctx.set(ringmq::opt::linger, 0ms);
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(ringmq::opt::rcvtimeo, 10s);
  pull.set(ringmq::opt::ipv6, true);
  std::error_code ec;
  pull.bind("tcp://[::1]:*", ec);
  if (ec) GTEST_SKIP() << "no IPv6 loopback here: " << ec.message();
  ringmq::socket push(ctx, socket_type::push);
  push.set(ringmq::opt::ipv6, true);
  push.connect(pull.last_endpoint());
  push.send(std::string_view("v6"));
  EXPECT_EQ(pull.recv()->to_string(), "v6");
  pull.bind("ipc://@ringmq-abstract-test-" + std::to_string(::getpid()));
  ringmq::socket push2(ctx, socket_type::push);
  push2.connect(pull.last_endpoint());
  push2.send(std::string_view("abstract"));
  EXPECT_EQ(pull.recv()->to_string(), "abstract");
}

}  // namespace
