// rfc 37 heartbeats and the handshake timeout, driven by explicit `now` values.
#include "zmtp/connection.hpp"
#include "zmtp/null_mechanism.hpp"
#include "zmtp_test_util.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace ringmq::zmtp::test {
namespace {

struct hb_harness {
  recording_sink sink;
  output_batch out;
  std::unique_ptr<connection> conn;

  explicit hb_harness(heartbeat_config hb, milliseconds handshake_timeout = milliseconds{0},
                      bool complete = true) {
    connection_config c;
    c.type = socket_type::dealer;
    c.heartbeat = hb;
    c.handshake_timeout = handshake_timeout;
    conn = std::make_unique<connection>(c, std::make_unique<null_mechanism>(), sink);
    conn->start(out, t0);
    if (complete) {
      conn->feed(B(libzmq_greeting() + ready_frame(prop("Socket-Type", "ROUTER"))), t0);
      EXPECT_EQ(sink.handshakes.size(), 1U);
    }
    flushed();
  }
  std::string flushed() {
    if (conn->has_pending_output()) conn->flush_pending(out);
    return drain(out);
  }
  void at(milliseconds ms) { conn->on_timer(t0 + ms); }
  void feed(const std::string& s, milliseconds ms) { conn->feed(B(s), t0 + ms); }
};

heartbeat_config ivl(int interval, int timeout = -1, int ttl = 0) {
  return heartbeat_config{milliseconds{interval}, milliseconds{timeout}, milliseconds{ttl}};
}

const std::string ping_2500 = hex("04 07 04") + "PING" + hex("00 19");

TEST(heartbeat, ping_is_sent_every_interval_with_our_ttl) {
  hb_harness h(ivl(100, 1000, 2500));
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{100});
  h.at(milliseconds{99});
  EXPECT_EQ(h.flushed(), "");
  h.at(milliseconds{100});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(ping_2500));
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{200});
  h.feed(command_frame("\x04PONG"), milliseconds{150});
  h.at(milliseconds{200});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(ping_2500));
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(heartbeat, no_heartbeats_when_the_interval_is_zero) {
  hb_harness h(ivl(0));
  EXPECT_FALSE(h.conn->next_deadline());
  h.at(milliseconds{1000000});
  EXPECT_EQ(h.flushed(), "");
}

TEST(heartbeat, timeout_after_silence_defaults_to_the_interval) {
  hb_harness h(ivl(100));
  h.at(milliseconds{100});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 07 04") + "PING" + hex("00 00")));
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{200});
  h.at(milliseconds{199});
  EXPECT_TRUE(h.sink.errors.empty());
  h.at(milliseconds{200});
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].kind, error_kind::no_detail);
  EXPECT_EQ(h.sink.errors[0].code, ETIMEDOUT);
  EXPECT_FALSE(h.conn->next_deadline());
}

TEST(heartbeat, any_inbound_traffic_cancels_the_timeout) {
  hb_harness h(ivl(100, 300));
  h.at(milliseconds{100});  // PING; timeout armed for 400
  h.flushed();
  h.feed(data_frame("x"), milliseconds{390});
  h.at(milliseconds{400});  // not a timeout: traffic arrived; a new PING instead
  EXPECT_TRUE(h.sink.errors.empty());
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 07 04") + "PING" + hex("00 00")));
  h.at(milliseconds{699});
  EXPECT_TRUE(h.sink.errors.empty());
  h.at(milliseconds{700});
  EXPECT_EQ(h.sink.errors.size(), 1U);
}

TEST(heartbeat, partial_frames_count_as_traffic) {
  hb_harness h(ivl(100, 100));
  h.at(milliseconds{100});
  h.feed(hex("00 05 61"), milliseconds{150});  // 1 of 5 body octets
  h.at(milliseconds{200});
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(heartbeat, pong_echoes_the_ping_context) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x00LOL"s), milliseconds{1});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 08 04") + "PONG" + "LOL"));
  h.feed(command_frame("\x04PING\x00\x00"s), milliseconds{2});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 05 04") + "PONG"));
}

TEST(heartbeat, pong_context_is_truncated_to_16_octets) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x00"s + "0123456789abcdefOVERFLOW"), milliseconds{1});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 15 04") + "PONG" + "0123456789abcdef"));
}

