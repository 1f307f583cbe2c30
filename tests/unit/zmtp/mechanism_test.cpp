// The mechanism interface with a transforming mechanism shaped like CURVE's traffic (libzmq
// layout: a data frame "\x07MESSAGE" flags(1) payload, flags bit 0 MORE, bit 1 COMMAND) but
// without cryptography, to check what the security layer will rely on: handshake commands
// produced late (on_peer_greeting), per-frame encode/decode, PING/PONG and subscriptions
// inside the box, drop and failure paths.
#include "zmtp/command.hpp"
#include "zmtp/connection.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace ringmq::zmtp::test {
namespace {

using detail::message_access;

constexpr std::string_view box_prefix = "\x07MESSAGE";  // constexpr: nothing runs before main

class box_mechanism final : public mechanism {
 public:
  int encodes = 0;
  int decodes = 0;
  bool fail_encode = false;

  [[nodiscard]] std::string_view name() const noexcept override { return "BOXTEST"; }
  [[nodiscard]] bool as_server() const noexcept override { return false; }
  void start(const handshake_context& ctx, handshake_step& /*step*/) override {
    props_ = std::string(as_text(ctx.our_properties));
  }
  void on_peer_greeting(const peer_greeting& /*peer*/, handshake_step& step) override {
    step.commands.push_back(build_ready(B(props_)));
  }
  void process_command(bytes body, handshake_step& step) override {
    const auto cmd = parse_command(body);
    if (!cmd || cmd->name != command_name::ready) {
      step.error = make_protocol_error(protocol_code::zmtp_unexpected_command, "want READY");
      return;
    }
    step.peer_properties = std::string(as_text(cmd->data));
    step.complete = true;
  }
  [[nodiscard]] bool transforms_frames() const noexcept override { return true; }
  codec_status encode(message& frame, error_info& error) override {
    ++encodes;
    if (fail_encode) {
      error = make_protocol_error(protocol_code::zmtp_cryptographic, "nonce exhausted");
      return codec_status::failed;
    }
    const auto flags = static_cast<char>((message_access::has(frame, message_access::more) ? 1 : 0) |
                                         (message_access::has(frame, message_access::command) ? 2 : 0));
    std::string body = std::string(box_prefix) + flags + frame.to_string();
    frame = message(body);  // a data frame, MORE clear: MORE lives inside the box
    return codec_status::ok;
  }
  codec_status decode(message& frame, error_info& error) override {
    ++decodes;
    const std::string_view v = frame.view();
    if (message_access::has(frame, message_access::command) || v.size() < 9 || v.substr(0, 8) != box_prefix) {
      error = make_protocol_error(protocol_code::zmtp_malformed_command_message, "not a MESSAGE");
      return codec_status::failed;
    }
    const auto flags = static_cast<unsigned char>(v[8]);
    if ((flags & 4U) != 0) return codec_status::drop;
    message inner(v.substr(9));
    std::uint8_t f = 0;
    if ((flags & 1U) != 0) f |= message_access::more;
    if ((flags & 2U) != 0) f |= message_access::command;
    message_access::set_flags(inner, f);
    frame = std::move(inner);
    return codec_status::ok;
  }

 private:
  std::string props_;
};

struct box_side {
  recording_sink sink;
  output_batch out;
  box_mechanism* mech;
  std::unique_ptr<connection> conn;

  box_side(socket_type type, heartbeat_config hb = {}) {
    auto m = std::make_unique<box_mechanism>();
    mech = m.get();
    connection_config c;
    c.type = type;
    c.heartbeat = hb;
    conn = std::make_unique<connection>(c, std::move(m), sink);
    conn->start(out, t0);
  }
  std::string flushed() {
    if (conn->has_pending_output()) conn->flush_pending(out);
    return drain(out);
  }
};

void pump(box_side& a, box_side& b, time_point now = t0) {
  for (int i = 0; i < 10; ++i) {
    const std::string ab = a.flushed();
    const std::string ba = b.flushed();
    if (ab.empty() && ba.empty()) return;
    b.conn->feed(B(ab), now);
    a.conn->feed(B(ba), now);
  }
}

std::string box(const std::string& payload, int flags) {
  return data_frame(std::string(box_prefix) + static_cast<char>(flags) + payload);
}

TEST(mechanism, first_command_waits_for_the_peer_greeting) {
  box_side a(socket_type::push);
  const std::string first = a.flushed();
  EXPECT_EQ(first.size(), 64U);
  EXPECT_EQ(first.substr(12, 8), "BOXTEST"s + '\0');
  a.conn->feed(B(greeting("BOXTEST")), t0);
  EXPECT_EQ(a.flushed(), ready_frame(prop("Socket-Type", "PUSH")));
}

TEST(mechanism, frames_travel_inside_the_box) {
  box_side a(socket_type::dealer);
  box_side b(socket_type::router);
  pump(a, b);
  ASSERT_EQ(a.sink.handshakes.size(), 1U);
  ASSERT_EQ(b.sink.handshakes.size(), 1U);
  message first("one"s);
  message_access::set_flags(first, message_access::more);
  ASSERT_TRUE(a.conn->send(std::move(first), a.out));
  ASSERT_TRUE(a.conn->send(message(std::string(1000, 't')), a.out));
  const std::string wire = a.flushed();
  EXPECT_EQ(to_hex(wire.substr(0, 14)), to_hex(hex("00 0c") + std::string(box_prefix) + hex("01") + "one"));
  b.conn->feed(B(wire), t0);
  ASSERT_EQ(b.sink.texts(), (std::vector<std::string>{"one", std::string(1000, 't')}));
  EXPECT_TRUE(b.sink.messages[0].more());
  EXPECT_FALSE(b.sink.messages[1].more());
  EXPECT_EQ(b.sink.messages[0].property("Socket-Type").value(), "DEALER");
}

TEST(mechanism, subscription_form_is_chosen_inside_the_box) {
  for (int minor : {0, 1}) {
    box_side sub(socket_type::sub);
    sub.flushed();
    sub.conn->feed(B(greeting("BOXTEST", 3, minor) + ready_frame(prop("Socket-Type", "PUB"))), t0);
    ASSERT_EQ(sub.sink.handshakes.size(), 1U);
    sub.flushed();
    ASSERT_TRUE(sub.conn->send(message("\x01"
                                       "AB"s),
                               sub.out));
    const std::string expected = minor == 1 ? box("\x09SUBSCRIBEAB", 2)
                                            : box("\x01"
                                                  "AB",
                                                  0);
    EXPECT_EQ(to_hex(sub.flushed()), to_hex(expected)) << minor;
  }
}

TEST(mechanism, publisher_gets_boxed_subscriptions_as_messages) {
  box_side pub(socket_type::pub);
  pub.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "SUB")) + box("\x09SUBSCRIBEAB", 2) +
                   box("\x06"
                       "CANCELAB",
                       2) +
                   box("\x01"
                       "CD",
                       0)),
                 t0);
  ASSERT_TRUE(pub.sink.errors.empty()) << describe(pub.sink.errors[0]);
  EXPECT_EQ(pub.sink.texts(), (std::vector<std::string>{"\x01"
                                                        "AB",
                                                        "\x00"
                                                        "AB"s,
                                                        "\x01"
                                                        "CD"}));
}

