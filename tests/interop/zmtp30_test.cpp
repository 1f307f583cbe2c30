// Subscriptions on the wire, against a peer played byte by byte. libzmq 4.3.4 speaks ZMTP
// 3.1, so a ZMTP 3.0 peer (libzmq 4.0-4.3.2) is emulated with a raw socket: it announces
// minor version 0 and subscribes with "\x01topic" data frames; a peer that announced 3.0
// gets its subscriptions the same way (docs/wire-and-security.md, rfc 23 vs rfc 37). The 3.1 forms
// (SUBSCRIBE/CANCEL commands) are checked byte for byte alongside.
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq_interop {
namespace {

std::string sub_frame_30(std::string_view topic) { return zmtp_data_frame('\x01' + std::string(topic)); }
std::string cancel_frame_30(std::string_view topic) { return zmtp_data_frame('\x00' + std::string(topic)); }

// Reads the next frame and checks it is a data frame with `body` and the MORE flag `more`.
::testing::AssertionResult next_frame_is(raw_stream& s, std::string_view body, bool more = false) {
  const auto f = s.read_frame();
  if (!f) return ::testing::AssertionFailure() << "no frame; expected \"" << body << "\"";
  if (f->command() || f->more() != more || f->body != body)
    return ::testing::AssertionFailure()
           << "got flags " << int{f->flags} << " body \"" << f->body << "\"; expected flags "
           << (more ? 1 : 0) << " body \"" << body << "\"";
  return ::testing::AssertionSuccess();
}

// Publishes `probe` until the raw subscriber receives it (its subscription took effect),
// then returns; later copies of `probe` are skipped by next_frame_skipping.
::testing::AssertionResult publish_until_received(ringmq::socket& pub, raw_stream& sub,
                                                  std::string_view probe) {
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!pub.send(probe)) return ::testing::AssertionFailure() << "PUB send timed out";
    if (const auto f = sub.read_frame(10ms)) {
      if (f->body == probe) return ::testing::AssertionSuccess();
      return ::testing::AssertionFailure() << "unexpected frame \"" << f->body << "\" while probing";
    }
  }
  return ::testing::AssertionFailure() << "the subscription never took effect";
}

std::optional<raw_frame> next_frame_skipping(raw_stream& s, std::string_view skip) {
  for (;;) {
    auto f = s.read_frame();
    if (!f || f->body != skip) return f;
  }
}

// A ringmq publisher bound on tcp, and a raw ZMTP 3.0 SUB connected to it.
struct publisher_and_raw_subscriber {
  ringmq::context ctx;
  ringmq::socket pub;
  raw_stream sub;

  explicit publisher_and_raw_subscriber(socket_type type)
      : pub(ctx, type), sub([&] {
          pub.set(ringmq::opt::linger, 0ms);
          pub.set(ringmq::opt::sndtimeo, safety);
          pub.set(ringmq::opt::rcvtimeo, safety);
          pub.bind("tcp://127.0.0.1:*");
          return raw_stream::connect(pub.last_endpoint());
        }()) {}
};

class zmtp30_subscriber : public interop_test {};
class zmtp31_subscriber : public interop_test {};

TEST_F(zmtp30_subscriber, ringmq_pub_filters_for_a_raw_zmtp30_sub) {
  publisher_and_raw_subscriber t(socket_type::pub);
  const auto greeting = t.sub.handshake(0, "SUB");
  ASSERT_TRUE(greeting) << "no handshake with the 3.0 peer";
  EXPECT_EQ(static_cast<unsigned char>((*greeting)[10]), 3U);

  ASSERT_TRUE(t.sub.write(sub_frame_30("A")));
  ASSERT_TRUE(publish_until_received(t.pub, t.sub, "A-probe"));
  ASSERT_TRUE(t.pub.send("B-filtered"));
  ASSERT_TRUE(t.pub.send("a-filtered"));
  ASSERT_TRUE(t.pub.send_multipart(strings{"A-multi", "second"}));
  ASSERT_TRUE(t.pub.send("A-end"));
  auto f = next_frame_skipping(t.sub, "A-probe");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->body, "A-multi");
  EXPECT_TRUE(f->more());
  EXPECT_TRUE(next_frame_is(t.sub, "second"));
  EXPECT_TRUE(next_frame_is(t.sub, "A-end"));

  // Cancel "A" and subscribe "C" the 3.0 way; once "C" flows, "A" is gone.
  ASSERT_TRUE(t.sub.write(cancel_frame_30("A") + sub_frame_30("C")));
  ASSERT_TRUE(publish_until_received(t.pub, t.sub, "C-probe"));
  ASSERT_TRUE(t.pub.send("A-late"));
  ASSERT_TRUE(t.pub.send("C-end"));
  f = next_frame_skipping(t.sub, "C-probe");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->body, "C-end");
}

