// address_mask: TCP_ACCEPT_FILTER's syntax (libzmq's tcp_address_mask_t) and matching.
#include "core/address_mask.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

namespace ringmq::detail {
namespace {

sockaddr_in v4(const char* text) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  EXPECT_EQ(::inet_pton(AF_INET, text, &a.sin_addr), 1) << text;
  return a;
}

sockaddr_in6 v6(const char* text) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  EXPECT_EQ(::inet_pton(AF_INET6, text, &a.sin6_addr), 1) << text;
  return a;
}

address_mask mask(const char* text, bool ipv6 = true) {
  address_mask m;
  EXPECT_TRUE(address_mask::parse(text, ipv6, m)) << text;
  return m;
}

template <class Address>
bool matches(const address_mask& m, const Address& a) {
  return m.matches(reinterpret_cast<const sockaddr*>(&a), sizeof a);
}

TEST(address_mask, accepts_libzmqs_forms) {
  address_mask m;
  for (const char* text : {"127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "192.168.1.0/24", "10.1.2.3/32",
                           "10.0.0.0/8x" /* libzmq reads the prefix with strtol */}) {
    EXPECT_TRUE(address_mask::parse(text, false, m)) << text;
  }
  for (const char* text : {"::1", "[::1]", "fe80::/10", "::/0", "::ffff:10.0.0.1/128"})
    EXPECT_TRUE(address_mask::parse(text, true, m)) << text;
}

TEST(address_mask, refuses_what_libzmq_refuses) {
  address_mask m;
  for (const char* text : {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/00", "localhost",
                           "10.0.0.300", "::1" /* an IPv6 filter needs IPV6 */, "x/8"}) {
    EXPECT_FALSE(address_mask::parse(text, false, m)) << text;
  }
  EXPECT_FALSE(address_mask::parse("::1/129", true, m));
}

TEST(address_mask, IPv4_prefixes_compare_the_leading_bits) {
  const address_mask net = mask("10.1.0.0/16", false);
  EXPECT_TRUE(matches(net, v4("10.1.200.7")));
  EXPECT_FALSE(matches(net, v4("10.2.0.1")));
  const address_mask odd = mask("192.168.1.128/25", false);
  EXPECT_TRUE(matches(odd, v4("192.168.1.200")));
  EXPECT_FALSE(matches(odd, v4("192.168.1.127")));
  const address_mask host = mask("127.0.0.1", false);
  EXPECT_TRUE(matches(host, v4("127.0.0.1")));
  EXPECT_FALSE(matches(host, v4("127.0.0.2")));
  const address_mask any = mask("0.0.0.0/0", false);
  EXPECT_TRUE(matches(any, v4("203.0.113.9")));
  EXPECT_FALSE(matches(any, v6("::1"))) << "a mask matches its own family only";
}

TEST(address_mask, IPv6_prefixes_compare_the_leading_bits) {
  const address_mask link_local = mask("fe80::/10");
  EXPECT_TRUE(matches(link_local, v6("fe80::1")));
  EXPECT_TRUE(matches(link_local, v6("febf::1")));
  EXPECT_FALSE(matches(link_local, v6("fec0::1")));
  EXPECT_FALSE(matches(link_local, v4("127.0.0.1")));
  EXPECT_TRUE(matches(mask("::1"), v6("::1")));
  EXPECT_FALSE(matches(mask("::1"), v6("::2")));
}

TEST(address_mask, an_IPv4_peer_of_a_dual_stack_listener_matches_IPv4_masks) {
  const address_mask net = mask("10.0.0.0/8");
  EXPECT_TRUE(matches(net, v6("::ffff:10.9.8.7")));
  EXPECT_FALSE(matches(net, v6("::ffff:11.0.0.1")));
  EXPECT_FALSE(matches(net, v6("::1"))) << "libzmq's /8 over the mapped form would match this";
  EXPECT_TRUE(matches(mask("::ffff:10.0.0.0/104"), v6("::ffff:10.9.8.7"))) << "the IPv6 form matches too";
}

}  // namespace
}  // namespace ringmq::detail
