// The CURVE client mechanism against an independent test server (curve_test_peer.hpp): the
// boxes it produces are opened with libsodium and checked octet by octet, and every command
// it receives is built from fixed keys; then the ways a server's commands can be wrong.
#include "security/curve_client.hpp"

#include "core/message_access.hpp"
#include "unit/security/curve_test_peer.hpp"
#include "unit/zmtp/zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace ringmq::security {
namespace {

using namespace ringmq::test::curve;
using detail::message_access;
using zmtp::test::B;
using zmtp::test::prop;
namespace code = zmtp::protocol_code;

struct client_fixture {
  keypair server_lt = keypair::from_seed(1);
  keypair client_lt = keypair::from_seed(2);
  std::string props = prop("Socket-Type", "DEALER") + prop("Identity", "");
  std::unique_ptr<curve_client> mech;
  server_peer server{server_lt};
  std::string hello;

  explicit client_fixture(bool send_public = true) {
    mech = std::make_unique<curve_client>(
        str(server_lt.pub), send_public ? str(client_lt.pub) : std::string(), str(client_lt.sec));
    zmtp::handshake_step step;
    mech->start(zmtp::handshake_context{socket_type::dealer, zmtp::as_bytes(props)}, step);
    EXPECT_FALSE(step.error);
    EXPECT_EQ(step.commands.size(), 1U);
    if (!step.commands.empty()) hello = step.commands[0].to_string();
  }

  zmtp::handshake_step feed(const std::string& body) {
    zmtp::handshake_step step;
    mech->process_command(B(body), step);
    return step;
  }

  // WELCOME -> INITIATE; returns the INITIATE body.
  std::string to_initiate(const std::string& cookie = std::string(96, 'c')) {
    EXPECT_TRUE(server.hello(hello));
    auto step = feed(server.welcome(cookie));
    EXPECT_FALSE(step.error) << (step.error ? step.error->text : "");
    EXPECT_EQ(step.commands.size(), 1U);
    return step.commands.empty() ? std::string() : step.commands[0].to_string();
  }

  void to_traffic() {
    const std::string initiate = to_initiate();
    ASSERT_TRUE(server.initiate(initiate));
    auto step = feed(server.ready(prop("Socket-Type", "ROUTER")));
    ASSERT_FALSE(step.error);
    ASSERT_TRUE(step.complete);
  }
};

int error_code(const zmtp::handshake_step& step) { return step.error ? step.error->code : 0; }

TEST(curve_client, hello_layout) {
  client_fixture f;
  const std::string& h = f.hello;
  ASSERT_EQ(h.size(), 200U);
  EXPECT_EQ(h.substr(0, 6), "\x05HELLO");
  EXPECT_EQ(h[6], 1);
  EXPECT_EQ(h[7], 0);
  EXPECT_EQ(h.substr(8, 72), std::string(72, '\0'));  // libzmq: 72 octets of padding
  EXPECT_EQ(get_be64(h.substr(112, 8)), 1U);          // the first short nonce
  // Box[64 zeros](C' -> S) opens with the server's secret key.
  auto plain = open(h.substr(120), nonce("CurveZMQHELLO---", h.substr(112, 8)), key_of(h.substr(80, 32)),
                    f.server_lt.sec);
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain, std::string(64, '\0'));
}

TEST(curve_client, fresh_transient_key_per_connection) {
  client_fixture a;
  client_fixture b;
  EXPECT_NE(a.hello.substr(80, 32), b.hello.substr(80, 32));
}

TEST(curve_client, initiate_layout_and_vouch) {
  client_fixture f;
  const std::string cookie = random_bytes(96);
  const std::string ini = f.to_initiate(cookie);
  ASSERT_EQ(ini.size(), 257U + f.props.size());
  EXPECT_EQ(ini.substr(0, 9), "\x08INITIATE");
  EXPECT_EQ(ini.substr(9, 96), cookie);  // echoed unchanged
  EXPECT_EQ(get_be64(ini.substr(105, 8)), 2U);
  auto content = f.server.initiate(ini);
  ASSERT_TRUE(content);
  EXPECT_EQ(content->client, f.client_lt.pub);
  // vouch = Box[C' S](C -> S').
  EXPECT_EQ(content->vouch_plain, f.hello.substr(80, 32) + str(f.server_lt.pub));
  EXPECT_EQ(content->metadata, f.props);
}

