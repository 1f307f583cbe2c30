// The CURVE server mechanism against an independent test client (curve_test_peer.hpp):
// WELCOME and READY opened with libsodium, and every way a client's HELLO, INITIATE or
// MESSAGE can be wrong -- the server must never reach ZAP (let alone READY) without a valid
// vouch from the key it reports.
#include "security/curve_server.hpp"

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

int error_code(const zmtp::handshake_step& step) { return step.error ? step.error->code : 0; }

struct server_fixture {
  keypair server_lt = keypair::from_seed(1);
  keypair client_lt = keypair::from_seed(2);
  std::string props = prop("Socket-Type", "ROUTER");
  std::string client_props = prop("Socket-Type", "DEALER") + prop("Identity", "c1");
  std::unique_ptr<curve_server> mech;
  client_peer client{client_lt, server_lt.pub};

  server_fixture() {
    mech = std::make_unique<curve_server>(str(server_lt.sec), "global");
    zmtp::handshake_step step;
    mech->start(zmtp::handshake_context{socket_type::router, zmtp::as_bytes(props)}, step);
    EXPECT_FALSE(step.error);
    EXPECT_TRUE(step.commands.empty());  // the server speaks second
  }

  zmtp::handshake_step feed(const std::string& body) {
    zmtp::handshake_step step;
    mech->process_command(B(body), step);
    return step;
  }

  // HELLO -> WELCOME; returns WELCOME.
  std::string welcome() {
    auto step = feed(client.hello());
    EXPECT_FALSE(step.error) << (step.error ? step.error->text : "");
    EXPECT_EQ(step.commands.size(), 1U);
    return step.commands.empty() ? std::string() : step.commands[0].to_string();
  }

  // Through INITIATE; the step asking for ZAP.
  zmtp::handshake_step initiate() {
    EXPECT_TRUE(client.welcome(welcome()));
    return feed(client.initiate(client_props));
  }

  void to_traffic() {
    auto step = initiate();
    ASSERT_TRUE(step.zap);
    zmtp::handshake_step ready;
    mech->on_zap_reply(zmtp::zap_reply{"200", "OK", "", ""}, ready);
    ASSERT_TRUE(ready.complete);
    ASSERT_EQ(ready.commands.size(), 1U);
    ASSERT_TRUE(client.ready(ready.commands[0].to_string()));
  }
};

TEST(curve_server, welcome_layout) {
  server_fixture f;
  const std::string w = f.welcome();
  ASSERT_EQ(w.size(), 168U);
  EXPECT_EQ(w.substr(0, 8), "\x07WELCOME");
  // Box[S' cookie](S -> C') opens with the client's transient key.
  auto plain =
      open(w.substr(24), nonce("WELCOME-", w.substr(8, 16)), f.server_lt.pub, f.client.transient.sec);
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->size(), 128U);
  EXPECT_NE(plain->substr(0, 32), str(f.server_lt.pub));  // S' is a fresh key, not S
}

TEST(curve_server, initiate_asks_zap_with_the_client_key) {
  server_fixture f;
  auto step = f.initiate();
  ASSERT_FALSE(step.error) << step.error->text;
  ASSERT_TRUE(step.zap);
  EXPECT_EQ(step.zap->domain, "global");
  ASSERT_EQ(step.zap->credentials.size(), 1U);
  EXPECT_EQ(step.zap->credentials[0], str(f.client_lt.pub));  // rfc 27: 32 binary octets
  ASSERT_TRUE(step.peer_properties);
  EXPECT_EQ(*step.peer_properties, f.client_props);
  EXPECT_TRUE(step.commands.empty());  // nothing before the ZAP answer
  EXPECT_FALSE(step.complete);
}

TEST(curve_server, ready_layout_after_zap) {
  server_fixture f;
  ASSERT_TRUE(f.initiate().zap);
  zmtp::handshake_step step;
  f.mech->on_zap_reply(zmtp::zap_reply{"200", "OK", "alice", ""}, step);
  ASSERT_TRUE(step.complete);
  ASSERT_EQ(step.commands.size(), 1U);
  const std::string r = step.commands[0].to_string();
  ASSERT_EQ(r.size(), 30U + f.props.size());
  EXPECT_EQ(r.substr(0, 6), "\x05READY");
  EXPECT_EQ(get_be64(r.substr(6, 8)), 1U);
  EXPECT_EQ(f.client.ready(r), f.props);
}

TEST(curve_server, traffic_boxes_and_nonces) {
  server_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  message in(f.client.message("hello", 1));  // nonce 3
  ASSERT_EQ(f.mech->decode(in, err), zmtp::codec_status::ok) << err.text;
  EXPECT_EQ(in.to_string(), "hello");
  EXPECT_TRUE(message_access::has(in, message_access::more));
  message sub(f.client.message("\x09SUBSCRIBEAB", 2));
  ASSERT_EQ(f.mech->decode(sub, err), zmtp::codec_status::ok);
  EXPECT_TRUE(message_access::has(sub, message_access::command));

  message out("reply");
  ASSERT_EQ(f.mech->encode(out, err), zmtp::codec_status::ok);
  auto opened = open_message(out.view(), f.client.session, false);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->nonce, 2U);  // READY was 1
  EXPECT_EQ(opened->flags, 0);
  EXPECT_EQ(opened->payload, "reply");
}

