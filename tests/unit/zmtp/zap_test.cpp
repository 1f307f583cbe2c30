// The ZAP hook (rfc 27) through the NULL mechanism with a domain, as libzmq does it.
#include "zmtp/command.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/null_mechanism.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

namespace ringmq::zmtp::test {
namespace {

struct zap_harness {
  recording_sink sink;
  output_batch out;
  std::unique_ptr<connection> conn;

  zap_harness() {
    connection_config c;
    c.type = socket_type::router;
    c.routing_id = "SRVID";
    c.peer_address = "10.0.0.9";
    c.handshake_timeout = milliseconds{1000};
    conn = std::make_unique<connection>(c, std::make_unique<null_mechanism>("global"), sink);
    conn->start(out, t0);
  }
  std::string flushed() {
    if (conn->has_pending_output()) conn->flush_pending(out);
    return drain(out);
  }
  void feed(const std::string& s) { conn->feed(B(s), t0); }
  void reply(const std::string& code, const std::string& user = {}, const std::string& meta = {}) {
    conn->zap_reply(zap_reply{code, "text", user, meta}, t0);
  }
};

// Built on first use: a string at namespace scope is built before main, where its
// exception could not be caught (cert-err58-cpp).
const std::string& dealer_ready() {
  static const std::string frame = ready_frame(prop("Socket-Type", "DEALER") + prop("Identity", "cli"));
  return frame;
}

TEST(zap, request_after_the_peer_greeting_and_ready_only_after_200) {
  zap_harness h;
  EXPECT_EQ(h.flushed().size(), 64U);  // greeting only: READY waits for ZAP
  h.feed(libzmq_greeting());
  ASSERT_EQ(h.sink.zaps.size(), 1U);
  const zap_request& r = h.sink.zaps[0];
  EXPECT_EQ(r.domain, "global");
  EXPECT_EQ(r.mechanism, "NULL");
  EXPECT_EQ(r.address, "10.0.0.9");
  EXPECT_EQ(r.routing_id, "SRVID");
  EXPECT_TRUE(r.credentials.empty());

  h.feed(dealer_ready());
  EXPECT_TRUE(h.sink.handshakes.empty());
  EXPECT_EQ(h.flushed(), "");

  h.reply("200", "alice", prop("X-Role", "admin") + prop("Plan", "gold"));
  ASSERT_EQ(h.sink.handshakes.size(), 1U);
  EXPECT_EQ(h.flushed(), ready_frame(prop("Socket-Type", "ROUTER") + prop("Identity", "SRVID")));
  const auto& meta = h.sink.handshakes[0].meta;
  EXPECT_EQ(meta->find("User-Id").value(), "alice");
  EXPECT_EQ(meta->find("X-Role").value(), "admin");
  EXPECT_EQ(meta->find("Plan").value(), "gold");
  EXPECT_EQ(meta->find("Identity").value(), "cli");
  EXPECT_EQ(h.sink.handshakes[0].peer_routing_id, "cli");
  h.feed(data_frame("hello"));
  ASSERT_EQ(h.sink.messages.size(), 1U);
  EXPECT_EQ(h.sink.messages[0].property("User-Id").value(), "alice");
}

// libzmq builds a connection's properties from the ZAP handler's first and never
// overwrites, so a peer cannot replace what the handler said about it by sending the same
// name in its own metadata -- whether its READY came before the ZAP reply or after.
TEST(zap, reply_metadata_hides_the_peers_property_of_the_same_name) {
  for (const bool ready_first : {true, false}) {
    zap_harness h;
    h.feed(libzmq_greeting());
    const std::string ready = ready_frame(prop("Socket-Type", "DEALER") + prop("X-Role", "admin"));
    if (ready_first) h.feed(ready);
    h.reply("200", "alice", prop("x-role", "guest"));
    if (!ready_first) h.feed(ready);
    ASSERT_EQ(h.sink.handshakes.size(), 1U) << ready_first;
    EXPECT_EQ(h.sink.handshakes[0].meta->find("X-Role").value(), "guest") << ready_first;
    h.feed(data_frame("hello"));
    ASSERT_EQ(h.sink.messages.size(), 1U) << ready_first;
    EXPECT_EQ(h.sink.messages[0].property("X-Role").value(), "guest") << ready_first;
  }
}

TEST(zap, reply_may_come_before_the_peer_ready) {
  zap_harness h;
  h.feed(libzmq_greeting());
  h.reply("200");
  EXPECT_TRUE(h.sink.handshakes.empty());
  h.feed(dealer_ready());
  EXPECT_EQ(h.sink.handshakes.size(), 1U);
}

TEST(zap, refusals_send_error_with_the_status_for_400_and_500) {
  for (const std::string code : {"400", "500"}) {
    zap_harness h;
    h.flushed();
    h.feed(libzmq_greeting() + dealer_ready());
    h.reply(code);
    ASSERT_EQ(h.sink.errors.size(), 1U);
    EXPECT_EQ(h.sink.errors[0].kind, error_kind::auth);
    EXPECT_EQ(h.sink.errors[0].code, std::stoi(code));
    EXPECT_FALSE(h.sink.errors[0].from_peer);
    EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 0a 05") + "ERROR" + hex("03") + code));
    EXPECT_TRUE(h.sink.handshakes.empty());
  }
}

TEST(zap, status_300_closes_silently) {
  zap_harness h;
  h.flushed();
  h.feed(libzmq_greeting());
  h.reply("300");
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].kind, error_kind::auth);
  EXPECT_EQ(h.sink.errors[0].code, 300);
  EXPECT_EQ(h.flushed(), "");
}