TEST(curve_client, public_key_is_derived_when_not_given) {
  client_fixture f(false);
  auto content = f.server.initiate(f.to_initiate());
  ASSERT_TRUE(content);
  EXPECT_EQ(content->client, f.client_lt.pub);
}

TEST(curve_client, traffic_boxes) {
  client_fixture f;
  const std::string ini = f.to_initiate();
  ASSERT_TRUE(f.server.initiate(ini));
  auto step = f.feed(f.server.ready(prop("Socket-Type", "ROUTER") + prop("X-Hi", "there")));
  ASSERT_FALSE(step.error);
  ASSERT_TRUE(step.complete);
  ASSERT_TRUE(step.peer_properties);
  EXPECT_EQ(*step.peer_properties, prop("Socket-Type", "ROUTER") + prop("X-Hi", "there"));

  // Outgoing: MORE and COMMAND go inside the box; the wire frame is a plain data frame.
  message m("part one");
  message_access::set_flags(m, message_access::more);
  zmtp::error_info err;
  ASSERT_EQ(f.mech->encode(m, err), zmtp::codec_status::ok);
  EXPECT_EQ(message_access::flags(m), 0);
  auto opened = open_message(m.view(), f.server.session, true);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->nonce, 3U);  // HELLO 1, INITIATE 2
  EXPECT_EQ(opened->flags, 1);
  EXPECT_EQ(opened->payload, "part one");
  message ping(std::string_view("\x04PING\x00\x00", 7));
  message_access::set_flags(ping, message_access::command);
  ASSERT_EQ(f.mech->encode(ping, err), zmtp::codec_status::ok);
  opened = open_message(ping.view(), f.server.session, true);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->nonce, 4U);
  EXPECT_EQ(opened->flags, 2);

  // Incoming, small and large (the large one keeps the received buffer).
  for (const std::string& payload : {std::string("hi"), std::string(5000, 'L'), std::string()}) {
    message in(f.server.message(payload, 1));
    ASSERT_EQ(f.mech->decode(in, err), zmtp::codec_status::ok) << err.text;
    EXPECT_EQ(in.to_string(), payload);
    EXPECT_TRUE(message_access::has(in, message_access::more));
    EXPECT_FALSE(message_access::has(in, message_access::command));
  }
  message cmd(f.server.message("\x04PONG", 2));
  ASSERT_EQ(f.mech->decode(cmd, err), zmtp::codec_status::ok);
  EXPECT_TRUE(message_access::has(cmd, message_access::command));
}

