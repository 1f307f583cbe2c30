#include "transport/stream/address.hpp"

#include <ringmq/error.hpp>

#include <gtest/gtest.h>

namespace ringmq::detail {
namespace {

TEST(tcp_endpoint, parses_hosts_ports_and_wildcards) {
  tcp_endpoint ep;
  ASSERT_FALSE(parse_tcp_endpoint("127.0.0.1:5555", ep));
  EXPECT_EQ(ep.host, "127.0.0.1");
  EXPECT_EQ(ep.port, 5555);
  ASSERT_FALSE(parse_tcp_endpoint("*:*", ep));
  EXPECT_EQ(ep.host, "*");
  EXPECT_EQ(ep.port, 0);
  ASSERT_FALSE(parse_tcp_endpoint("[::1]:80", ep));
  EXPECT_EQ(ep.host, "::1");
  ASSERT_FALSE(parse_tcp_endpoint("localhost:1", ep));
  EXPECT_EQ(ep.host, "localhost");
}

TEST(tcp_endpoint, rejects_malformed_endpoints) {
  tcp_endpoint ep;
  for (const char* bad :
       {"", "host", "host:", ":5555", "host:70000", "host:-1", "host:12a", "::1:80", "[::1:80", "[]:80"})
    EXPECT_EQ(parse_tcp_endpoint(bad, ep), errc::invalid_endpoint) << bad;
}

TEST(tcp_address, wildcard_binds_all_interfaces_in_the_chosen_family) {
  tcp_endpoint ep{"*", 0};
  socket_address a;
  ASSERT_FALSE(tcp_bind_address(ep, false, a));
  EXPECT_EQ(a.family(), AF_INET);
  ASSERT_FALSE(tcp_bind_address(ep, true, a));
  EXPECT_EQ(a.family(), AF_INET6);
}

TEST(tcp_address, numeric_addresses_format_back) {
  socket_address a;
  ASSERT_FALSE(tcp_bind_address({"127.0.0.1", 4242}, false, a));
  EXPECT_EQ(format_endpoint(a), "tcp://127.0.0.1:4242");
  ASSERT_FALSE(tcp_bind_address({"::1", 4242}, true, a));
  EXPECT_EQ(format_endpoint(a), "tcp://[::1]:4242");
}

TEST(tcp_address, localhost_resolves_for_connecting) {
  std::vector<socket_address> found;
  ASSERT_FALSE(tcp_connect_addresses({"localhost", 9}, false, found));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front().family(), AF_INET);
}

TEST(tcp_address, connecting_needs_a_host_and_a_port) {
  std::vector<socket_address> found;
  EXPECT_EQ(tcp_connect_addresses({"*", 80}, false, found), errc::invalid_endpoint);
  EXPECT_EQ(tcp_connect_addresses({"127.0.0.1", 0}, false, found), errc::invalid_endpoint);
}

TEST(ipc_address, paths_and_abstract_names_round_trip) {
  socket_address a;
  ASSERT_FALSE(ipc_address("/tmp/ringmq.sock", a));
  EXPECT_EQ(format_endpoint(a), "ipc:///tmp/ringmq.sock");
  ASSERT_FALSE(ipc_address("@ringmq-abstract", a));
  EXPECT_EQ(format_endpoint(a), "ipc://@ringmq-abstract");
}

TEST(ipc_address, paths_longer_than_sun_path_are_refused) {
  socket_address a;
  EXPECT_EQ(ipc_address(std::string(108, 'x'), a), errc::invalid_endpoint);
  EXPECT_FALSE(ipc_address(std::string(107, 'x'), a));
  EXPECT_FALSE(ipc_address("@" + std::string(107, 'x'), a));
}

}  // namespace
}  // namespace ringmq::detail
