// Attacks on a ringmq CURVE server over raw TCP, each crafted with libsodium: wrong keys,
// flipped octets in every command, replayed and decreasing nonces, truncated and oversized
// commands, forged vouches, stalled handshakes. Each one asserts that no message got through
// and that the server goes on serving good clients.
#include "security/raw_curve.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <cerrno>

namespace sec_test {
namespace {

using ringmq::monitor_event;
using ringmq::socket_type;
namespace opt = ringmq::opt;

constexpr int unexpected_command = 0x10000001;
constexpr int invalid_sequence = 0x10000002;
constexpr int key_exchange = 0x10000003;
constexpr int malformed_hello = 0x10000013;
constexpr int malformed_initiate = 0x10000014;
constexpr int cryptographic = 0x11000001;
constexpr int mechanism_mismatch = 0x11000002;

class curve_rejection : public testing::Test {
 protected:
  ringmq::context ctx;
  ringmq::authenticator auth{ctx};
  ringmq::socket pull{ctx, socket_type::pull};
  ringmq::monitor mon;
  int port = 0;

  void SetUp() override {
    auth.allow_curve_keys("*", std::vector<std::string>{std::string(client_public)});
    make_curve_server(pull);
    pull.set(opt::handshake_ivl, std::chrono::milliseconds(1000));
    mon = pull.monitor();
    pull.bind("tcp://127.0.0.1:*");
    port = port_of(pull.last_endpoint());
  }

  // The server failed the handshake with `code` (HANDSHAKE_FAILED_PROTOCOL).
  void expect_protocol_failure(int code) {
    auto e = wait_event(mon, monitor_event::handshake_failed_protocol);
    ASSERT_TRUE(e) << "no HANDSHAKE_FAILED_PROTOCOL";
    EXPECT_EQ(e->value, code) << std::hex << e->value;
  }

  void expect_nothing_delivered() { EXPECT_FALSE(recv_text(pull, quiet)) << "a message got through"; }