TEST(curve_client, message_nonces_must_increase) {
  client_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  const std::string first = f.server.message("a");   // nonce 2
  const std::string second = f.server.message("b");  // nonce 3
  message m1(second);
  ASSERT_EQ(f.mech->decode(m1, err), zmtp::codec_status::ok);
  message m2(first);  // older than the last one accepted
  EXPECT_EQ(f.mech->decode(m2, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);
}

TEST(curve_client, replayed_message_is_refused) {
  client_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  const std::string body = f.server.message("a");
  message m1(body);
  ASSERT_EQ(f.mech->decode(m1, err), zmtp::codec_status::ok);
  message m2(body);
  EXPECT_EQ(f.mech->decode(m2, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);
}

TEST(curve_client, message_nonce_must_be_above_readys) {
  client_fixture f;
  f.to_traffic();  // READY used nonce 1
  f.server.next_nonce = 1;
  message m(f.server.message("a"));
  zmtp::error_info err;
  EXPECT_EQ(f.mech->decode(m, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);
}

TEST(curve_client, every_flipped_message_byte_is_refused) {
  client_fixture f;
  f.to_traffic();
  const std::string body = f.server.message("payload");
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string bad = body;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    message m(bad);
    zmtp::error_info err;
    EXPECT_EQ(f.mech->decode(m, err), zmtp::codec_status::failed) << "byte " << i;
  }
}

TEST(curve_client, short_and_misnamed_messages_are_refused) {
  client_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  message short_one(f.server.message("").substr(0, 32));
  EXPECT_EQ(f.mech->decode(short_one, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_malformed_command_message);
  message plain_ping(std::string_view("\x04PING\x00\x00", 7));
  EXPECT_EQ(f.mech->decode(plain_ping, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_unexpected_command);
}

TEST(curve_client, message_in_a_command_frame_is_dropped_after_checking) {
  client_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  message m(f.server.message("x"));
  message_access::set_flags(m, message_access::command);
  EXPECT_EQ(f.mech->decode(m, err), zmtp::codec_status::drop);
}

TEST(curve_client, welcome_of_wrong_size) {
  for (std::size_t size : {0U, 8U, 167U, 169U, 300U}) {
    client_fixture f;
    ASSERT_TRUE(f.server.hello(f.hello));
    std::string w = f.server.welcome(std::string(96, 'c'));
    w.resize(size, '\0');
    if (size >= 8) w.replace(0, 8, "\x07WELCOME");
    auto step = f.feed(w);
    EXPECT_EQ(error_code(step),
              size < 8 ? code::zmtp_unexpected_command : code::zmtp_malformed_command_welcome)
        << size;
    EXPECT_TRUE(step.commands.empty());
  }
}

TEST(curve_client, welcome_from_another_server_key_is_refused) {
  client_fixture f;
  server_peer impostor(keypair::from_seed(9));
  ASSERT_FALSE(impostor.hello(f.hello));  // it cannot even open HELLO
  impostor.client_transient = key_of(f.hello.substr(80, 32));
  auto step = f.feed(impostor.welcome(std::string(96, 'c')));
  EXPECT_EQ(error_code(step), code::zmtp_cryptographic);
  EXPECT_TRUE(step.commands.empty());
}

TEST(curve_client, every_flipped_welcome_byte_is_refused) {
  client_fixture probe;
  ASSERT_TRUE(probe.server.hello(probe.hello));
  for (std::size_t i = 8; i < 168; ++i) {
    client_fixture f;
    ASSERT_TRUE(f.server.hello(f.hello));
    std::string w = f.server.welcome(std::string(96, 'c'));
    w[i] = static_cast<char>(w[i] ^ 1);
    auto step = f.feed(w);
    EXPECT_EQ(error_code(step), code::zmtp_cryptographic) << i;
  }
}

TEST(curve_client, ready_checks) {
  {
    client_fixture f;
    ASSERT_TRUE(f.server.initiate(f.to_initiate()));
    std::string r = f.server.ready("");
    r.resize(29);
    EXPECT_EQ(error_code(f.feed(r)), code::zmtp_malformed_command_ready);
  }
  {
    client_fixture f;
    ASSERT_TRUE(f.server.initiate(f.to_initiate()));
    std::string r = f.server.ready(prop("Socket-Type", "ROUTER"));
    r[20] = static_cast<char>(r[20] ^ 4);
    auto step = f.feed(r);
    EXPECT_EQ(error_code(step), code::zmtp_cryptographic);
    EXPECT_FALSE(step.complete);
  }
  {
    client_fixture f;  // READY before WELCOME
    EXPECT_EQ(error_code(f.feed("\x05READY" + std::string(24, '\0'))), code::zmtp_unexpected_command);
  }
}

TEST(curve_client, missing_keys_fail_at_start) {
  std::string props;
  curve_client mech("", "", "");
  zmtp::handshake_step step;
  mech.start(zmtp::handshake_context{socket_type::dealer, zmtp::as_bytes(props)}, step);
  ASSERT_TRUE(step.error);
  EXPECT_EQ(step.error->kind, zmtp::error_kind::no_detail);
  EXPECT_TRUE(step.commands.empty());
}

}  // namespace
}  // namespace ringmq::security