TEST(curve_server, replayed_and_decreasing_message_nonces_are_refused) {
  server_fixture f;
  f.to_traffic();
  zmtp::error_info err;
  const std::string a = f.client.message("a");
  const std::string b = f.client.message("b");
  message mb(b);
  ASSERT_EQ(f.mech->decode(mb, err), zmtp::codec_status::ok);
  message ma(a);
  EXPECT_EQ(f.mech->decode(ma, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);

  server_fixture g;
  g.to_traffic();
  const std::string c = g.client.message("c");
  message c1(c);
  ASSERT_EQ(g.mech->decode(c1, err), zmtp::codec_status::ok);
  message c2(c);
  EXPECT_EQ(g.mech->decode(c2, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);
}

TEST(curve_server, message_nonce_must_be_above_initiates) {
  server_fixture f;
  f.to_traffic();  // INITIATE used 2
  f.client.next_nonce = 2;
  message m(f.client.message("x"));
  zmtp::error_info err;
  EXPECT_EQ(f.mech->decode(m, err), zmtp::codec_status::failed);
  EXPECT_EQ(err.code, code::zmtp_invalid_sequence);
}

TEST(curve_server, every_flipped_message_byte_is_refused) {
  server_fixture f;
  f.to_traffic();
  const std::string body = f.client.message("payload");
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::string bad = body;
    bad[i] = static_cast<char>(bad[i] ^ 0x80);
    message m(bad);
    zmtp::error_info err;
    EXPECT_EQ(f.mech->decode(m, err), zmtp::codec_status::failed) << i;
  }
}

// ---- HELLO ----

TEST(curve_server, hello_of_wrong_size_or_version) {
  for (std::size_t size : {6U, 120U, 199U, 201U, 400U}) {
    server_fixture f;
    std::string h = f.client.hello();
    h.resize(size, '\0');
    auto step = f.feed(h);
    EXPECT_EQ(error_code(step), code::zmtp_malformed_command_hello) << size;
    EXPECT_TRUE(step.commands.empty());
  }
  for (auto [major, minor] : {std::pair{0, 0}, std::pair{1, 1}, std::pair{2, 0}}) {
    server_fixture f;
    std::string h = f.client.hello();
    h[6] = static_cast<char>(major);
    h[7] = static_cast<char>(minor);
    EXPECT_EQ(error_code(f.feed(h)), code::zmtp_malformed_command_hello);
  }
}

TEST(curve_server, hello_for_another_server_key_is_refused) {
  server_fixture f;
  client_peer wrong(f.client_lt, keypair::from_seed(7).pub);
  auto step = f.feed(wrong.hello());
  EXPECT_EQ(error_code(step), code::zmtp_cryptographic);
  EXPECT_TRUE(step.commands.empty());
}

TEST(curve_server, every_flipped_hello_byte_from_the_key_on_is_refused) {
  // Octets 8-79 are padding, which neither libzmq nor we check; everything after is keyed.
  for (std::size_t i = 80; i < 200; ++i) {
    server_fixture f;
    std::string h = f.client.hello();
    h[i] = static_cast<char>(h[i] ^ 1);
    auto step = f.feed(h);
    EXPECT_EQ(error_code(step), code::zmtp_cryptographic) << i;
    EXPECT_TRUE(step.commands.empty());
  }
  server_fixture f;
  std::string h = f.client.hello();
  h[0] = 4;  // the name's length octet
  EXPECT_EQ(error_code(f.feed(h)), code::zmtp_unexpected_command);
}

TEST(curve_server, hello_signature_must_be_zeros) {
  server_fixture f;
  std::string h = f.client.hello();
  const std::string nb = h.substr(112, 8);
  h.replace(120, 80,
            box(std::string(63, '\0') + "\x01", nonce("CurveZMQHELLO---", nb), f.server_lt.pub,
                f.client.transient.sec));
  EXPECT_EQ(error_code(f.feed(h)), code::zmtp_cryptographic);
}

TEST(curve_server, second_hello_is_unexpected) {
  server_fixture f;
  f.welcome();
  EXPECT_EQ(error_code(f.feed(f.client.hello())), code::zmtp_unexpected_command);
}

TEST(curve_server, initiate_before_hello_is_unexpected) {
  server_fixture f;
  EXPECT_EQ(error_code(f.feed("\x08INITIATE" + std::string(300, '\0'))), code::zmtp_unexpected_command);
}

// ---- INITIATE ----

TEST(curve_server, truncated_and_oversized_initiate) {
  {
    server_fixture f;
    ASSERT_TRUE(f.client.welcome(f.welcome()));
    std::string ini = f.client.initiate("");
    ASSERT_EQ(ini.size(), 257U);
    ini.resize(256);
    auto step = f.feed(ini);
    EXPECT_EQ(error_code(step), code::zmtp_malformed_command_initiate);
    EXPECT_FALSE(step.zap);
  }
  {
    server_fixture f;
    ASSERT_TRUE(f.client.welcome(f.welcome()));
    const std::string big = prop("X-Big", std::string(std::size_t{64} * 1024, 'b'));
    auto step = f.feed(f.client.initiate(big));
    EXPECT_EQ(error_code(step), code::zmtp_malformed_command_initiate);
    EXPECT_FALSE(step.zap);
  }
  {
    // Large metadata within the bound is fine (libzmq CVE-2019-13132 overflowed a stack
    // buffer at 256 octets of metadata).
    server_fixture f;
    ASSERT_TRUE(f.client.welcome(f.welcome()));
    auto step = f.feed(f.client.initiate(f.client_props + prop("X-Big", std::string(4000, 'b'))));
    EXPECT_FALSE(step.error);
    EXPECT_TRUE(step.zap);
  }
}

TEST(curve_server, every_flipped_initiate_byte_is_refused) {
  server_fixture probe;
  ASSERT_TRUE(probe.client.welcome(probe.welcome()));
  const std::size_t size = probe.client.initiate(probe.client_props).size();
  for (std::size_t i = 0; i < size; ++i) {
    server_fixture f;
    ASSERT_TRUE(f.client.welcome(f.welcome()));
    std::string ini = f.client.initiate(f.client_props);
    ini[i] = static_cast<char>(ini[i] ^ 0x10);
    auto step = f.feed(ini);
    EXPECT_TRUE(step.error) << i;
    EXPECT_FALSE(step.zap) << i;
    EXPECT_FALSE(step.peer_properties) << i;
  }
}

TEST(curve_server, initiate_nonce_must_be_above_hellos) {
  server_fixture f;
  ASSERT_TRUE(f.client.welcome(f.welcome()));
  f.client.next_nonce = 1;  // HELLO used 1
  auto step = f.feed(f.client.initiate(f.client_props));
  EXPECT_EQ(error_code(step), code::zmtp_invalid_sequence);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, vouch_for_another_transient_key) {
  server_fixture f;
  ASSERT_TRUE(f.client.welcome(f.welcome()));
  const key other = keypair::make().pub;  // e.g. lifted from another connection
  const auto forged = f.client.forge(&other, nullptr, nullptr);
  auto step = f.feed(f.client.initiate(f.client_props, &forged));
  EXPECT_EQ(error_code(step), code::zmtp_key_exchange);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, vouch_for_another_server) {
  server_fixture f;
  ASSERT_TRUE(f.client.welcome(f.welcome()));
  const key other_server = keypair::from_seed(5).pub;
  const auto forged = f.client.forge(nullptr, &other_server, nullptr);
  auto step = f.feed(f.client.initiate(f.client_props, &forged));
  EXPECT_EQ(error_code(step), code::zmtp_key_exchange);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, vouch_made_by_another_key_than_the_one_claimed) {
  server_fixture f;
  ASSERT_TRUE(f.client.welcome(f.welcome()));
  const keypair mallory = keypair::from_seed(6);
  // Claims to be the allowed client C, but only holds mallory's secret.
  const auto forged = f.client.forge(nullptr, nullptr, &mallory);
  auto step = f.feed(f.client.initiate(f.client_props, &forged));
  EXPECT_EQ(error_code(step), code::zmtp_cryptographic);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, cookie_from_another_connection) {
  server_fixture a;
  ASSERT_TRUE(a.client.welcome(a.welcome()));
  server_fixture b;
  ASSERT_TRUE(b.client.welcome(b.welcome()));
  b.client.cookie = a.client.cookie;
  auto step = b.feed(b.client.initiate(b.client_props));
  EXPECT_EQ(error_code(step), code::zmtp_cryptographic);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, replayed_initiate_on_a_new_connection) {
  server_fixture a;
  ASSERT_TRUE(a.client.welcome(a.welcome()));
  const std::string ini = a.client.initiate(a.client_props);
  server_fixture b;
  b.client = a.client;  // same transient key, so HELLO opens...
  b.client.next_nonce = 1;
  b.welcome();  // ...but the new WELCOME carries a new cookie and S'
  auto step = b.feed(ini);
  EXPECT_TRUE(step.error);
  EXPECT_FALSE(step.zap);
}

TEST(curve_server, nothing_is_accepted_while_waiting_for_zap) {
  server_fixture f;
  ASSERT_TRUE(f.initiate().zap);
  EXPECT_EQ(error_code(f.feed(f.client.hello())), code::zmtp_unexpected_command);
}

TEST(curve_server, missing_secret_key_fails_at_start) {
  std::string props;
  curve_server mech("", "");
  zmtp::handshake_step step;
  mech.start(zmtp::handshake_context{socket_type::router, zmtp::as_bytes(props)}, step);
  ASSERT_TRUE(step.error);
  EXPECT_EQ(step.error->kind, zmtp::error_kind::no_detail);
}

}  // namespace
}  // namespace ringmq::security
