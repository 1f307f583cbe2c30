// PLAIN (rfc 24) commands octet by octet, and malformed HELLOs a server must refuse.
#include "security/plain_client.hpp"
#include "security/plain_server.hpp"
#include "unit/zmtp/zmtp_test_util.hpp"

#include <gtest/gtest.h>

namespace ringmq::security {
namespace {

using namespace ringmq::zmtp::test;
namespace code = zmtp::protocol_code;

TEST(plain_client, hello_waits_for_the_greeting_then_carries_the_credentials) {
  plain_client c("user", "pw");
  std::string props = prop("Socket-Type", "REQ");
  zmtp::handshake_step s0;
  c.start(zmtp::handshake_context{socket_type::req, zmtp::as_bytes(props)}, s0);
  EXPECT_TRUE(s0.commands.empty());
  zmtp::handshake_step s1;
  c.on_peer_greeting(zmtp::peer_greeting{}, s1);
  ASSERT_EQ(s1.commands.size(), 1U);
  EXPECT_EQ(s1.commands[0].to_string(), "\x05HELLO\x04user\x02pw");
  zmtp::handshake_step s2;
  c.process_command(B("\x07WELCOME"), s2);
  ASSERT_EQ(s2.commands.size(), 1U);
  EXPECT_EQ(s2.commands[0].to_string(), "\x08INITIATE" + props);
  zmtp::handshake_step s3;
  const std::string ready = "\x05READY" + prop("Socket-Type", "REP");
  c.process_command(B(ready), s3);
  EXPECT_TRUE(s3.complete);
  EXPECT_EQ(s3.peer_properties, prop("Socket-Type", "REP"));
}

TEST(plain_client, welcome_with_data_is_malformed) {
  plain_client c("u", "p");
  std::string props;
  zmtp::handshake_step s;
  c.start(zmtp::handshake_context{socket_type::req, zmtp::as_bytes(props)}, s);
  c.on_peer_greeting(zmtp::peer_greeting{}, s);
  zmtp::handshake_step bad;
  c.process_command(B("\x07WELCOMEx"), bad);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->code, code::zmtp_malformed_command_welcome);
}

zmtp::handshake_step server_hello(const std::string& body) {
  plain_server srv("dom");
  std::string props;
  zmtp::handshake_step s;
  srv.start(zmtp::handshake_context{socket_type::rep, zmtp::as_bytes(props)}, s);
  zmtp::handshake_step step;
  srv.process_command(B(body), step);
  return step;
}

TEST(plain_server, hello_goes_to_zap) {
  auto step = server_hello("\x05HELLO\x04user\x02pw");
  ASSERT_FALSE(step.error);
  ASSERT_TRUE(step.zap);
  EXPECT_EQ(step.zap->domain, "dom");
  EXPECT_EQ(step.zap->credentials, (std::vector<std::string>{"user", "pw"}));
  EXPECT_TRUE(step.commands.empty());
  // Empty username and password are allowed.
  step = server_hello(std::string("\x05HELLO\x00\x00", 8));
  ASSERT_TRUE(step.zap);
  EXPECT_EQ(step.zap->credentials, (std::vector<std::string>{"", ""}));
}

TEST(plain_server, malformed_hellos) {
  for (const std::string& body :
       {std::string("\x05HELLO"), std::string("\x05HELLO\x04use"), std::string("\x05HELLO\x04user"),
        std::string("\x05HELLO\x04user\x03pw"), std::string("\x05HELLO\x04user\x01pw"),
        std::string("\x05HELLO\xff") + "x"}) {
    auto step = server_hello(body);
    ASSERT_TRUE(step.error) << to_hex(body);
    EXPECT_EQ(step.error->code, code::zmtp_malformed_command_hello) << to_hex(body);
    EXPECT_FALSE(step.zap);
  }
  auto step = server_hello("\x08INITIATE");
  ASSERT_TRUE(step.error);
  EXPECT_EQ(step.error->code, code::zmtp_unexpected_command);
}

TEST(plain_server, welcome_after_zap_then_ready) {
  plain_server srv("");
  std::string props = prop("Socket-Type", "REP");
  zmtp::handshake_step s;
  srv.start(zmtp::handshake_context{socket_type::rep, zmtp::as_bytes(props)}, s);
  zmtp::handshake_step h;
  srv.process_command(B("\x05HELLO\x01u\x01p"), h);
  ASSERT_TRUE(h.zap);
  zmtp::handshake_step w;
  srv.on_zap_reply(zmtp::zap_reply{"200", "OK", "u", ""}, w);
  ASSERT_EQ(w.commands.size(), 1U);
  EXPECT_EQ(w.commands[0].to_string(), "\x07WELCOME");
  zmtp::handshake_step r;
  srv.process_command(B("\x08INITIATE" + prop("Socket-Type", "REQ")), r);
  ASSERT_EQ(r.commands.size(), 1U);
  EXPECT_EQ(r.commands[0].to_string(), "\x05READY" + props);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.peer_properties, prop("Socket-Type", "REQ"));
}

}  // namespace
}  // namespace ringmq::security
