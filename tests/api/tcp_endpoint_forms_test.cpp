// The tcp endpoint forms libzmq 4.3 takes besides "host:port": an interface name where an
// address is bound ("tcp://lo:*"), a source address before the peer when connecting
// ("tcp://src;dst", "tcp://src:port;dst"), and the errors for names that resolve to nothing.
// On loopback: "lo" is 127.0.0.1 (and ::1), and 127.0.0.2 is a second local address.
#include "free_port.hpp"
#include "spec/support.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace ringmq_test {
namespace {

// The error a call throws (code and what()), or an empty code.
template <class Fn>
std::pair<std::error_code, std::string> thrown(Fn&& fn) {
  try {
    fn();
  } catch (const ringmq::error& e) {
    return {e.code(), e.what()};
  }
  return {};
}

using test_support::free_port;

TEST(api_tcp_endpoint_forms, an_interface_name_binds_that_interfaces_address) {
  ringmq::context ctx;
  auto rep = make_socket(ctx, socket_type::rep);
  rep.bind("tcp://lo:*");
  const std::string bound = rep.last_endpoint();
  EXPECT_TRUE(bound.starts_with("tcp://127.0.0.1:")) << bound;
  auto req = make_socket(ctx, socket_type::req);
  req.connect(bound);
  ASSERT_TRUE(req.send("over lo"));
  EXPECT_EQ(recv_string(rep), "over lo");
}

TEST(api_tcp_endpoint_forms, with_ipv6_an_interface_name_binds_its_ipv6_address) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::pull);
  s.set(opt::ipv6, true);
  s.bind("tcp://lo:*");
  EXPECT_TRUE(s.last_endpoint().starts_with("tcp://[::1]:")) << s.last_endpoint();
}

TEST(api_tcp_endpoint_forms, a_name_that_resolves_to_nothing_fails_bind_with_enodev_and_says_so) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::pull);
  const auto [code, what] = thrown([&] { s.bind("tcp://nosuchif0:5555"); });
  EXPECT_EQ(code, std::errc::no_such_device) << code.message();
  EXPECT_NE(what.find("could not be resolved"), std::string::npos) << what;
  EXPECT_EQ(what.find("No route to host"), std::string::npos) << what;
}

TEST(api_tcp_endpoint_forms, a_source_address_is_refused_where_an_address_is_bound) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::pull);
  EXPECT_EQ(thrown([&] { s.bind("tcp://127.0.0.1;127.0.0.1:*"); }).first, ringmq::errc::invalid_endpoint);
}

TEST(api_tcp_endpoint_forms, a_source_that_names_no_interface_or_address_fails_connect_with_einval) {
  ringmq::context ctx;
  auto s = make_socket(ctx, socket_type::push);
  const auto [code, what] = thrown([&] { s.connect("tcp://nosuchif0:0;127.0.0.1:5555"); });
  EXPECT_EQ(code, std::errc::invalid_argument) << code.message();
  EXPECT_NE(what.find("could not be resolved"), std::string::npos) << what;
  EXPECT_EQ(thrown([&] { s.connect("tcp://;127.0.0.1:5555"); }).first, ringmq::errc::invalid_endpoint);
}

// The ROUTER sees where a connection comes from in each message's Peer-Address.
std::string peer_address_seen_by(ringmq::socket& router, ringmq::socket& dealer) {
  if (!dealer.send("hello")) return "(send failed)";
  auto id = router.recv();
  auto body = router.recv();
  if (!id || !body) return "(nothing received)";
  const auto address = body->property("Peer-Address");
  return address ? std::string(*address) : "(no Peer-Address)";
}

TEST(api_tcp_endpoint_forms, a_source_address_without_a_port_is_the_connections_local_address) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  router.bind("tcp://127.0.0.1:*");
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.connect("tcp://127.0.0.2;" + router.last_endpoint().substr(6));
  EXPECT_EQ(peer_address_seen_by(router, dealer), "127.0.0.2");
}

TEST(api_tcp_endpoint_forms, a_source_interface_and_port_are_the_connections_local_address) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  router.bind("tcp://127.0.0.1:*");
  auto monitor = router.monitor(ringmq::monitor_event::accepted);
  const int port = free_port();
  auto dealer = make_socket(ctx, socket_type::dealer);
  dealer.connect("tcp://lo:" + std::to_string(port) + ";" + router.last_endpoint().substr(6));
  const auto accepted = monitor.next(safety);
  ASSERT_TRUE(accepted.has_value());
  ASSERT_GE(accepted->value, 0);
  sockaddr_in from{};
  socklen_t len = sizeof from;
  ASSERT_EQ(::getpeername(static_cast<int>(accepted->value), reinterpret_cast<sockaddr*>(&from), &len), 0);
  EXPECT_EQ(ntohs(from.sin_port), port);
  EXPECT_EQ(peer_address_seen_by(router, dealer), "127.0.0.1");
}

}  // namespace
}  // namespace ringmq_test