TEST(heartbeat, every_ping_is_answered_in_order) {
  // rfc 37: "When a peer receives a PING command it SHALL respond with a PONG command".
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x00"
                       "a"s) +
             command_frame("\x04PING\x00\x00"
                           "b"s),
         milliseconds{1});
  EXPECT_EQ(h.flushed(), command_frame("\x04PONG"
                                       "a") +
                             command_frame("\x04PONG"
                                           "b"));
}

TEST(heartbeat, pongs_wait_while_the_output_is_over_its_bound) {
  hb_harness h(ivl(0));
  const std::string backlog(connection::pong_output_bound, 'w');
  h.out.append_copy(B(backlog));
  h.feed(command_frame("\x04PING\x00\x00"s), milliseconds{1});
  ASSERT_TRUE(h.conn->has_pending_output());
  h.conn->flush_pending(h.out);
  EXPECT_EQ(h.out.size(), backlog.size());  // not written, not dropped
  EXPECT_TRUE(h.conn->has_pending_output());
  EXPECT_FALSE(h.conn->input_blocked());  // one PONG waiting is no flood
  EXPECT_EQ(drain(h.out), backlog);
  EXPECT_EQ(h.flushed(), command_frame("\x04PONG"));  // the output drained: answered
  EXPECT_FALSE(h.conn->has_pending_output());
}

// Issue 15: a peer sending PINGs faster than we could send PONGs grew our output by a PONG
// per PING, and we read on. Now the PONGs wait (a few), the output stays under its bound,
// and the connection blocks its input: the transport stops reading, TCP holds the peer back.
TEST(heartbeat, a_ping_flood_cannot_grow_the_pending_output_past_its_bound) {
  hb_harness h(ivl(0));
  const std::string ping = command_frame("\x04PING\x00\x00"s);
  const std::string pong = command_frame("\x04PONG");
  // One PING per read.
  int fed = 0;
  while (!h.conn->input_blocked() && fed < 10000) {
    h.feed(ping, milliseconds{1});
    ++fed;
    if (h.conn->has_pending_output()) h.conn->flush_pending(h.out);
    ASSERT_LT(h.out.size(), connection::pong_output_bound + pong.size()) << "after " << fed << " PINGs";
  }
  EXPECT_TRUE(h.conn->input_blocked()) << "still reading after " << fed << " PINGs";
  EXPECT_LE(static_cast<std::size_t>(fed),
            connection::pong_output_bound / pong.size() + 1 + connection::max_waiting_pongs);
  // The peer reads: every PING gets its PONG, and the input opens again.
  std::string sent = drain(h.out);
  while (h.conn->has_pending_output()) sent += h.flushed();
  EXPECT_FALSE(h.conn->input_blocked());
  EXPECT_EQ(sent.size(), static_cast<std::size_t>(fed) * pong.size());
}

TEST(heartbeat, a_read_full_of_pings_is_held_and_answered_ping_by_ping) {
  hb_harness h(ivl(0));
  const std::string pong = command_frame("\x04PONG");
  std::string pings;
  for (int i = 0; i < 10000; ++i) pings += command_frame("\x04PING\x00\x00"s);
  EXPECT_EQ(h.conn->feed(B(pings), t0 + milliseconds{1}), pings.size());  // held counts as taken
  EXPECT_TRUE(h.conn->input_blocked());
  EXPECT_EQ(h.conn->held_input(), pings.size() - connection::max_waiting_pongs * 9);
  // The peer reads nothing: PONGs go out until the output is at its bound, then the rest of
  // the input stays held.
  for (int pass = 0; pass < 1000; ++pass) {
    if (h.conn->has_pending_output()) h.conn->flush_pending(h.out);
    if (h.conn->next_deadline()) h.at(milliseconds{1});
  }
  EXPECT_LT(h.out.size(), connection::pong_output_bound + pong.size());
  EXPECT_TRUE(h.conn->input_blocked());
  EXPECT_GT(h.conn->held_input(), 0U);
  // The peer reads: all 10,000 answered, nothing held.
  std::string sent;
  for (int pass = 0; pass < 100000 && (h.conn->input_blocked() || h.conn->has_pending_output()); ++pass) {
    sent += h.flushed();
    if (h.conn->next_deadline()) h.at(milliseconds{1});
  }
  EXPECT_FALSE(h.conn->input_blocked());
  EXPECT_EQ(h.conn->held_input(), 0U);
  EXPECT_EQ(sent.size(), 10000 * pong.size());
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(heartbeat, no_timeout_or_ttl_expires_while_the_input_is_blocked) {
  // We send PINGs (timeout 300 ms); the peer floods PINGs asking for a 1 s TTL, and reads
  // nothing: our input is blocked, and the silence that follows is ours, not the peer's.
  hb_harness h(ivl(100, 300));
  std::string pings;
  for (std::size_t i = 0; i <= connection::max_waiting_pongs; ++i)
    pings += command_frame("\x04PING\x00\x0a"s);
  h.out.append_copy(B(std::string(connection::pong_output_bound, 'w')));  // the peer reads nothing
  h.feed(pings, milliseconds{0});
  h.conn->flush_pending(h.out);
  ASSERT_TRUE(h.conn->input_blocked());
  for (int ms = 100; ms <= 5000; ms += 100) h.at(milliseconds{ms});
  EXPECT_TRUE(h.sink.errors.empty()) << describe(h.sink.errors.at(0));
  // Once the peer reads, the timers apply again.
  drain(h.out);
  while (h.conn->has_pending_output() || h.conn->input_blocked()) {
    h.flushed();
    h.at(milliseconds{5000});
  }
  h.at(milliseconds{5100});  // a PING: the timeout is armed
  h.at(milliseconds{5400});
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, ETIMEDOUT);
}

