// rfc 41 (CLIENT-SERVER): CLIENT and SERVER over inproc, ipc and tcp, and their thread
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
    const std::string ep = "inproc://rfc41-" + std::to_string(next++);
    s.bind(ep);
    return ep;
  }
  s.bind(transport == "ipc" ? "ipc://*" : "tcp://127.0.0.1:*");
  return s.last_endpoint();
}

message text(std::string_view s, std::uint32_t routing_id = 0) {
  message m(s);
  m.set_routing_id(routing_id);
  return m;
}

class rfc41 : public ::testing::TestWithParam<std::string> {
 protected:
  ringmq::context ctx;
  ringmq::socket server = make_socket(ctx, socket_type::server);
  std::string endpoint = bind_any(server, GetParam());

  ringmq::socket connected_client() {
    auto c = make_socket(ctx, socket_type::client);
    c.connect(endpoint);
    return c;
  }
};

TEST_P(rfc41, SERVER_SHALL_deliver_each_message_with_the_routing_id_of_its_client) {
  auto a = connected_client();
  auto b = connected_client();
  ASSERT_TRUE(a.send("from a"));
  ASSERT_TRUE(b.send("from b"));
  std::set<std::uint32_t> ids;
  for (int i = 0; i < 2; ++i) {
    auto m = server.recv();
    ASSERT_TRUE(m);
    EXPECT_NE(m->routing_id(), 0U) << "0 names no client";
    ids.insert(m->routing_id());
    // Replying to the id reaches the client that sent the message.
    ASSERT_TRUE(server.send(text("re: " + m->to_string(), m->routing_id())));
  }
  EXPECT_EQ(ids.size(), 2U);
  EXPECT_EQ(recv_string(a), "re: from a");
  EXPECT_EQ(recv_string(b), "re: from b");
}

TEST_P(rfc41, SERVER_SHALL_keep_a_clients_routing_id_for_all_its_messages) {
  auto a = connected_client();
  ASSERT_TRUE(a.send("1"));
  ASSERT_TRUE(a.send("2"));
  auto first = server.recv();
  auto second = server.recv();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->routing_id(), second->routing_id());
}

TEST_P(rfc41, SERVER_SHALL_report_an_unknown_routing_id_as_unreachable) {
  auto a = connected_client();
  ASSERT_TRUE(a.send("hello"));
  auto m = server.recv();
  ASSERT_TRUE(m);
  const std::uint32_t unknown = m->routing_id() + 1;
  std::error_code ec;
  EXPECT_FALSE(server.send(text("lost", unknown), send_flags::none, ec));
  EXPECT_EQ(ec, std::errc::host_unreachable);
  EXPECT_FALSE(server.send(text("lost", 0), send_flags::none, ec));
  EXPECT_EQ(ec, std::errc::host_unreachable);
}

TEST_P(rfc41, SERVER_SHALL_forget_a_client_that_disconnected) {
  std::uint32_t id = 0;
  {
    auto a = connected_client();
    ASSERT_TRUE(a.send("hello"));
    auto m = server.recv();
    ASSERT_TRUE(m);
    id = m->routing_id();
  }
  // The client is gone once a send to it fails; until the disconnect is seen it may still
  // take messages (they are dropped with the connection).
  std::error_code ec;
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (server.send(text("anyone?", id), send_flags::dontwait, ec) &&
         std::chrono::steady_clock::now() < deadline) {
    ringmq::poll_item item{&server, -1, ringmq::events::pollin};
    ringmq::poll(std::span(&item, 1), 1ms);  // lets the socket see the disconnect
  }
  EXPECT_EQ(ec, std::errc::host_unreachable);
}

TEST_P(rfc41, CLIENT_and_SERVER_SHALL_refuse_to_send_a_multipart_message) {
  auto a = connected_client();
  std::error_code ec;
  EXPECT_FALSE(a.send(message(std::string_view("part")), send_flags::sndmore, ec));
  EXPECT_EQ(ec, std::errc::invalid_argument);
  ASSERT_TRUE(a.send("whole"));
  auto m = server.recv();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to_string(), "whole") << "the refused part was not sent";
  EXPECT_FALSE(server.send(text("part", m->routing_id()), send_flags::sndmore, ec));
  EXPECT_EQ(ec, std::errc::invalid_argument);
}

TEST_P(rfc41, CLIENT_SHALL_route_outgoing_messages_round_robin_among_its_servers) {
  auto second = make_socket(ctx, socket_type::server);
  const std::string other = bind_any(second, GetParam());
  auto c = make_socket(ctx, socket_type::client);
  // IMMEDIATE is off: each connect gives the client its queue at once, so the rotation
  // is fixed before any connection is up.
  c.connect(endpoint);
  c.connect(other);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.send(std::to_string(i)));
  const auto a0 = recv_string(server);
  const auto a1 = recv_string(server);
  const auto b0 = recv_string(second);
  const auto b1 = recv_string(second);
  ASSERT_TRUE(a0 && a1 && b0 && b1);
  EXPECT_EQ(std::stoi(*a1), std::stoi(*a0) + 2) << "every other message to each server";
  EXPECT_EQ(std::stoi(*b1), std::stoi(*b0) + 2);
  EXPECT_TRUE(nothing_to_recv(server));
  EXPECT_TRUE(nothing_to_recv(second));
}

