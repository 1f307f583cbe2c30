// rfc 23/37 greeting: our encoding byte for byte, and the decoder's early decisions.
#include "zmtp/greeting.hpp"

#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

namespace ringmq::zmtp::test {
namespace {

std::string encoded(std::string_view mech, bool as_server) {
  const greeting_bytes g = encode_greeting(mech, as_server);
  return std::string(reinterpret_cast<const char*>(g.data()), g.size());
}

TEST(greeting, our_null_greeting_is_signature_version_31_and_zero_filler) {
  const std::string expected = hex("ff 00 00 00 00 00 00 00 00 7f 03 01 4e 55 4c 4c") + std::string(48, '\0');
  EXPECT_EQ(to_hex(encoded("NULL", false)), to_hex(expected));
}

TEST(greeting, curve_server_sets_the_as_server_octet) {
  const std::string g = encoded("CURVE", true);
  EXPECT_EQ(g.substr(12, 20), "CURVE"s + std::string(15, '\0'));
  EXPECT_EQ(g[32], '\x01');
  EXPECT_EQ(g.substr(33), std::string(31, '\0'));
}

TEST(greeting, mechanism_names_follow_the_rfc_grammar) {
  EXPECT_TRUE(valid_mechanism_name("NULL"));
  EXPECT_TRUE(valid_mechanism_name("X-MY_MECH.2+"));
  EXPECT_TRUE(valid_mechanism_name(std::string(20, 'A')));
  EXPECT_FALSE(valid_mechanism_name(""));
  EXPECT_FALSE(valid_mechanism_name(std::string(21, 'A')));
  EXPECT_FALSE(valid_mechanism_name("null"));
  EXPECT_FALSE(valid_mechanism_name("NU LL"));
}

greeting_decoder::status feed_all(greeting_decoder& d, const std::string& s, std::size_t& used) {
  return d.decode(B(s), used);
}

TEST(greeting, accepts_libzmq_greeting_with_nonzero_padding) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  const std::string g = libzmq_greeting() + "extra";
  EXPECT_EQ(feed_all(d, g, used), greeting_decoder::status::done);
  EXPECT_EQ(used, 64U);  // never consumes past the greeting
  EXPECT_EQ(d.peer().major, 3);
  EXPECT_EQ(d.peer().minor, 1);
  EXPECT_FALSE(d.peer().as_server);
}

TEST(greeting, padding_octets_are_never_validated) {
  for (char pad : {'\x00', '\x01', '\x7f', '\xff', 'Z'}) {
    greeting_decoder d("NULL");
    std::size_t used = 0;
    EXPECT_EQ(feed_all(d, greeting("NULL", 3, 1, pad), used), greeting_decoder::status::done) << int(pad);
  }
}

TEST(greeting, decodes_one_octet_at_a_time) {
  greeting_decoder d("PLAIN");
  const std::string g = greeting("PLAIN", 3, 0, '\x05', true);
  for (std::size_t i = 0; i < g.size(); ++i) {
    std::size_t used = 0;
    const auto st = d.decode(B(g).subspan(i, 1), used);
    EXPECT_EQ(used, 1U);
    EXPECT_EQ(st, i + 1 == g.size() ? greeting_decoder::status::done : greeting_decoder::status::need_more);
  }
  EXPECT_EQ(d.peer().minor, 0);
  EXPECT_TRUE(d.peer().as_server);
}

TEST(greeting, rejects_a_zmtp_1_0_peer_at_octet_0) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  // A ZMTP 1.0 identity frame: length 1, flags 0.
  EXPECT_EQ(d.decode(B("\x01\x00"s), used), greeting_decoder::status::failed);
  EXPECT_EQ(used, 1U);
  EXPECT_EQ(d.error().kind, error_kind::protocol);
}

TEST(greeting, rejects_a_long_zmtp_1_0_header_at_octet_9) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  // ZMTP 1.0 long length (FF + 8 octets) followed by flags 0x00: bit 0 of octet 9 clear.
  const std::string v1 = hex("ff 00 00 00 00 00 00 01 01 00");
  EXPECT_EQ(d.decode(B(v1).first(9), used), greeting_decoder::status::need_more);
  EXPECT_EQ(d.decode(B(v1).subspan(9), used), greeting_decoder::status::failed);
  EXPECT_EQ(d.received(), 10U);
}

TEST(greeting, rejects_zmtp_2_0_at_the_major_version_octet) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  const std::string g = greeting("NULL", 1);  // ZMTP 2.0 puts revision 01 at octet 10
  EXPECT_EQ(d.decode(B(g), used), greeting_decoder::status::failed);
  EXPECT_EQ(used, 11U);
  EXPECT_NE(d.error().text.find("unsupported ZMTP version 1"), std::string::npos) << d.error().text;

  greeting_decoder d2("NULL");
  EXPECT_EQ(d2.decode(B(greeting("NULL", 2)), used), greeting_decoder::status::failed);
  EXPECT_EQ(used, 11U);
}

TEST(greeting, accepts_higher_versions) {
  // rfc 37: "A peer MUST accept higher protocol versions as valid."
  for (int major : {3, 4, 255}) {
    greeting_decoder d("NULL");
    std::size_t used = 0;
    EXPECT_EQ(d.decode(B(greeting("NULL", major, 7)), used), greeting_decoder::status::done);
    EXPECT_EQ(d.peer().major, major);
  }
}

TEST(greeting, mechanism_mismatch_is_detected_when_the_field_is_complete) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  const std::string g = greeting("CURVE");
  EXPECT_EQ(d.decode(B(g).first(31), used), greeting_decoder::status::need_more);
  EXPECT_EQ(d.decode(B(g).subspan(31), used), greeting_decoder::status::failed);
  EXPECT_EQ(used, 1U);
  EXPECT_EQ(d.error().code, protocol_code::zmtp_mechanism_mismatch);
  EXPECT_NE(d.error().text.find("CURVE"), std::string::npos);
}

TEST(greeting, mechanism_must_match_all_twenty_octets) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  std::string g = greeting("NULL");
  g[20] = 'X';  // junk after the name's NUL padding
  EXPECT_EQ(d.decode(B(g), used), greeting_decoder::status::failed);
  EXPECT_EQ(d.error().code, protocol_code::zmtp_mechanism_mismatch);
}

TEST(greeting, nothing_is_consumed_after_failure) {
  greeting_decoder d("NULL");
  std::size_t used = 0;
  EXPECT_EQ(d.decode(B("\x00"s), used), greeting_decoder::status::failed);
  EXPECT_EQ(d.decode(B(greeting()), used), greeting_decoder::status::failed);
  EXPECT_EQ(used, 0U);
}

}  // namespace
}  // namespace ringmq::zmtp::test