  // A good raw client and a good ringmq client both get through afterwards.
  void expect_still_serving() {
    raw_curve raw(port);
    ASSERT_TRUE(raw.handshake());
    ASSERT_TRUE(raw.send_message(raw.peer.message("raw after attack")));
    EXPECT_EQ(recv_text(pull), "raw after attack");
    ringmq::socket push(ctx, socket_type::push);
    make_curve_client(push);
    push.connect(pull.last_endpoint());
    send_parts(push, {"ringmq after attack"});
    EXPECT_EQ(recv_text(pull), "ringmq after attack");
  }
};

TEST_F(curve_rejection, the_raw_client_itself_works) {
  raw_curve raw(port);
  ASSERT_TRUE(raw.handshake());
  ASSERT_TRUE(raw.send_message(raw.peer.message("first", 1)));
  ASSERT_TRUE(raw.send_message(raw.peer.message("second")));
  pull.set(opt::rcvtimeo, safety);
  std::vector<ringmq::message> parts;
  ASSERT_TRUE(pull.recv_multipart(std::back_inserter(parts)));
  ASSERT_EQ(parts.size(), 2U);
  EXPECT_EQ(parts[0].to_string(), "first");
  EXPECT_EQ(parts[1].property("User-Id"), client_public);
}

TEST_F(curve_rejection, wrong_server_key) {
  raw_curve raw(port, perf_client_keys(), tc::keypair::make().pub);
  ASSERT_TRUE(raw.greet());
  EXPECT_FALSE(raw.hello());
  expect_protocol_failure(cryptographic);
  EXPECT_TRUE(raw.tcp.closed_by_peer());
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, client_key_not_allowed) {
  raw_curve raw(port, tc::keypair::make());
  ASSERT_TRUE(raw.greet());
  ASSERT_TRUE(raw.hello());
  auto answer = raw.initiate();
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, std::string("\x05") +
                         "ERROR\x03"
                         "400");  // rfc 27 via libzmq: ERROR with the status
  raw.send_message(raw.peer.message("must not arrive"));
  EXPECT_TRUE(raw.tcp.closed_by_peer());
  auto e = wait_event(mon, monitor_event::handshake_failed_auth);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, 400);
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, flipped_hello) {
  for (std::size_t at : {80U, 115U, 150U, 199U}) {
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    std::string h = raw.peer.hello();
    h[at] = static_cast<char>(h[at] ^ 0x01);
    EXPECT_FALSE(raw.hello(h)) << at;
    expect_protocol_failure(cryptographic);
    EXPECT_TRUE(raw.tcp.closed_by_peer());
  }
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, flipped_initiate) {
  for (std::size_t at : {9U, 60U, 104U, 106U, 113U, 140U, 200U, 256U}) {
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    std::string ini = raw.peer.initiate(raw.client_props);
    ini[at] = static_cast<char>(ini[at] ^ 0x01);
    EXPECT_FALSE(raw.initiate(ini)) << at;  // closed without an answer
    auto e = wait_event(mon, monitor_event::handshake_failed_protocol);
    ASSERT_TRUE(e) << at;
    EXPECT_TRUE(e->value == cryptographic || e->value == invalid_sequence)
        << at << " " << std::hex << e->value;
  }
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, flipped_message_box_and_nonce) {
  for (std::size_t at : {10U, 15U, 16U, 31U, 32U, 40U}) {  // nonce (8-15), MAC (16-31), ciphertext
    raw_curve raw(port);
    ASSERT_TRUE(raw.handshake());
    ASSERT_TRUE(raw.send_message(raw.peer.message("good")));
    std::string bad = raw.peer.message("tampered payload");
    bad[at] = static_cast<char>(bad[at] ^ 0x40);
    raw.send_message(bad);
    raw.send_message(raw.peer.message("after the bad one"));
    EXPECT_EQ(recv_text(pull), "good");
    EXPECT_TRUE(raw.tcp.closed_by_peer()) << at;
    EXPECT_TRUE(sees_event(mon, monitor_event::disconnected, safety));
  }
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, replayed_message) {
  raw_curve raw(port);
  ASSERT_TRUE(raw.handshake());
  const std::string m = raw.peer.message("once");
  raw.send_message(m);
  raw.send_message(m);  // replay
  raw.send_message(raw.peer.message("never"));
  EXPECT_EQ(recv_text(pull), "once");
  EXPECT_TRUE(raw.tcp.closed_by_peer());
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, decreasing_nonce) {
  raw_curve raw(port);
  ASSERT_TRUE(raw.handshake());
  raw.peer.next_nonce = 10;
  raw.send_message(raw.peer.message("ten"));
  raw.peer.next_nonce = 9;
  raw.send_message(raw.peer.message("nine"));
  EXPECT_EQ(recv_text(pull), "ten");
  EXPECT_TRUE(raw.tcp.closed_by_peer());
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, message_nonce_not_above_initiates) {
  raw_curve raw(port);
  ASSERT_TRUE(raw.handshake());
  raw.peer.next_nonce = 2;  // INITIATE's
  raw.send_message(raw.peer.message("stale"));
  EXPECT_TRUE(raw.tcp.closed_by_peer());
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, truncated_and_oversized_hello) {
  for (std::size_t size : {199U, 201U, 1000U}) {
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    std::string h = raw.peer.hello();
    h.resize(size, '\0');
    EXPECT_FALSE(raw.hello(h));
    expect_protocol_failure(malformed_hello);
    EXPECT_TRUE(raw.tcp.closed_by_peer());
  }
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, truncated_and_oversized_initiate) {
  {
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    std::string ini = raw.peer.initiate("");
    ini.resize(256);
    EXPECT_FALSE(raw.initiate(ini));
    expect_protocol_failure(malformed_initiate);
  }
  {
    // Past the 64 KiB a handshake frame may have: refused from the frame header, before
    // the body is read or allocated.
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    EXPECT_FALSE(raw.initiate(raw.peer.initiate(prop("X-Big", std::string(70000, 'b')))));
    EXPECT_TRUE(raw.tcp.closed_by_peer());
    auto e = wait_event(mon, monitor_event::handshake_failed_no_detail);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->value, EMSGSIZE);
  }
  {
    // A frame header announcing 2^62 octets: refused from the header, nothing allocated.
    raw_curve raw(port);
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    raw.tcp.send(std::string("\x06\x40\x00\x00\x00\x00\x00\x00\x00", 9) + "\x08INITIATE");
    EXPECT_TRUE(raw.tcp.closed_by_peer());
    auto e = wait_event(mon, monitor_event::handshake_failed_no_detail);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->value, EMSGSIZE);
  }
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, vouch_for_another_key) {
  {
    raw_curve raw(port);  // vouch names another transient key
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    const tc::key other = tc::keypair::make().pub;
    const auto forged = raw.peer.forge(&other, nullptr, nullptr);
    EXPECT_FALSE(raw.initiate(raw.peer.initiate(raw.client_props, &forged)));
    expect_protocol_failure(key_exchange);
  }
  {
    raw_curve raw(port);  // claims the allowed key, vouch made with another secret key
    ASSERT_TRUE(raw.greet());
    ASSERT_TRUE(raw.hello());
    const tc::keypair mallory = tc::keypair::make();
    const auto forged = raw.peer.forge(nullptr, nullptr, &mallory);
    EXPECT_FALSE(raw.initiate(raw.peer.initiate(raw.client_props, &forged)));
    expect_protocol_failure(cryptographic);
  }
  EXPECT_EQ(auth.stats().requests, 0U);  // never got as far as ZAP
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, stalled_handshakes_are_cut_off) {
  const auto start = std::chrono::steady_clock::now();
  raw_curve silent(port);  // connects and says nothing
  raw_curve half(port);    // greeting and HELLO, then nothing
  ASSERT_TRUE(half.greet());
  ASSERT_TRUE(half.hello());
  EXPECT_TRUE(silent.tcp.closed_by_peer());
  EXPECT_TRUE(half.tcp.closed_by_peer());
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(900));  // HANDSHAKE_IVL is 1000 ms
  auto e = wait_event(mon, monitor_event::handshake_failed_no_detail);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->value, ETIMEDOUT);
  expect_nothing_delivered();
  expect_still_serving();
}

TEST_F(curve_rejection, other_mechanisms_and_early_data) {
  {
    raw_curve raw(port);
    ASSERT_TRUE(raw.tcp.send(greeting("NULL")));
    EXPECT_TRUE(raw.tcp.closed_by_peer());
    expect_protocol_failure(mechanism_mismatch);
  }
  {
    raw_curve raw(port);  // a message before the handshake
    ASSERT_TRUE(raw.greet());
    raw.tcp.send(data_frame("sneaky"));
    EXPECT_TRUE(raw.tcp.closed_by_peer());
    expect_protocol_failure(unexpected_command);
  }
  {
    raw_curve raw(port);  // INITIATE without HELLO
    ASSERT_TRUE(raw.greet());
    raw.tcp.send(command_frame("\x08INITIATE" + std::string(300, '\0')));
    EXPECT_TRUE(raw.tcp.closed_by_peer());
    expect_protocol_failure(unexpected_command);
  }
  expect_nothing_delivered();
  expect_still_serving();
}

}  // namespace
}  // namespace sec_test
