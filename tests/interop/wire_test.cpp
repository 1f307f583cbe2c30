// What libzmq does on the wire that a ZMTP peer must take in its stride
// (docs/wire-and-security.md), played byte by byte against a ringmq ROUTER: the greeting
// sent in three steps and not waited for, padding that is not zero, newer protocol versions,
// LONG frames for small bodies, and commands it does not know.
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq_interop {
namespace {

// A ringmq ROUTER bound on tcp and a raw connection to it.
struct router_and_raw_peer {
  ringmq::context ctx;
  std::unique_ptr<peer> router = make_ringmq_peer(ctx, socket_type::router);
  raw_stream raw = raw_stream::connect(router->bind("tcp://127.0.0.1:*"));

  // The raw peer (a DEALER named "raw") sends `wire_bytes`, which the ROUTER must receive
  // as `parts`; the reply must come back as a data frame.
  ::testing::AssertionResult round_trip(const std::string& wire_bytes, const strings& parts) {
    if (!raw.write(wire_bytes)) return ::testing::AssertionFailure() << "ringmq closed the connection";
    const auto got = router->recv();
    if (!got) return ::testing::AssertionFailure() << "the ROUTER received nothing";
    strings expected{"raw"};
    expected.insert(expected.end(), parts.begin(), parts.end());
    if (*got != expected) return ::testing::AssertionFailure() << "the ROUTER received " << show(*got);
    const std::string reply = "re: " + parts.front();
    if (router->send({"raw", reply}) != send_status::ok)
      return ::testing::AssertionFailure() << "the ROUTER could not send";
    const auto f = raw.read_frame();
    if (!f) return ::testing::AssertionFailure() << "no reply frame";
    if (f->flags != 0 || f->body != reply)
      return ::testing::AssertionFailure()
             << "reply frame flags " << int{f->flags} << " body " << hex(f->body);
    return ::testing::AssertionSuccess();
  }
};

class wire : public interop_test {};

// libzmq sends 10 bytes, waits for the peer's 10, sends the major version, waits for the
// peer's, then the rest. A peer that waits for a whole greeting before sending its own
// deadlocks with that; ringmq must send without waiting.
TEST_F(wire, ringmq_sends_its_greeting_without_waiting_for_the_peers) {
  router_and_raw_peer t;
  const auto greeting = t.raw.read_exact(64);
  ASSERT_TRUE(greeting) << "ringmq waited for our greeting before sending its own";
  EXPECT_EQ(hex(greeting->substr(0, 1)), "ff");
  EXPECT_EQ(static_cast<unsigned char>((*greeting)[9]) & 1U, 1U);
  EXPECT_EQ(hex(greeting->substr(10, 2)), "03 01");
}

TEST_F(wire, a_greeting_sent_in_libzmqs_three_steps_completes_the_handshake) {
  router_and_raw_peer t;
  const std::string ours = zmtp_greeting(1);
  ASSERT_TRUE(t.raw.write(ours.substr(0, 10)));
  ASSERT_TRUE(t.raw.read_exact(10)) << "no signature from ringmq";
  ASSERT_TRUE(t.raw.write(ours.substr(10, 1)));
  ASSERT_TRUE(t.raw.read_exact(1)) << "no major version from ringmq";
  ASSERT_TRUE(t.raw.write(ours.substr(11)));
  ASSERT_TRUE(t.raw.read_exact(53)) << "no rest of the greeting from ringmq";
  ASSERT_TRUE(t.raw.write(zmtp_ready("DEALER", "raw")));
  const auto ready = t.raw.read_frame();
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->command_name(), "READY");
  EXPECT_EQ(zmtp_ready_property(*ready, "Socket-Type"), "ROUTER");
  EXPECT_TRUE(t.round_trip(zmtp_data_frame("hello"), {"hello"}));
}

// rfc 23: the padding is not significant. libzmq puts its identity length there.
TEST_F(wire, greeting_padding_is_not_validated) {
  router_and_raw_peer t;
  std::string greeting = zmtp_greeting(1);
  greeting.replace(1, 8, "\x12\x34\x56\x78\x9a\xbc\xde\xf0");
  greeting[32] = '\x01';             // as-server: libzmq never checks it either
  greeting.replace(40, 5, "junk!");  // filler
  ASSERT_TRUE(t.raw.write(greeting + zmtp_ready("DEALER", "raw")));
  ASSERT_TRUE(t.raw.read_exact(64));
  ASSERT_TRUE(t.raw.read_frame());
  EXPECT_TRUE(t.round_trip(zmtp_data_frame("padding"), {"padding"}));
}

// rfc 23: "a peer MUST accept higher protocol versions" (libzmq talks 3.1 to them).
class newer_version : public interop_test, public ::testing::WithParamInterface<std::pair<int, int>> {};

TEST_P(newer_version, is_accepted_as_zmtp31) {
  router_and_raw_peer t;
  std::string greeting = zmtp_greeting(static_cast<std::uint8_t>(GetParam().second));
  greeting[10] = static_cast<char>(GetParam().first);
  ASSERT_TRUE(t.raw.write(greeting + zmtp_ready("DEALER", "raw")));
  ASSERT_TRUE(t.raw.read_exact(64));
  const auto ready = t.raw.read_frame();
  ASSERT_TRUE(ready) << "ringmq refused version " << GetParam().first << "." << GetParam().second;
  EXPECT_EQ(ready->command_name(), "READY");
  EXPECT_TRUE(t.round_trip(zmtp_data_frame("newer"), {"newer"}));
}

INSTANTIATE_TEST_SUITE_P(versions, newer_version,
                         ::testing::Values(std::pair{3, 2}, std::pair{3, 255}, std::pair{4, 0}),
                         [](const auto& test) {
                           return "zmtp" + std::to_string(test.param.first) + "_" +
                                  std::to_string(test.param.second);
                         });

// The LONG flag is the sender's choice: a body of a few bytes in an 8-byte size is valid,
// for commands and data alike.
TEST_F(wire, long_frames_with_small_bodies_are_accepted) {
  router_and_raw_peer t;
  auto long_frame = [](std::uint8_t flags, const std::string& body) {
    std::string out(1, static_cast<char>(flags | 0x02));
    out += std::string(7, '\0');
    out += static_cast<char>(body.size());
    return out + body;
  };
  const std::string ready = zmtp_ready("DEALER", "raw");
  ASSERT_TRUE(t.raw.write(zmtp_greeting(1) + long_frame(0x04, ready.substr(2))));
  ASSERT_TRUE(t.raw.read_exact(64));
  ASSERT_TRUE(t.raw.read_frame()) << "the READY in a LONG frame was refused";
  EXPECT_TRUE(t.round_trip(long_frame(0x01, "multi") + long_frame(0x00, "part"), {"multi", "part"}));
}

// libzmq drops commands it does not know once the handshake is done (forward
// compatibility): so must ringmq, and keep the connection.
TEST_F(wire, unknown_commands_after_the_handshake_are_ignored) {
  router_and_raw_peer t;
  ASSERT_TRUE(t.raw.handshake(1, "DEALER", nullptr, "raw"));
  EXPECT_TRUE(t.round_trip(
      zmtp_command("XUNKNOWN", "future") + zmtp_command("JOIN", "group") + zmtp_data_frame("still"),
      {"still"}));
}

}  // namespace
}  // namespace ringmq_interop
