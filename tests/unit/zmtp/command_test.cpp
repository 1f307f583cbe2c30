// Command bodies byte for byte against the rfc grammar and the libzmq captures
// (docs/wire-and-security.md).
#include "zmtp/command.hpp"

#include "zmtp/frame_encoder.hpp"
#include "zmtp/metadata_codec.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

namespace ringmq::zmtp::test {
namespace {

using detail::message_access;

// The command as it goes on the wire: header + body.
std::string wire(const message& cmd) {
  return std::string(as_text(encode_frame_header(cmd).view())) + cmd.to_string();
}

TEST(command, dealer_ready_matches_the_libzmq_capture) {
  std::string props;
  append_property(props, "Socket-Type", "DEALER");
  append_property(props, "Identity", "");
  const message ready = build_ready(B(props));
  EXPECT_TRUE(message_access::has(ready, message_access::command));
  EXPECT_EQ(to_hex(wire(ready)),
            to_hex(hex("04 29 05") + "READY" + hex("0b") + "Socket-Type" + hex("00 00 00 06") + "DEALER" +
                   hex("08") + "Identity" + hex("00 00 00 00")));
  EXPECT_EQ(wire(ready).size(), 43U);
}

TEST(command, subscribe_and_cancel_match_the_captures) {
  EXPECT_EQ(to_hex(wire(build_subscribe(B("AB")))), to_hex(hex("04 0c 09") + "SUBSCRIBE" + "AB"));
  EXPECT_EQ(to_hex(wire(build_subscribe({}))), to_hex(hex("04 0a 09") + "SUBSCRIBE"));
  EXPECT_EQ(to_hex(wire(build_cancel(B("AB")))), to_hex(hex("04 09 06") + "CANCEL" + "AB"));
}

TEST(command, ping_carries_ttl_in_deciseconds) {
  // libzmq with HEARTBEAT_TTL=2500 ms: 04 07 04 PING 00 19.
  EXPECT_EQ(to_hex(wire(build_ping(25, {}))), to_hex(hex("04 07 04") + "PING" + hex("00 19")));
  EXPECT_EQ(to_hex(wire(build_ping(0x1234, B("ctx")))),
            to_hex(hex("04 0a 04") + "PING" + hex("12 34") + "ctx"));
}

TEST(command, ping_and_pong_context_is_cut_to_16_octets) {
  const std::string ctx = "0123456789abcdefXYZ";
  EXPECT_EQ(build_ping(1, B(ctx)).size(), 1 + 4 + 2 + 16U);
  EXPECT_EQ(to_hex(wire(build_pong(B("LOL")))), to_hex(hex("04 08 04") + "PONG" + "LOL"));
  EXPECT_EQ(build_pong(B(ctx)).view().substr(5), ctx.substr(0, 16));
}

TEST(command, error_reason_is_short_size_prefixed_and_cut_to_255) {
  EXPECT_EQ(to_hex(wire(build_error("400"))), to_hex(hex("04 0a 05") + "ERROR" + hex("03") + "400"));
  const message long_error = build_error(std::string(300, 'e'));
  EXPECT_EQ(long_error.size(), 1 + 5 + 1 + 255U);
  EXPECT_EQ(to_hex(as_text(encode_frame_header(long_error).view())), "06 00 00 00 00 00 00 01 06");
}

TEST(command, parse_splits_name_and_data) {
  const std::string ready = "\x05READYdata";
  const auto c = parse_command(B(ready));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "READY");
  EXPECT_EQ(as_text(c->data), "data");
  const std::string ping = "\x04PING";
  const auto e = parse_command(B(ping));
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->data.empty());
}

TEST(command, parse_rejects_truncated_and_empty_names) {
  EXPECT_FALSE(parse_command({}));
  EXPECT_FALSE(parse_command(B("\x00"s)));
  EXPECT_FALSE(parse_command(B("\x00xyz"s)));
  EXPECT_FALSE(parse_command(B("\x05READ"s)));
  EXPECT_FALSE(parse_command(B("\xff"s)));
}

TEST(command, parse_ping_needs_the_ttl) {
  EXPECT_FALSE(parse_ping({}));
  EXPECT_FALSE(parse_ping(B("\x01"s)));
  const std::string data = "\x00\x19hello"s;
  const auto p = parse_ping(B(data));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ttl_deciseconds, 25);
  EXPECT_EQ(as_text(p->context), "hello");
}

TEST(command, parse_error_reason_checks_its_length) {
  EXPECT_FALSE(parse_error_reason({}));
  EXPECT_FALSE(
      parse_error_reason(B("\x04"
                           "400"s)));
  EXPECT_EQ(parse_error_reason(B("\x03"
                                 "400"s))
                .value(),
            "400");
  EXPECT_EQ(parse_error_reason(B("\x00"s)).value(), "");
}

