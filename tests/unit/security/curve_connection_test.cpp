// CURVE and PLAIN mechanisms inside real zmtp::connections, client against server: the
// whole handshake with the ZAP step, traffic in both directions, properties from ZAP on
// received messages, refusals, heartbeats and subscriptions inside the box.
#include "core/message_access.hpp"
#include "security/curve_client.hpp"
#include "security/curve_server.hpp"
#include "security/plain_client.hpp"
#include "security/plain_server.hpp"
#include "unit/security/curve_test_peer.hpp"
#include "unit/zmtp/zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

namespace ringmq::security {
namespace {

using namespace ringmq::zmtp::test;
using detail::message_access;
using test::curve::keypair;
using test::curve::str;

struct side {
  recording_sink sink;
  zmtp::output_batch out;
  std::unique_ptr<zmtp::connection> conn;

  side(socket_type type, std::unique_ptr<zmtp::mechanism> m, zmtp::heartbeat_config hb = {}) {
    zmtp::connection_config c;
    c.type = type;
    c.heartbeat = hb;
    c.peer_address = "127.0.0.1";
    c.routing_id = "SRV";
    conn = std::make_unique<zmtp::connection>(c, std::move(m), sink);
    conn->start(out, t0);
  }
  std::string flushed() {
    if (conn->has_pending_output()) conn->flush_pending(out);
    return drain(out);
  }
  void send(const std::string& s, bool more = false) {
    message m(s);
    message_access::set_flags(m, more ? message_access::more : 0);
    ASSERT_TRUE(conn->send(std::move(m), out));
  }
};

void pump(side& a, side& b, time_point now = t0) {
  for (int i = 0; i < 20; ++i) {
    const std::string ab = a.flushed();
    const std::string ba = b.flushed();
    if (ab.empty() && ba.empty()) return;
    b.conn->feed(B(ab), now);
    a.conn->feed(B(ba), now);
  }
}

const keypair server_keys = keypair::from_seed(11);
const keypair client_keys = keypair::from_seed(12);

std::unique_ptr<zmtp::mechanism> curve_srv() {
  return std::make_unique<curve_server>(str(server_keys.sec), "dom");
}
std::unique_ptr<zmtp::mechanism> curve_cli(const test::curve::key& server = server_keys.pub) {
  return std::make_unique<curve_client>(str(server), str(client_keys.pub), str(client_keys.sec));
}

TEST(curve_connection, handshake_zap_and_traffic) {
  side client(socket_type::dealer, curve_cli());
  side server(socket_type::router, curve_srv());
  pump(client, server);
  ASSERT_EQ(server.sink.zaps.size(), 1U);
  const zmtp::zap_request& req = server.sink.zaps[0];
  EXPECT_EQ(req.mechanism, "CURVE");
  EXPECT_EQ(req.domain, "dom");
  EXPECT_EQ(req.address, "127.0.0.1");
  EXPECT_EQ(req.routing_id, "SRV");  // the server's own routing id, as libzmq sends it
  EXPECT_EQ(req.credentials, std::vector<std::string>{str(client_keys.pub)});
  EXPECT_TRUE(client.sink.handshakes.empty());

  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "alice", prop("X-Role", "admin")}, t0);
  pump(client, server);
  ASSERT_EQ(client.sink.handshakes.size(), 1U);
  ASSERT_EQ(server.sink.handshakes.size(), 1U);
  ASSERT_TRUE(client.sink.errors.empty());
  ASSERT_TRUE(server.sink.errors.empty());

  client.send("one", true);
  client.send(std::string(3000, 'x'));
  server.send("back");
  pump(client, server);
  ASSERT_EQ(server.sink.texts(), (std::vector<std::string>{"one", std::string(3000, 'x')}));
  EXPECT_TRUE(server.sink.messages[0].more());
  EXPECT_FALSE(server.sink.messages[1].more());
  EXPECT_EQ(server.sink.messages[0].property("User-Id"), "alice");
  EXPECT_EQ(server.sink.messages[0].property("X-Role"), "admin");
  EXPECT_EQ(server.sink.messages[1].property("Socket-Type"), "DEALER");
  ASSERT_EQ(client.sink.texts(), std::vector<std::string>{"back"});
}