// An XPUB hands the 3.0 subscription to the application exactly as a 3.1 one.
TEST_F(zmtp30_subscriber, ringmq_xpub_receives_the_subscriptions_of_a_raw_zmtp30_sub) {
  publisher_and_raw_subscriber t(socket_type::xpub);
  ASSERT_TRUE(t.sub.handshake(0, "SUB"));
  ASSERT_TRUE(t.sub.write(sub_frame_30("topic")));
  auto got = t.pub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), "\x01topic");
  ASSERT_TRUE(t.pub.send("topic and more"));
  EXPECT_TRUE(next_frame_is(t.sub, "topic and more"));
  ASSERT_TRUE(t.sub.write(cancel_frame_30("topic")));
  got = t.pub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), std::string("\0topic", 6));
}

// The same over ZMTP 3.1 commands, as libzmq 4.3.4 sends them.
TEST_F(zmtp31_subscriber, ringmq_xpub_receives_subscribe_and_cancel_commands) {
  publisher_and_raw_subscriber t(socket_type::xpub);
  ASSERT_TRUE(t.sub.handshake(1, "SUB"));
  ASSERT_TRUE(t.sub.write(zmtp_command("SUBSCRIBE", "topic")));
  auto got = t.pub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), "\x01topic");
  ASSERT_TRUE(t.pub.send("topic!"));
  EXPECT_TRUE(next_frame_is(t.sub, "topic!"));
  ASSERT_TRUE(t.sub.write(zmtp_command("CANCEL", "topic")));
  got = t.pub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), std::string("\0topic", 6));
}

// A ringmq SUB or XSUB connected to a raw publisher announcing 3.`minor`: its subscriptions
// go out as 3.0 data frames or 3.1 commands, byte for byte as libzmq writes them.
class raw_publisher : public interop_test,
                      public ::testing::WithParamInterface<std::pair<int, socket_type>> {};

