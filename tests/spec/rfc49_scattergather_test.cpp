// rfc 49 (SCATTER-GATHER): SCATTER and GATHER over inproc, ipc and tcp, and their thread
// safety (libzmq's draft types may be used by several threads at once). Test names quote
// the SHALL they check, or say the libzmq behaviour they match.
#include "spec/support.hpp"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace ringmq_test {
namespace {

using ringmq::message;

// An endpoint for `transport` that `s` binds; connect to what it returns.
std::string bind_any(ringmq::socket& s, const std::string& transport) {
  static std::atomic<int> next{0};
  if (transport == "inproc") {
    const std::string ep = "inproc://rfc49-" + std::to_string(next++);
    s.bind(ep);
    return ep;
  }
  s.bind(transport == "ipc" ? "ipc://*" : "tcp://127.0.0.1:*");
  return s.last_endpoint();
}

class rfc49 : public ::testing::TestWithParam<std::string> {
 protected:
  ringmq::context ctx;
  ringmq::socket gather = make_socket(ctx, socket_type::gather);
  std::string endpoint = bind_any(gather, GetParam());

  ringmq::socket connected_scatter() {
    auto s = make_socket(ctx, socket_type::scatter);
    s.connect(endpoint);
    return s;
  }
};

TEST_P(rfc49, SCATTER_SHALL_route_outgoing_messages_round_robin_among_its_gathers) {
  auto second = make_socket(ctx, socket_type::gather);
  const std::string other = bind_any(second, GetParam());
  auto s = make_socket(ctx, socket_type::scatter);
  // IMMEDIATE is off: each connect gives the socket its queue at once, so the rotation is
  // fixed before any connection is up.
  s.connect(endpoint);
  s.connect(other);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(s.send(std::to_string(i)));
  const auto a0 = recv_string(gather);
  const auto a1 = recv_string(gather);
  const auto b0 = recv_string(second);
  const auto b1 = recv_string(second);
  ASSERT_TRUE(a0 && a1 && b0 && b1);
  EXPECT_EQ(std::stoi(*a1), std::stoi(*a0) + 2) << "every other message to each gather";
  EXPECT_EQ(std::stoi(*b1), std::stoi(*b0) + 2);
  EXPECT_TRUE(nothing_to_recv(gather));
  EXPECT_TRUE(nothing_to_recv(second));
}

TEST_P(rfc49, GATHER_SHALL_receive_from_all_its_scatters) {
  auto a = connected_scatter();
  auto b = connected_scatter();
  ASSERT_TRUE(a.send("from a"));
  ASSERT_TRUE(b.send("from b"));
  std::set<std::string> got;
  for (int i = 0; i < 2; ++i) {
    auto m = recv_string(gather);
    ASSERT_TRUE(m);
    got.insert(*m);
  }
  EXPECT_EQ(got, (std::set<std::string>{"from a", "from b"}));
}

TEST_P(rfc49, SCATTER_SHALL_refuse_to_send_a_multipart_message) {
  auto s = connected_scatter();
  std::error_code ec;
  EXPECT_FALSE(s.send(message(std::string_view("part")), send_flags::sndmore, ec));
  EXPECT_EQ(ec, std::errc::invalid_argument);
  ASSERT_TRUE(s.send("whole"));
  EXPECT_EQ(recv_string(gather), "whole") << "the refused part was not sent";
}

TEST_P(rfc49, SCATTER_SHALL_block_or_report_would_block_when_it_has_no_gather) {
  auto s = make_socket(ctx, socket_type::scatter);
  EXPECT_FALSE(s.send("x", send_flags::dontwait));
}

TEST_P(rfc49, SCATTER_cannot_receive_and_GATHER_cannot_send) {
  auto s = connected_scatter();
  EXPECT_EQ(thrown_code([&] { (void)s.recv(); }), ringmq::errc::not_supported);
  EXPECT_EQ(thrown_code([&] { (void)gather.send("x"); }), ringmq::errc::not_supported);
}

TEST_P(rfc49, THREAD_SAFE_reads_1_for_SCATTER_and_GATHER) {
  auto s = connected_scatter();
  EXPECT_TRUE(s.get(opt::thread_safe));
  EXPECT_TRUE(gather.get(opt::thread_safe));
  EXPECT_TRUE(ringmq::thread_safe(socket_type::scatter));
  EXPECT_TRUE(ringmq::thread_safe(socket_type::gather));
  EXPECT_FALSE(ringmq::thread_safe(socket_type::push));
}

// ---- thread safety ----------------------------------------------------------------------

TEST_P(rfc49, several_threads_send_on_one_scatter_and_receive_on_one_gather_at_once) {
  constexpr int threads = 4;
  constexpr int each = 500;
  auto s = connected_scatter();
  std::vector<std::thread> senders;
  std::vector<std::thread> receivers;
  std::vector<std::vector<std::string>> got(threads);
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&s, t] {
      for (int i = 0; i < each; ++i) s.send(std::to_string(t) + ":" + std::to_string(i));
    });
    receivers.emplace_back([this, &got, t] {
      for (int i = 0; i < each; ++i) {
        auto m = recv_string(gather);
        if (!m) return;
        got[static_cast<std::size_t>(t)].push_back(*m);
      }
    });
  }
  for (auto& th : senders) th.join();
  for (auto& th : receivers) th.join();
  // Every message arrived exactly once, whichever thread read it.
  std::multiset<std::string> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(threads * each));
  for (int t = 0; t < threads; ++t)
    for (int i = 0; i < each; ++i)
      EXPECT_EQ(all.count(std::to_string(t) + ":" + std::to_string(i)), 1U) << t << ":" << i;
}

INSTANTIATE_TEST_SUITE_P(transports, rfc49, ::testing::Values("inproc", "ipc", "tcp"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringmq_test