// ---- metadata codec ----

TEST(metadata_codec, round_trip) {
  const std::vector<property> props{
      {"Socket-Type", "ROUTER"}, {"Identity", ""}, {"X-Big", std::string(300, 'v')}};
  const std::string enc = encode_properties(props);
  std::vector<property_view> out;
  ASSERT_EQ(parse_properties(B(enc), out), nullptr);
  ASSERT_EQ(out.size(), 3U);
  for (std::size_t i = 0; i < props.size(); ++i) {
    EXPECT_EQ(out[i].name, props[i].first);
    EXPECT_EQ(out[i].value, props[i].second);
  }
}

TEST(metadata_codec, empty_list_is_valid) {
  std::vector<property_view> out;
  EXPECT_EQ(parse_properties({}, out), nullptr);
  EXPECT_TRUE(out.empty());
}

TEST(metadata_codec, rejects_truncated_properties) {
  const std::string good = prop("Socket-Type", "PUB");
  std::vector<property_view> out;
  for (std::size_t n = 1; n < good.size(); ++n)
    EXPECT_NE(parse_properties(B(good.substr(0, n)), out), nullptr) << n;
}

TEST(metadata_codec, rejects_value_lengths_past_the_end_or_above_2_pow_31) {
  std::vector<property_view> out;
  EXPECT_NE(parse_properties(B("\x01X" + u32be(5) + "abcd"), out), nullptr);
  EXPECT_NE(parse_properties(B("\x01X" + u32be(0xffffffff) + "abcd"), out), nullptr);
  EXPECT_NE(parse_properties(B("\x01X" + u32be(0x80000000)), out), nullptr);
}

TEST(metadata_codec, rejects_bad_names) {
  std::vector<property_view> out;
  EXPECT_NE(parse_properties(B(std::string(1, '\0') + u32be(0)), out), nullptr);   // empty
  EXPECT_NE(parse_properties(B(prop("Socket Type", "PUB")), out), nullptr);        // space
  EXPECT_NE(parse_properties(B(prop("Caf\xc3\xa9", "x")), out), nullptr);          // non-ASCII
  EXPECT_NE(parse_properties(B(prop("a\0b"s, "x")), out), nullptr);                // NUL
  EXPECT_EQ(parse_properties(B(prop("a-Z_0.9+", "x")), out), nullptr);             // every allowed class
  EXPECT_EQ(parse_properties(B(prop(std::string(255, 'n'), "x")), out), nullptr);  // 255 chars
}

TEST(metadata_codec, a_count_limit_stops_the_parse) {
  const std::string three = prop("A", "1") + prop("B", "2") + prop("C", "3");
  std::vector<property_view> out;
  EXPECT_EQ(parse_properties(B(three), out, 3), nullptr);
  EXPECT_EQ(out.size(), 3U);
  EXPECT_NE(parse_properties(B(three), out, 2), nullptr);
  EXPECT_EQ(out.size(), 2U);  // the third was never stored
}

TEST(metadata_codec, cost_counts_names_values_and_the_overhead_per_property) {
  std::vector<property_view> out;
  ASSERT_EQ(parse_properties(B(prop("Socket-Type", "PUSH") + prop("X", "")), out), nullptr);
  EXPECT_EQ(metadata_cost(out), (11 + 4 + property_overhead) + (1 + 0 + property_overhead));
}

TEST(metadata_codec, a_peer_list_is_held_to_both_bounds) {
  std::vector<property_view> out;
  std::string at_count;
  for (std::size_t i = 0; i < max_peer_properties; ++i) at_count += prop("X", "");
  EXPECT_EQ(parse_peer_properties(B(at_count), out), nullptr);
  EXPECT_NE(parse_peer_properties(B(at_count + prop("X", "")), out), nullptr);
  // One property whose octets alone reach the cost bound, and one octet more.
  const std::string at_cost = prop("X", std::string(max_peer_metadata_cost - 1 - property_overhead, 'v'));
  const std::string over_cost = prop("X", std::string(max_peer_metadata_cost - property_overhead, 'v'));
  EXPECT_EQ(parse_peer_properties(B(at_cost), out), nullptr);
  EXPECT_NE(parse_peer_properties(B(over_cost), out), nullptr);
}

TEST(metadata_codec, names_compare_case_insensitively) {
  EXPECT_TRUE(property_name_equal("Socket-Type", "socket-TYPE"));
  EXPECT_FALSE(property_name_equal("Socket-Type", "Socket-Typ"));
  EXPECT_TRUE(is_application_property("X-Foo"));
  EXPECT_TRUE(is_application_property("x-foo"));
  EXPECT_FALSE(is_application_property("Xfoo"));
  EXPECT_FALSE(valid_property_name(std::string(256, 'n')));
}

}  // namespace
}  // namespace ringmq::zmtp::test