TEST_P(raw_publisher, ringmq_subscriber_sends_subscriptions_in_the_form_the_peer_announced) {
  const auto minor = static_cast<std::uint8_t>(GetParam().first);
  const socket_type type = GetParam().second;
  auto subscribe_bytes = [&](std::string_view topic) {
    return minor == 0 ? sub_frame_30(topic) : zmtp_command("SUBSCRIBE", topic);
  };
  auto cancel_bytes = [&](std::string_view topic) {
    return minor == 0 ? cancel_frame_30(topic) : zmtp_command("CANCEL", topic);
  };

  raw_listener listener(transport::tcp);
  ringmq::context ctx;
  ringmq::socket sub(ctx, type);
  sub.set(ringmq::opt::linger, 0ms);
  sub.set(ringmq::opt::rcvtimeo, safety);
  sub.set(ringmq::opt::sndtimeo, safety);
  // SUB: the options; XSUB: the messages.
  auto set_subscription = [&](std::string_view topic, bool on) {
    if (type == socket_type::sub)
      sub.set_option(on ? ringmq::option::subscribe : ringmq::option::unsubscribe, topic);
    else
      ASSERT_TRUE(sub.send((on ? '\x01' : '\x00') + std::string(topic)));
  };
  set_subscription("AB", true);  // before connecting: sent right after the handshake
  sub.connect(listener.endpoint());
  auto pub = listener.accept();
  ASSERT_TRUE(pub) << "the SUB did not connect";

  raw_frame ready;
  const auto greeting = pub->handshake(minor, "PUB", &ready);
  ASSERT_TRUE(greeting) << "no handshake with the SUB";
  EXPECT_EQ(static_cast<unsigned char>((*greeting)[0]), 0xffU);
  EXPECT_EQ((*greeting)[9] & 1, 1);
  EXPECT_EQ(greeting->substr(10, 2), std::string("\x03\x01", 2)) << "ringmq announces ZMTP 3.1";
  EXPECT_EQ(greeting->substr(12, 20), std::string("NULL") + std::string(16, '\0'));
  EXPECT_EQ(zmtp_ready_property(ready, "Socket-Type"), ringmq::to_string(type));

  // The subscription made before connecting.
  auto bytes = pub->read_exact(subscribe_bytes("AB").size());
  ASSERT_TRUE(bytes) << "no subscription for \"AB\"";
  EXPECT_EQ(hex(*bytes), hex(subscribe_bytes("AB")));

  set_subscription("topic", true);
  bytes = pub->read_exact(subscribe_bytes("topic").size());
  ASSERT_TRUE(bytes) << "no subscription for \"topic\"";
  EXPECT_EQ(hex(*bytes), hex(subscribe_bytes("topic")));

  set_subscription("topic", false);
  bytes = pub->read_exact(cancel_bytes("topic").size());
  ASSERT_TRUE(bytes) << "no cancel for \"topic\"";
  EXPECT_EQ(hex(*bytes), hex(cancel_bytes("topic")));

  // The empty topic: a lone \x01 (3.0) or a SUBSCRIBE command without data (3.1).
  set_subscription("", true);
  bytes = pub->read_exact(subscribe_bytes("").size());
  ASSERT_TRUE(bytes) << "no subscription for \"\"";
  EXPECT_EQ(hex(*bytes), hex(subscribe_bytes("")));
  set_subscription("", false);
  bytes = pub->read_exact(cancel_bytes("").size());
  ASSERT_TRUE(bytes) << "no cancel for \"\"";
  EXPECT_EQ(hex(*bytes), hex(cancel_bytes("")));

  if (type == socket_type::xsub) {
    // Anything else an XSUB sends goes upstream as it is, in either version.
    ASSERT_TRUE(sub.send_multipart(strings{"\x02hello", "world"}));
    bytes = pub->read_exact(zmtp_data_frame("\x02hello", true).size() + zmtp_data_frame("world").size());
    ASSERT_TRUE(bytes) << "the XSUB's message did not arrive";
    EXPECT_EQ(hex(*bytes), hex(zmtp_data_frame("\x02hello", true) + zmtp_data_frame("world")));
  }

  // A publisher that does not filter: the subscriber filters what arrives.
  ASSERT_TRUE(pub->write(zmtp_data_frame("topic-cancelled") + zmtp_data_frame("nomatch") +
                         zmtp_data_frame("AB", true) + zmtp_data_frame("yes") + zmtp_data_frame("ABend")));
  auto got = sub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), "AB");
  EXPECT_TRUE(got->more());
  got = sub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), "yes");
  got = sub.recv();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->to_string(), "ABend");

  // Nothing else went out: no more subscriptions, no stray commands.
  EXPECT_FALSE(pub->read_frame(quiet)) << "unexpected bytes from the SUB";
}

INSTANTIATE_TEST_SUITE_P(zmtp, raw_publisher,
                         ::testing::Values(std::pair{0, socket_type::sub}, std::pair{1, socket_type::sub},
                                           std::pair{0, socket_type::xsub}, std::pair{1, socket_type::xsub}),
                         [](const auto& test) {
                           return (test.param.second == socket_type::sub ? "sub_zmtp3" : "xsub_zmtp3") +
                                  std::to_string(test.param.first);
                         });

}  // namespace
}  // namespace ringmq_interop
