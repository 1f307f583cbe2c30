// Endpoints over inproc: last_endpoint, unbind and disconnect, connect before bind, binding
// a name again after unbind, IMMEDIATE.
#include "spec/support.hpp"

#include <set>
#include <string>

namespace ringmq_test {
namespace {

TEST(api_endpoints, last_endpoint_is_the_last_successful_bind_or_connect) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::dealer);
  EXPECT_EQ(s.last_endpoint(), "");
  s.bind("inproc://first");
  EXPECT_EQ(s.last_endpoint(), "inproc://first");
  EXPECT_EQ(s.get(opt::last_endpoint), "inproc://first");
  auto peer = make_socket(ctx, socket_type::dealer);
  peer.bind("inproc://second");
  s.connect("inproc://second");
  EXPECT_EQ(s.last_endpoint(), "inproc://second");
  std::error_code ec;
  s.bind("inproc://second", ec);  // taken
  EXPECT_TRUE(ec);
  EXPECT_EQ(s.last_endpoint(), "inproc://second") << "a failed bind changes nothing";
  s.connect("udp://x", ec);
  EXPECT_EQ(s.last_endpoint(), "inproc://second");
}

TEST(api_endpoints, connect_before_bind_works_in_both_directions) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.connect("inproc://pull-waits");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://push-waits");
  ASSERT_TRUE(push.send("queued before the bind", send_flags::dontwait));

  auto binder_push = make_socket(ctx, socket_type::push);
  binder_push.bind("inproc://pull-waits");
  auto binder_pull = make_socket(ctx, socket_type::pull);
  binder_pull.bind("inproc://push-waits");
  ASSERT_TRUE(binder_push.send("after the bind"));
  EXPECT_EQ(recv_string(pull), "after the bind");
  EXPECT_EQ(recv_string(binder_pull), "queued before the bind");
}

TEST(api_endpoints, many_connects_wait_for_one_bind) {
  ringmq::context ctx;
  std::vector<ringmq::socket> pushes;
  for (int i = 0; i < 4; ++i) {
    pushes.push_back(make_socket(ctx, socket_type::push));
    pushes.back().connect("inproc://gather");
    ASSERT_TRUE(pushes.back().send(std::to_string(i)));
  }
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://gather");
  std::set<std::string> got;
  for (int i = 0; i < 4; ++i) got.insert(recv_string(pull).value_or("?"));
  EXPECT_EQ(got, (std::set<std::string>{"0", "1", "2", "3"}));
}

TEST(api_endpoints, unbind_frees_the_name_for_another_bind) {
  ringmq::context ctx;
  auto first = make_socket(ctx, socket_type::pull);
  first.bind("inproc://reused");
  first.unbind("inproc://reused");
  auto second = make_socket(ctx, socket_type::pull);
  second.bind("inproc://reused");  // bind after unbind
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://reused");
  ASSERT_TRUE(push.send("to the new binder"));
  EXPECT_EQ(recv_string(second), "to the new binder");
  EXPECT_TRUE(nothing_to_recv(first));
  // The first socket can bind the name again once it is free.
  second.unbind("inproc://reused");
  first.bind("inproc://reused");
}

TEST(api_endpoints, unbind_by_the_resolved_last_endpoint) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::pair);
  s.bind("inproc://resolved");
  EXPECT_NO_THROW(s.unbind(s.last_endpoint()));
}

TEST(api_endpoints, a_connect_after_unbind_waits_for_the_next_bind) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://gap");
  pull.unbind("inproc://gap");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://gap");  // nobody bound: pending
  ASSERT_TRUE(push.send("waiting"));
  EXPECT_TRUE(nothing_to_recv(pull));
  pull.bind("inproc://gap");
  EXPECT_EQ(recv_string(pull), "waiting");
}

TEST(api_endpoints, disconnect_stops_sending_to_that_peer) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pull);
  auto b = make_socket(ctx, socket_type::pull);
  a.bind("inproc://a");
  b.bind("inproc://b");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://a");
  push.connect("inproc://b");
  push.disconnect("inproc://a");
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(push.send(std::to_string(i)));
  EXPECT_EQ(drain(b), 4);
  EXPECT_TRUE(nothing_to_recv(a));
  push.connect("inproc://a");  // and it can connect again
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(push.send(std::to_string(i)));
  EXPECT_EQ(drain(a) + drain(b), 4);
}

TEST(api_endpoints, disconnect_removes_every_connection_made_to_that_endpoint) {
  // libzmq (socket_base_t::term_endpoint) terminates all connections whose endpoint string
  // matches, not just the first.
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://twice");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://twice");
  push.connect("inproc://twice");
  push.disconnect("inproc://twice");
  EXPECT_FALSE(push.send("no connection left", send_flags::dontwait));
  std::error_code ec;
  push.disconnect("inproc://twice", ec);
  EXPECT_EQ(ec, ringmq::errc::endpoint_not_found);
}

TEST(api_endpoints, disconnect_of_a_pending_connect_withdraws_it) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://withdrawn");
  ASSERT_TRUE(push.send("never delivered"));
  push.disconnect("inproc://withdrawn");
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://withdrawn");
  EXPECT_FALSE(wait_readable(pull, 50ms));
  EXPECT_FALSE(push.send("no peer", send_flags::dontwait));
}

TEST(api_endpoints, IMMEDIATE_queues_only_to_completed_connections) {
  ringmq::context ctx;
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::immediate, true);
  push.connect("inproc://immediate");
  EXPECT_FALSE(push.send("nobody yet", send_flags::dontwait));
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://immediate");
  EXPECT_TRUE(push.send("now"));  // waits for the connection, within the safety timeout
  EXPECT_EQ(recv_string(pull), "now");
}

TEST(api_endpoints, one_socket_binds_and_connects_many_endpoints) {
  ringmq::context ctx;
  auto hub = make_socket(ctx, socket_type::pull);
  hub.bind("inproc://hub1");
  hub.bind("inproc://hub2");
  auto other = make_socket(ctx, socket_type::push);
  other.bind("inproc://spoke");
  hub.connect("inproc://spoke");
  auto p1 = make_socket(ctx, socket_type::push);
  auto p2 = make_socket(ctx, socket_type::push);
  p1.connect("inproc://hub1");
  p2.connect("inproc://hub2");
  ASSERT_TRUE(p1.send("1"));
  ASSERT_TRUE(p2.send("2"));
  ASSERT_TRUE(other.send("3"));
  std::set<std::string> got;
  for (int i = 0; i < 3; ++i) got.insert(recv_string(hub).value_or("?"));
  EXPECT_EQ(got, (std::set<std::string>{"1", "2", "3"}));
}

}  // namespace
}  // namespace ringmq_test
