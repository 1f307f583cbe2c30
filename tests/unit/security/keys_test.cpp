// CURVE keys: libzmq's fixed perf-tool keys (its perf/local_thr.cpp) through every accepted
// form, and the forms option setting must refuse.
#include "core/socket_options.hpp"
#include "security/curve_keys.hpp"
#include "security/z85.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace ringmq::security {
namespace {

// libzmq perf/local_thr.cpp and remote_thr.cpp.
constexpr std::string_view perf_server_secret = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
constexpr std::string_view perf_server_public = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
constexpr std::string_view perf_client_secret = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";
constexpr std::string_view perf_client_public = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";

std::string public_of(std::string_view secret_text) {
  std::string secret;
  EXPECT_TRUE(decode_curve_key(secret_text, secret));
  unsigned char pub[32];
  curve_public_from_secret(reinterpret_cast<const unsigned char*>(secret.data()), pub);
  std::string text;
  z85_encode(std::as_bytes(std::span(pub)), text);
  return text;
}

TEST(curve_keys, libzmq_perf_tool_keys_are_pairs) {
  EXPECT_EQ(public_of(perf_server_secret), perf_server_public);
  EXPECT_EQ(public_of(perf_client_secret), perf_client_public);
}

TEST(curve_keys, decoder_accepts_binary_z85_and_z85_with_nul) {
  std::string a;
  std::string b;
  std::string c;
  ASSERT_TRUE(decode_curve_key(perf_server_public, a));
  ASSERT_EQ(a.size(), 32U);
  ASSERT_TRUE(decode_curve_key(std::string(perf_server_public) + '\0', b));
  ASSERT_TRUE(decode_curve_key(a, c));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
}

TEST(curve_keys, decoder_refuses_other_forms) {
  std::string out;
  EXPECT_FALSE(decode_curve_key("", out));
  EXPECT_FALSE(decode_curve_key(perf_server_public.substr(0, 39), out));
  EXPECT_FALSE(decode_curve_key(std::string(perf_server_public) + "0", out));  // 41 without NUL
  EXPECT_FALSE(decode_curve_key(std::string(perf_server_public) + "00000", out));
  std::string bad(perf_server_public);
  bad[7] = ' ';
  EXPECT_FALSE(decode_curve_key(bad, out));
  EXPECT_TRUE(out.empty());
}

TEST(curve_keys, options_take_z85_once_the_decoder_is_installed) {
  install_curve_key_decoder();
  detail::socket_options o;
  EXPECT_FALSE(o.set(option::curve_serverkey, perf_server_public));
  EXPECT_EQ(o.curve_serverkey.size(), 32U);
  EXPECT_FALSE(o.set(option::curve_secretkey, std::string(perf_client_secret) + '\0'));
  EXPECT_EQ(o.curve_secretkey.size(), 32U);
  EXPECT_TRUE(o.set(option::curve_publickey, "too short"));
  EXPECT_EQ(o.mechanism(), mechanism_kind::curve);
}

TEST(curve_keys, generated_pairs_match) {
  unsigned char pub[32];
  unsigned char sec[32];
  curve_generate_keypair(pub, sec);
  unsigned char again[32];
  curve_public_from_secret(sec, again);
  EXPECT_EQ(std::memcmp(pub, again, 32), 0);
}

}  // namespace
}  // namespace ringmq::security