// Each size takes another way out of the box. Fed in 4 KiB reads, as a socket would deliver
// them: up to 48 octets inline; a window on a body shared with its neighbours (up to 1 KiB)
// or on one allocated at its size; and, for 70,000 octets grown as they arrive, the received
// frame kept alive under the payload.
TEST(curve_connection, payloads_of_every_size_class_come_out_intact) {
  side client(socket_type::dealer, curve_cli());
  side server(socket_type::router, curve_srv());
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "", {}}, t0);
  pump(client, server);
  ASSERT_EQ(server.sink.handshakes.size(), 1U);
  std::vector<std::string> sent;
  for (const std::size_t size : {0UL, 1UL, 48UL, 49UL, 64UL, 500UL, 1023UL, 1024UL, 3000UL, 70000UL}) {
    sent.push_back(std::string(size, static_cast<char>('a' + sent.size())));
    client.send(sent.back(), size != 70000);
  }
  const std::string wire = client.flushed();
  for (std::size_t at = 0; at < wire.size(); at += 4096)
    server.conn->feed(B(wire).subspan(at, std::min<std::size_t>(4096, wire.size() - at)), t0);
  ASSERT_TRUE(server.sink.errors.empty());
  EXPECT_EQ(server.sink.texts(), sent);
  for (std::size_t i = 0; i + 1 < server.sink.messages.size(); ++i)
    EXPECT_TRUE(server.sink.messages[i].more());
  EXPECT_FALSE(server.sink.messages.back().more());
}

TEST(curve_connection, wire_shows_only_boxes_after_the_handshake) {
  side client(socket_type::push, curve_cli());
  side server(socket_type::pull, curve_srv());
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "", ""}, t0);
  pump(client, server);
  client.send("secret-payload");
  const std::string wire = client.flushed();
  EXPECT_EQ(wire.find("secret-payload"), std::string::npos);
  EXPECT_EQ(wire.substr(0, 2), hex("00 2f"));  // a data frame of 33 + 14 octets
  EXPECT_EQ(wire.substr(2, 8), "\x07MESSAGE");
}

TEST(curve_connection, zap_400_sends_error_and_the_client_reports_auth) {
  side client(socket_type::dealer, curve_cli());
  side server(socket_type::router, curve_srv());
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"400", "Unknown key", "", ""}, t0);
  ASSERT_EQ(server.sink.errors.size(), 1U);
  EXPECT_EQ(server.sink.errors[0].kind, zmtp::error_kind::auth);
  EXPECT_EQ(server.sink.errors[0].code, 400);
  pump(client, server);
  ASSERT_EQ(client.sink.errors.size(), 1U);
  EXPECT_EQ(client.sink.errors[0].kind, zmtp::error_kind::auth);
  EXPECT_EQ(client.sink.errors[0].code, 400);
  EXPECT_TRUE(client.sink.errors[0].from_peer);  // the session stops reconnecting
  EXPECT_TRUE(server.sink.handshakes.empty());
  EXPECT_TRUE(client.sink.handshakes.empty());
}

TEST(curve_connection, zap_300_closes_without_error) {
  side client(socket_type::dealer, curve_cli());
  side server(socket_type::router, curve_srv());
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"300", "try later", "", ""}, t0);
  ASSERT_EQ(server.sink.errors.size(), 1U);
  EXPECT_EQ(server.sink.errors[0].code, 300);
  EXPECT_EQ(server.flushed(), "");  // no ERROR command
  EXPECT_TRUE(client.sink.errors.empty());
}

TEST(curve_connection, wrong_server_key_never_reaches_zap) {
  side client(socket_type::dealer, curve_cli(keypair::from_seed(99).pub));
  side server(socket_type::router, curve_srv());
  pump(client, server);
  EXPECT_TRUE(server.sink.zaps.empty());
  ASSERT_EQ(server.sink.errors.size(), 1U);
  EXPECT_EQ(server.sink.errors[0].code, zmtp::protocol_code::zmtp_cryptographic);
}