TEST(mechanism, ping_and_pong_go_through_the_box) {
  box_side a(socket_type::pull, heartbeat_config{milliseconds{100}, milliseconds{-1}, milliseconds{0}});
  a.flushed();
  a.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "PUSH"))), t0);
  a.flushed();
  a.conn->on_timer(t0 + milliseconds{100});
  EXPECT_EQ(to_hex(a.flushed()), to_hex(box("\x04PING\x00\x00"s, 2)));
  a.conn->feed(B(box("\x04PING\x00\x00"
                     "ctx"s,
                     2)),
               t0 + milliseconds{110});
  EXPECT_EQ(to_hex(a.flushed()), to_hex(box("\x04PONGctx", 2)));
  EXPECT_TRUE(a.sink.errors.empty());
}

TEST(mechanism, handshake_commands_are_not_transformed) {
  box_side a(socket_type::pull);
  a.flushed();
  a.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "PUSH"))), t0);
  EXPECT_EQ(a.mech->decodes, 0);
  EXPECT_EQ(a.flushed(), ready_frame(prop("Socket-Type", "PULL")));
  EXPECT_EQ(a.mech->encodes, 0);
}

TEST(mechanism, clear_frames_after_the_handshake_fail_in_decode) {
  box_side a(socket_type::pull);
  a.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "PUSH")) + data_frame("plain")), t0);
  ASSERT_EQ(a.sink.errors.size(), 1U);
  EXPECT_EQ(a.sink.errors[0].code, protocol_code::zmtp_malformed_command_message);
  EXPECT_TRUE(a.sink.messages.empty());
}

TEST(mechanism, dropped_frames_vanish) {
  box_side a(socket_type::pull);
  a.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "PUSH")) + box("x", 4) + box("y", 0)),
               t0);
  EXPECT_TRUE(a.sink.errors.empty());
  EXPECT_EQ(a.sink.texts(), std::vector<std::string>{"y"});
}

TEST(mechanism, encode_failure_makes_send_fail) {
  box_side a(socket_type::push);
  a.conn->feed(B(greeting("BOXTEST") + ready_frame(prop("Socket-Type", "PULL"))), t0);
  a.flushed();
  a.mech->fail_encode = true;
  EXPECT_FALSE(a.conn->send(message("m"s), a.out));
  EXPECT_EQ(a.conn->encode_error().code, protocol_code::zmtp_cryptographic);
  EXPECT_FALSE(a.conn->send(message("m"s), a.out));  // closed for good
}

TEST(mechanism, mechanism_error_is_reported_and_its_commands_still_sent) {
  class refusing final : public mechanism {
   public:
    [[nodiscard]] std::string_view name() const noexcept override { return "NULL"; }
    [[nodiscard]] bool as_server() const noexcept override { return true; }
    void start(const handshake_context&, handshake_step&) override {}
    void process_command(bytes, handshake_step& step) override {
      step.commands.push_back(build_error("bad hello"));
      step.error = make_protocol_error(protocol_code::zmtp_malformed_command_hello, "bad hello");
      step.zap = zap_request{};  // ignored: the step failed
    }
  };
  recording_sink sink;
  output_batch out;
  connection conn(connection_config{}, std::make_unique<refusing>(), sink);
  conn.start(out, t0);
  EXPECT_EQ(drain(out)[32], '\x01');  // as-server octet
  conn.feed(B(libzmq_greeting() + command_frame("\x05HELLO")), t0);
  ASSERT_EQ(sink.errors.size(), 1U);
  EXPECT_EQ(sink.errors[0].code, protocol_code::zmtp_malformed_command_hello);
  EXPECT_TRUE(sink.zaps.empty());
  ASSERT_TRUE(conn.has_pending_output());
  conn.flush_pending(out);
  EXPECT_EQ(drain(out), command_frame(build_error("bad hello").to_string()));
}

}  // namespace
}  // namespace ringmq::zmtp::test
