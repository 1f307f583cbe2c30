#include "core/socket_options.hpp"

#include <ringmq/error.hpp>

#include <gtest/gtest.h>

namespace ringmq::detail {
namespace {

TEST(options, defaults_are_the_documented_ones) {
  const socket_options o;
  EXPECT_EQ(o.sndhwm, 1000);
  EXPECT_EQ(o.rcvhwm, 1000);
  EXPECT_EQ(o.linger.count(), 1000);  // finite, unlike libzmq
  EXPECT_EQ(o.reconnect_ivl.count(), 100);
  EXPECT_EQ(o.reconnect_ivl_max.count(), 2000);
  EXPECT_EQ(o.handshake_ivl.count(), 10000);
  EXPECT_EQ(o.maxmsgsize, std::int64_t{256} << 20);
  EXPECT_EQ(o.heartbeat_ivl.count(), 0);
  EXPECT_EQ(o.mechanism(), mechanism_kind::null);
}

TEST(options, every_option_is_found_by_number_and_by_name) {
  for (int id = 0; id < 128; ++id) {
    auto info = find_option(static_cast<option>(id));
    if (!info) continue;
    auto by_name = find_option(info->name);
    ASSERT_TRUE(by_name) << info->name;
    EXPECT_EQ(by_name->id, info->id);
  }
  EXPECT_EQ(find_option("ZMQ_SNDHWM")->id, option::sndhwm);
  EXPECT_EQ(find_option("Linger")->id, option::linger);
  EXPECT_FALSE(find_option("no_such_option"));
  EXPECT_FALSE(find_option(static_cast<option>(9999)));
}

TEST(options, integer_options_round_trip_and_check_ranges) {
  socket_options o;
  EXPECT_FALSE(o.set(option::sndhwm, 5));
  std::int64_t v = 0;
  EXPECT_FALSE(o.get(option::sndhwm, v));
  EXPECT_EQ(v, 5);
  EXPECT_EQ(o.set(option::sndhwm, -1), errc::invalid_option_value);
  EXPECT_EQ(o.set(option::linger, -2), errc::invalid_option_value);
  EXPECT_FALSE(o.set(option::linger, -1));  // infinite is allowed
  EXPECT_EQ(o.set(option::immediate, 2), errc::invalid_option_value);
  EXPECT_EQ(o.set(option::heartbeat_ttl, 6553600), errc::invalid_option_value);
}

TEST(options, a_value_of_the_wrong_kind_is_refused) {
  socket_options o;
  EXPECT_EQ(o.set(option::sndhwm, std::string_view("5")), errc::wrong_option_type);
  EXPECT_EQ(o.set(option::routing_id, 5), errc::wrong_option_type);
}

TEST(options, unknown_and_read_only_options_are_refused) {
  socket_options o;
  EXPECT_EQ(o.set(static_cast<option>(9999), 1), errc::unknown_option);
  EXPECT_EQ(o.set(option::type, 1), errc::invalid_option_value);
  EXPECT_EQ(o.set(option::last_endpoint, std::string_view("x")), errc::invalid_option_value);
}

TEST(options, routing_ids_follow_rfc23) {
  socket_options o;
  EXPECT_FALSE(o.set(option::routing_id, std::string_view("abc")));
  EXPECT_EQ(o.routing_id, "abc");
  EXPECT_EQ(o.set(option::routing_id, std::string_view("\0x", 2)), errc::invalid_option_value);
  EXPECT_EQ(o.set(option::routing_id, std::string_view(std::string(256, 'a'))), errc::invalid_option_value);
}

TEST(options, curve_keys_take_32_binary_bytes) {
  socket_options o;
  const std::string key(32, '\x07');
  EXPECT_FALSE(o.set(option::curve_serverkey, std::string_view(key)));
  EXPECT_EQ(o.curve_serverkey, key);
  EXPECT_EQ(o.mechanism(), mechanism_kind::curve);
  EXPECT_EQ(o.set(option::curve_serverkey, std::string_view("short")), errc::invalid_option_value);
}

TEST(options, choosing_one_server_mechanism_clears_the_other) {
  socket_options o;
  EXPECT_FALSE(o.set(option::plain_server, 1));
  EXPECT_EQ(o.mechanism(), mechanism_kind::plain);
  EXPECT_FALSE(o.set(option::curve_server, 1));
  EXPECT_FALSE(o.plain_server);
  EXPECT_EQ(o.mechanism(), mechanism_kind::curve);
}

}  // namespace
}  // namespace ringmq::detail