TEST(zap, invalid_status_code) {
  zap_harness h;
  h.flushed();
  h.feed(libzmq_greeting());
  h.reply("201");
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, protocol_code::zap_invalid_status_code);
  EXPECT_EQ(h.flushed(), "");
}

TEST(zap, invalid_metadata) {
  zap_harness h;
  h.feed(libzmq_greeting());
  h.reply("200", "u", prop("X-Ok", "1").substr(0, 5));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, protocol_code::zap_invalid_metadata);
}

TEST(zap, failed_exchange_fails_the_handshake) {
  zap_harness h;
  h.flushed();
  h.conn->zap_failed(make_protocol_error(protocol_code::zap_malformed_reply, "early"));  // nothing asked
  EXPECT_TRUE(h.sink.errors.empty());
  h.feed(libzmq_greeting() + dealer_ready());
  h.conn->zap_failed(make_protocol_error(protocol_code::zap_bad_request_id, "request id 2"));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, protocol_code::zap_bad_request_id);
  EXPECT_EQ(h.flushed(), "");
  h.reply("200");
  EXPECT_TRUE(h.sink.handshakes.empty());
}

TEST(zap, stale_reply_is_ignored) {
  zap_harness h;
  h.reply("200");  // nothing asked yet
  EXPECT_TRUE(h.sink.errors.empty());
  h.feed(libzmq_greeting());
  h.reply("200");
  h.reply("400");  // answered already
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(zap, data_while_waiting_for_zap_fails) {
  zap_harness h;
  h.feed(libzmq_greeting() + dealer_ready() + data_frame("sneaky"));
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, protocol_code::zmtp_unexpected_command);
  EXPECT_TRUE(h.sink.messages.empty());
}

TEST(zap, handshake_timeout_covers_the_zap_wait) {
  zap_harness h;
  h.feed(libzmq_greeting() + dealer_ready());
  h.conn->on_timer(t0 + milliseconds{1000});
  ASSERT_EQ(h.sink.errors.size(), 1U);
  h.reply("200");
  EXPECT_TRUE(h.sink.handshakes.empty());
}

TEST(zap, peer_refusal_reason_is_an_auth_failure) {
  // What a libzmq client sees from a libzmq server whose ZAP said 400.
  recording_sink sink;
  output_batch out;
  connection_config c;
  c.type = socket_type::dealer;
  connection conn(c, std::make_unique<null_mechanism>(), sink);
  conn.start(out, t0);
  conn.feed(B(libzmq_greeting() + command_frame(build_error("400").to_string())), t0);
  ASSERT_EQ(sink.errors.size(), 1U);
  EXPECT_EQ(sink.errors[0].kind, error_kind::auth);
  EXPECT_EQ(sink.errors[0].code, 400);
  EXPECT_TRUE(sink.errors[0].from_peer);
}

}  // namespace
}  // namespace ringmq::zmtp::test
