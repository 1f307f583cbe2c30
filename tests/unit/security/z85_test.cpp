// Z85 (rfc 32): the reference vector, round trips, and everything a decoder must refuse.
#include "security/z85.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq::security {
namespace {

using namespace std::string_literals;

std::span<const std::byte> B(const std::string& s) { return std::as_bytes(std::span(s)); }

TEST(z85, rfc32_test_vector) {
  // rfc 32: "86 4F D2 6F B5 59 F7 5B" <-> "HelloWorld".
  const std::string binary = "\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B"s;
  std::string text;
  ASSERT_TRUE(z85_encode(B(binary), text));
  EXPECT_EQ(text, "HelloWorld");
  const auto back = z85_decode("HelloWorld");
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, binary);
}

TEST(z85, extreme_values) {
  std::string text;
  ASSERT_TRUE(z85_encode(B("\0\0\0\0"s), text));
  EXPECT_EQ(text, "00000");
  ASSERT_TRUE(z85_encode(B("\xff\xff\xff\xff"s), text));
  EXPECT_EQ(text, "%nSc0");  // 2^32-1, the largest value a group may hold
  EXPECT_EQ(z85_decode("%nSc0"), "\xff\xff\xff\xff"s);
  EXPECT_EQ(z85_decode("%nSc1"), std::nullopt);  // 2^32: one too many
}

TEST(z85, round_trips_every_byte_value) {
  std::string binary;
  for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
  std::string text;
  ASSERT_TRUE(z85_encode(B(binary), text));
  EXPECT_EQ(text.size(), 320U);
  EXPECT_EQ(z85_decode(text), binary);
}

TEST(z85, empty_input_is_empty_output) {
  std::string text = "junk";
  ASSERT_TRUE(z85_encode({}, text));
  EXPECT_TRUE(text.empty());
  EXPECT_EQ(z85_decode(""), ""s);
}

TEST(z85, encode_refuses_lengths_not_divisible_by_4) {
  std::string text;
  for (std::size_t n : {1U, 2U, 3U, 5U, 31U, 33U}) {
    EXPECT_FALSE(z85_encode(B(std::string(n, 'x')), text)) << n;
    EXPECT_TRUE(text.empty());
  }
}

TEST(z85, decode_refuses_lengths_not_divisible_by_5) {
  for (std::string_view t : {"H", "Hell", "HelloW", "HelloWorl", "HelloWorld0"})
    EXPECT_EQ(z85_decode(t), std::nullopt) << t;
}

TEST(z85, decode_refuses_characters_outside_the_alphabet) {
  for (char bad : {' ', '"', '\'', ',', ';', '\\', '_', '`', '|', '~', '\0', '\x7f', '\x80', '\xff'}) {
    std::string t = "HelloWorld";
    t[3] = bad;
    EXPECT_EQ(z85_decode(t), std::nullopt) << static_cast<int>(bad);
  }
}

TEST(z85, decode_refuses_groups_above_32_bits) {
  EXPECT_EQ(z85_decode("#####"), std::nullopt);
  EXPECT_EQ(z85_decode("%%%%%"), std::nullopt);
  EXPECT_EQ(z85_decode("00000#####"), std::nullopt);
}

TEST(z85, decode_into_a_span_checks_its_size) {
  std::byte out[7];
  EXPECT_FALSE(z85_decode("HelloWorld", std::span(out)));
  std::byte ok[8];
  EXPECT_TRUE(z85_decode("HelloWorld", std::span(ok)));
}

}  // namespace
}  // namespace ringmq::security