TEST(curve_connection, heartbeats_inside_the_box) {
  const zmtp::heartbeat_config hb{std::chrono::milliseconds(100), std::chrono::milliseconds(-1),
                                  std::chrono::milliseconds(0)};
  side client(socket_type::dealer, curve_cli(), hb);
  side server(socket_type::router, curve_srv());
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "", ""}, t0);
  pump(client, server);
  client.conn->on_timer(t0 + std::chrono::milliseconds(100));
  const std::string ping = client.flushed();
  EXPECT_EQ(ping.substr(2, 8), "\x07MESSAGE");
  server.conn->feed(B(ping), t0 + std::chrono::milliseconds(101));
  const std::string pong = server.flushed();
  ASSERT_FALSE(pong.empty());
  EXPECT_EQ(pong.substr(2, 8), "\x07MESSAGE");
  client.conn->feed(B(pong), t0 + std::chrono::milliseconds(102));
  // The PONG answered the PING: no timeout at the deadline it would have hit.
  client.conn->on_timer(t0 + std::chrono::milliseconds(201));
  EXPECT_TRUE(client.sink.errors.empty());
  EXPECT_TRUE(server.sink.errors.empty());
  EXPECT_TRUE(server.sink.messages.empty());  // PING is not delivered as a message
}

TEST(curve_connection, subscriptions_inside_the_box) {
  side sub(socket_type::sub, curve_cli());
  side pub(socket_type::pub, curve_srv());
  pump(sub, pub);
  pub.conn->zap_reply(zmtp::zap_reply{"200", "OK", "", ""}, t0);
  pump(sub, pub);
  sub.send("\x01topic");
  sub.send(std::string("\x00topic", 6));
  pump(sub, pub);
  EXPECT_EQ(pub.sink.texts(), (std::vector<std::string>{"\x01topic", std::string("\x00topic", 6)}));
}

// ---- PLAIN ----

TEST(plain_connection, handshake_with_zap) {
  side client(socket_type::req, std::make_unique<plain_client>("admin", "secret"));
  side server(socket_type::rep, std::make_unique<plain_server>(""));
  pump(client, server);
  ASSERT_EQ(server.sink.zaps.size(), 1U);
  EXPECT_EQ(server.sink.zaps[0].mechanism, "PLAIN");
  EXPECT_EQ(server.sink.zaps[0].credentials, (std::vector<std::string>{"admin", "secret"}));
  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "admin", ""}, t0);
  pump(client, server);
  ASSERT_EQ(client.sink.handshakes.size(), 1U);
  ASSERT_EQ(server.sink.handshakes.size(), 1U);
  client.send("");
  client.send("q");
  pump(client, server);
  ASSERT_EQ(server.sink.messages.size(), 2U);
  EXPECT_EQ(server.sink.messages[1].property("User-Id"), "admin");
}

// libzmq's PLAIN server answers INITIATE with READY only when it accepts the client's
// metadata, and otherwise closes: a READY tells the client that the handshake succeeded.
TEST(plain_connection, no_ready_for_a_client_whose_metadata_is_refused) {
  side client(socket_type::push,
              std::make_unique<plain_client>("admin", "secret"));  // PUSH cannot talk to REP
  side server(socket_type::rep, std::make_unique<plain_server>(""));
  pump(client, server);
  ASSERT_EQ(server.sink.zaps.size(), 1U);
  server.conn->zap_reply(zmtp::zap_reply{"200", "OK", "admin", ""}, t0);
  client.conn->feed(B(server.flushed()), t0);  // WELCOME
  server.conn->feed(B(client.flushed()), t0);  // INITIATE, Socket-Type PUSH
  ASSERT_EQ(server.sink.errors.size(), 1U);
  EXPECT_EQ(server.sink.errors[0].code, zmtp::protocol_code::zmtp_invalid_metadata);
  EXPECT_TRUE(server.sink.handshakes.empty());
  EXPECT_EQ(to_hex(server.flushed()), "");
}

TEST(plain_connection, refused_password) {
  side client(socket_type::req, std::make_unique<plain_client>("admin", "wrong"));
  side server(socket_type::rep, std::make_unique<plain_server>(""));
  pump(client, server);
  server.conn->zap_reply(zmtp::zap_reply{"400", "Invalid password", "", ""}, t0);
  pump(client, server);
  ASSERT_EQ(client.sink.errors.size(), 1U);
  EXPECT_EQ(client.sink.errors[0].kind, zmtp::error_kind::auth);
  EXPECT_EQ(client.sink.errors[0].code, 400);
  EXPECT_TRUE(client.sink.handshakes.empty());
}

}  // namespace
}  // namespace ringmq::security
