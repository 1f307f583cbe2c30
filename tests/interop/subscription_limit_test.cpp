// A subscriber that floods a publisher with subscriptions, played byte by byte: ringmq
// holds each peer of a PUB to its own limits (65536 topics, 32 MiB of bound memory), drops
// the one that goes over with a LIMIT_EXCEEDED event, and keeps serving well-behaved
// libzmq SUBs, whose later subscriptions still count (issue 15, defect 5: with one 64 MiB
// budget shared by all peers, a single 64 MiB SUBSCRIBE silenced every later one).
#include "interop/raw_stream.hpp"
#include "interop/support.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace ringmq_interop {
namespace {

using ringmq::peer_limit;

// What the flooding subscriber sends after its handshake.
struct flood {
  const char* name;
  std::uint8_t minor;  // the ZMTP 3.x it announces: 3.0 subscribes with data frames
  peer_limit broken;   // the limit it goes over
  std::string (*bytes)();
};

std::string subscribe_frame(std::uint8_t minor, std::string_view topic) {
  // rfc 37: SUBSCRIBE is a command; rfc 23 (3.0): a "\x01topic" message.
  return minor >= 1 ? zmtp_command("SUBSCRIBE", topic) : zmtp_data_frame('\x01' + std::string(topic));
}

// One more distinct 4-byte topic than a peer may hold.
std::string too_many_topics(std::uint8_t minor) {
  std::string out;
  for (std::uint32_t i = 0; i <= 65536; ++i) {
    char topic[4];
    std::memcpy(topic, &i, sizeof topic);
    out += subscribe_frame(minor, std::string_view(topic, sizeof topic));
  }
  return out;
}

const flood floods[] = {
    // The case: on its own, it filled the budget all peers shared.
    {"one_64MiB_subscription", 1, peer_limit::subscription_memory,
     [] { return subscribe_frame(1, std::string(std::size_t{64} << 20, 'x')); }},
    {"65537_subscriptions", 1, peer_limit::subscriptions, [] { return too_many_topics(1); }},
    {"65537_subscriptions_zmtp30", 0, peer_limit::subscriptions, [] { return too_many_topics(0); }},
};

struct flood_param {
  const flood* what;
  transport via;
};

void PrintTo(const flood_param& p, std::ostream* os) { *os << p.what->name << " over " << to_string(p.via); }

std::string param_name(const ::testing::TestParamInfo<flood_param>& info) {
  return std::string(info.param.what->name) + "_" + std::string(to_string(info.param.via));
}

std::vector<flood_param> all_params() {
  std::vector<flood_param> out;
  for (const auto& f : floods)
    for (const transport via : {transport::tcp, transport::ipc}) out.push_back({&f, via});
  return out;
}

class subscription_flood : public interop_test, public ::testing::WithParamInterface<flood_param> {
 protected:
  // Publishes `probe` until `sub` receives it (its subscription took effect), skipping
  // copies of earlier probes.
  ::testing::AssertionResult publish_until_received(peer& sub, std::string_view probe) {
    const auto deadline = std::chrono::steady_clock::now() + safety;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!pub_.send(probe)) return ::testing::AssertionFailure() << "PUB send timed out";
      while (const auto got = sub.recv(10ms))
        if (*got == strings{std::string(probe)}) return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "the libzmq SUB never received \"" << probe << "\"";
  }

  // The next event of `type`, while the PUB is kept busy: it reads its peers' subscriptions
  // (and drops a peer) only when its application calls it.
  std::optional<ringmq::socket_event> next_event_of(monitor_event type) {
    const auto deadline = std::chrono::steady_clock::now() + safety;
    while (std::chrono::steady_clock::now() < deadline) {
      (void)pub_.events();
      while (auto e = monitor_.next(10ms)) {
        seen_.push_back(std::string(ringmq::to_string(e->type)));
        if (e->type == type) return e;
      }
    }
    return std::nullopt;
  }

  ringmq::context ringmq_ctx_;
  libzmq_context libzmq_ctx_;
  ringmq::socket pub_{ringmq_ctx_, socket_type::pub};
  ringmq::monitor monitor_ = pub_.monitor();
  std::unique_ptr<peer> good_ = make_libzmq_peer(libzmq_ctx_, socket_type::sub);
  strings seen_;
};

TEST_P(subscription_flood, drops_the_flooding_peer_and_keeps_serving_libzmq_subs) {
  const flood& bad = *GetParam().what;
  // Infinite LINGER: a peer dropped for what it sent is cut at once all the same, not
  // given LINGER to read what was queued to it (it may never read).
  pub_.set(ringmq::opt::linger, -1ms);
  pub_.set(ringmq::opt::sndtimeo, safety);
  pub_.bind(bind_endpoint(GetParam().via));
  const std::string endpoint = pub_.last_endpoint();
  // Subscribed to everything: an empty topic took none of the old shared budget, which
  // the 64 MiB subscription then filled exactly.
  good_->subscribe("");
  good_->connect(endpoint);
  ASSERT_TRUE(publish_until_received(*good_, "early")) << "before the flood";

  raw_stream raw = raw_stream::connect(endpoint);
  ASSERT_TRUE(raw.handshake(bad.minor, "SUB")) << "the flooding peer's handshake failed";
  const std::string bytes = bad.bytes();
  // Written from a thread: past the PUB's RCVHWM, the connection only moves while this
  // thread keeps the PUB busy. ringmq may close it before taking it all: that is fine.
  std::thread writer([&] { (void)raw.write(bytes); });
  const auto dropped = next_event_of(monitor_event::limit_exceeded);
  const auto gone = dropped ? next_event_of(monitor_event::disconnected) : std::nullopt;
  EXPECT_TRUE(raw.closed_by_peer()) << "ringmq kept the connection of a peer that sent " << bad.name;
  writer.join();
  EXPECT_TRUE(dropped) << "no LIMIT_EXCEEDED event; events " << show(seen_);
  if (dropped) {
    EXPECT_EQ(dropped->value, static_cast<std::int64_t>(bad.broken));
    EXPECT_EQ(dropped->endpoint, endpoint);
    EXPECT_FALSE(dropped->peer_address.empty());
    EXPECT_TRUE(gone) << "no DISCONNECTED after LIMIT_EXCEEDED; events " << show(seen_);
    if (gone) {
      EXPECT_EQ(gone->peer_address, dropped->peer_address) << "another connection was dropped";
    }
  }

  // A subscription made after the flood counts, and the first SUB kept its connection.
  auto late = make_libzmq_peer(libzmq_ctx_, socket_type::sub);
  late->subscribe("news");
  late->connect(endpoint);
  EXPECT_TRUE(publish_until_received(*late, "news")) << "a subscription made after the flood was ignored";
  EXPECT_TRUE(publish_until_received(*good_, "after")) << "the first SUB stopped receiving";
  EXPECT_FALSE(good_->wait_event(monitor_event::disconnected, quiet))
      << "the libzmq SUB lost its connection; events " << show(good_->seen_events());
}

INSTANTIATE_TEST_SUITE_P(limits, subscription_flood, ::testing::ValuesIn(all_params()), param_name);

}  // namespace
}  // namespace ringmq_interop