TEST_P(rfc41, CLIENT_SHALL_block_or_report_would_block_when_it_has_no_server) {
  auto c = make_socket(ctx, socket_type::client);
  EXPECT_FALSE(c.send("x", send_flags::dontwait));
  EXPECT_TRUE(nothing_to_recv(c));
}

TEST_P(rfc41, THREAD_SAFE_reads_1_for_CLIENT_and_SERVER_only) {
  auto c = connected_client();
  EXPECT_TRUE(c.get(opt::thread_safe));
  EXPECT_TRUE(server.get(opt::thread_safe));
  auto dealer = make_socket(ctx, socket_type::dealer);
  EXPECT_FALSE(dealer.get(opt::thread_safe));
  EXPECT_TRUE(ringmq::thread_safe(socket_type::client));
  // CLIENT is built on DEALER, but has none of DEALER's own options.
  EXPECT_EQ(thrown_code([&] { c.set(opt::probe_router, true); }), ringmq::errc::not_supported);
  EXPECT_FALSE(ringmq::thread_safe(socket_type::router));
}

// ---- thread safety ----------------------------------------------------------------------

TEST_P(rfc41, a_thread_blocked_in_recv_does_not_hold_up_another_threads_send) {
  auto c = connected_client();
  // A socket that kept its lock while waiting would hold this thread's send until the
  // waiter's recv timed out, and the waiter would get nothing. Several rounds, since the
  // waiter may not have reached its wait before the send in any one of them.
  for (int round = 0; round < 20; ++round) {
    std::atomic<bool> entering{false};
    std::optional<std::string> answer;
    std::thread waiter([&] {
      entering = true;
      answer = recv_string(c);  // blocks: nothing is sent before it waits
    });
    while (!entering) std::this_thread::yield();
    ASSERT_TRUE(c.send("ping"));
    auto m = server.recv();
    ASSERT_TRUE(m);
    ASSERT_TRUE(server.send(text("pong", m->routing_id())));
    waiter.join();
    ASSERT_EQ(answer, "pong") << "round " << round;
  }
}

TEST_P(rfc41, several_threads_send_and_receive_on_one_socket_at_once) {
  constexpr int threads = 4;
  constexpr int each = 500;
  auto c = connected_client();
  // The server echoes every message to its client, from its own thread.
  std::thread echo([&] {
    for (int i = 0; i < threads * each; ++i) {
      auto m = server.recv();
      if (!m || !server.send(std::move(*m))) return;
    }
  });
  std::vector<std::thread> senders;
  std::vector<std::thread> receivers;
  std::vector<std::vector<std::string>> got(threads);
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&c, t] {
      for (int i = 0; i < each; ++i) c.send(std::to_string(t) + ":" + std::to_string(i));
    });
    receivers.emplace_back([&c, &got, t] {
      for (int i = 0; i < each; ++i) {
        auto s = recv_string(c);
        if (!s) return;
        got[static_cast<std::size_t>(t)].push_back(*s);
      }
    });
  }
  for (auto& s : senders) s.join();
  for (auto& r : receivers) r.join();
  echo.join();
  // Every message came back exactly once, whichever thread read it.
  std::multiset<std::string> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(threads * each));
  for (int t = 0; t < threads; ++t)
    for (int i = 0; i < each; ++i)
      EXPECT_EQ(all.count(std::to_string(t) + ":" + std::to_string(i)), 1U) << t << ":" << i;
}

TEST_P(rfc41, blocked_senders_on_several_threads_all_go_on_when_the_server_reads) {
  constexpr int threads = 3;
  auto c = make_socket(ctx, socket_type::client);
  c.set(opt::sndhwm, 1);
  c.connect(endpoint);
  // Learn the client's id (and wait for its connection) before filling its queue.
  ASSERT_TRUE(c.send("hello"));
  ASSERT_TRUE(server.recv());
  std::atomic<int> sent{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t)
    senders.emplace_back([&] {
      for (int i = 0; i < 200; ++i)
        if (c.send("x")) ++sent;
    });
  int read = 0;
  while (read < threads * 200 && server.recv()) ++read;
  for (auto& s : senders) s.join();
  EXPECT_EQ(sent.load(), threads * 200);
  EXPECT_EQ(read, threads * 200);
}

TEST_P(rfc41, a_context_shutdown_ends_the_wait_of_every_thread_blocked_on_one_socket) {
  auto c = connected_client();
  c.set(opt::rcvtimeo, ringmq::infinite);  // only the shutdown can end these waits
  constexpr int threads = 3;
  std::atomic<int> ended{0};
  std::atomic<int> entering{0};
  std::vector<std::thread> waiters;
  for (int t = 0; t < threads; ++t)
    waiters.emplace_back([&] {
      ++entering;
      if (thrown_code([&] { (void)c.recv(); }) == ringmq::errc::context_terminated) ++ended;
    });
  while (entering < threads) std::this_thread::yield();
  ctx.shutdown();
  for (auto& w : waiters) w.join();
  EXPECT_EQ(ended.load(), threads);
}

INSTANTIATE_TEST_SUITE_P(transports, rfc41, ::testing::Values("inproc", "ipc", "tcp"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringmq_test