TEST(heartbeat, peer_ttl_closes_a_silent_connection) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x0a"s), milliseconds{0});  // TTL 1.0 s
  h.flushed();
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{1000});
  h.at(milliseconds{999});
  EXPECT_TRUE(h.sink.errors.empty());
  h.at(milliseconds{1000});
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].code, ETIMEDOUT);
}

TEST(heartbeat, traffic_after_the_peer_ping_cancels_its_ttl) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x0a"s), milliseconds{0});
  h.feed(data_frame("alive"), milliseconds{500});
  EXPECT_FALSE(h.conn->next_deadline());
  h.at(milliseconds{5000});
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(heartbeat, frames_after_the_ping_in_the_same_read_cancel_its_ttl) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x0a"s) + data_frame("alive"), milliseconds{0});
  EXPECT_FALSE(h.conn->next_deadline());
}

TEST(heartbeat, zero_ttl_ping_arms_nothing) {
  hb_harness h(ivl(0));
  h.feed(command_frame("\x04PING\x00\x00"s), milliseconds{0});
  EXPECT_FALSE(h.conn->next_deadline());
}

TEST(heartbeat, ttl_is_capped_at_65535_deciseconds) {
  hb_harness h(ivl(10, -1, 10'000'000));
  h.at(milliseconds{10});
  EXPECT_EQ(to_hex(h.flushed()), to_hex(hex("04 07 04") + "PING" + hex("ff ff")));
}

TEST(heartbeat, handshake_timeout) {
  hb_harness h(ivl(0), milliseconds{1000}, false);
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{1000});
  h.feed(libzmq_greeting(), milliseconds{500});  // progress does not extend the deadline
  h.at(milliseconds{999});
  EXPECT_TRUE(h.sink.errors.empty());
  h.at(milliseconds{1000});
  ASSERT_EQ(h.sink.errors.size(), 1U);
  EXPECT_EQ(h.sink.errors[0].kind, error_kind::no_detail);
  EXPECT_EQ(h.sink.errors[0].code, ETIMEDOUT);
}

TEST(heartbeat, completed_handshake_clears_its_deadline) {
  hb_harness h(ivl(0), milliseconds{1000}, false);
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "ROUTER")), milliseconds{10});
  EXPECT_FALSE(h.conn->next_deadline());
  h.at(milliseconds{5000});
  EXPECT_TRUE(h.sink.errors.empty());
}

TEST(heartbeat, first_ping_is_one_interval_after_the_handshake) {
  hb_harness h(ivl(100), milliseconds{0}, false);
  EXPECT_FALSE(h.conn->next_deadline());
  h.feed(libzmq_greeting() + ready_frame(prop("Socket-Type", "ROUTER")), milliseconds{40});
  EXPECT_EQ(h.conn->next_deadline(), t0 + milliseconds{140});
}

}  // namespace
}  // namespace ringmq::zmtp::test
