// A socket blocked in recv on its only tcp/ipc connection reads that connection itself
// (core/direct_source.hpp, transport/stream/read_lease.hpp). These tests drive the hand-offs
// of the read side between the I/O thread and the socket's thread: lent after the first
// wait, kept across recv calls, handed back for control traffic (PING -> PONG) and the end
// of the connection, taken back when the reader stays away or a second peer joins.
#include "transport/transport_fixture.hpp"

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace {

using namespace ringmq_test;
using namespace std::chrono_literals;
using ringmq::monitor_event;
using ringmq::socket_type;

template <class Transport>
class direct_read : public transport_conformance<Transport> {
 protected:
  // Waits for `type` on `m`, skipping others; false after 10 s without it.
  static bool await(ringmq::monitor& m, monitor_event type) {
    while (auto e = m.next(10s))
      if (e->type == type) return true;
    return false;
  }

  // A round trip REQ -> REP -> REQ of `body`; both sides read their connection directly
  // once lent.
  static void round_trip(ringmq::socket& req, ringmq::socket& rep, const std::string& body) {
    ASSERT_TRUE(req.send(std::string_view(body)));
    auto request = rep.recv();
    ASSERT_TRUE(request);
    ASSERT_EQ(request->to_string(), body);
    ASSERT_TRUE(rep.send(std::move(*request)));
    auto reply = req.recv();
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->to_string(), body);
  }

  // A REQ connected to a REP after 100 round trips: by then both read their connection
  // directly (the read side is lent after a recv's first wait and kept across calls).
  struct req_rep {
    ringmq::socket rep;
    ringmq::socket req;
  };
  req_rep holding_their_read_sides() {
    req_rep p{this->make(socket_type::rep), this->make(socket_type::req)};
    p.req.connect(this->bind(p.rep));
    for (int i = 0; i < 100; ++i) round_trip(p.req, p.rep, "ping");
    return p;
  }
};
TYPED_TEST_SUITE(direct_read, networked_transports, transport_names);

// A body of `size` bytes that differs at every position and between messages.
std::string body_of(std::size_t size, std::size_t seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + seed) % 26);
  return s;
}

TYPED_TEST(direct_read, request_reply_of_every_size_arrives_intact) {
  auto rep = this->make(socket_type::rep);
  const std::string ep = this->bind(rep);
  auto req = this->make(socket_type::req);
  req.connect(ep);
  // Small bodies (many frames per kernel read), then bodies around and above the 64 KiB
  // that one direct read takes (a frame split across reads).
  for (std::size_t i = 0; i < 2000; ++i) this->round_trip(req, rep, body_of(i % 300, i));
  for (const std::size_t size : {65535U, 65536U, 65537U, 200000U, 1U << 20})
    this->round_trip(req, rep, body_of(size, size));
}

TYPED_TEST(direct_read, a_stream_of_large_bodies_read_in_place_arrives_intact) {
  // A reader that keeps up with a stream of large messages finds bodies cut by its reads:
  // the rest of each such body is received straight into its message.
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto push = this->make(socket_type::push);
  push.connect(ep);
  constexpr std::size_t count = 400;
  const std::array<std::size_t, 5> sizes{40000, 65536, 100000, 33000, 70001};
  std::jthread sender([&push, &sizes] {  // joined on every exit; sends time out (SNDTIMEO)
    for (std::size_t i = 0; i < count; ++i) push.send(std::string_view(body_of(sizes[i % sizes.size()], i)));
  });
  for (std::size_t i = 0; i < count; ++i) {
    auto m = pull.recv();
    ASSERT_TRUE(m) << i;
    ASSERT_TRUE(m->to_string() == body_of(sizes[i % sizes.size()], i)) << "message " << i;
  }
}

TYPED_TEST(direct_read, multipart_messages_keep_their_parts) {
  auto router = this->make(socket_type::router);
  const std::string ep = this->bind(router);
  auto dealer = this->make(socket_type::dealer);
  dealer.set(ringmq::opt::routing_id, "d");
  dealer.connect(ep);
  for (std::size_t i = 0; i < 500; ++i) {
    const std::array<std::string, 3> parts{"one " + std::to_string(i), std::string(), body_of(i * 13, i)};
    ASSERT_TRUE(dealer.send_multipart(parts));
    std::vector<ringmq::message> got;
    ASSERT_EQ(router.recv_multipart(std::back_inserter(got)), 4U);
    ASSERT_EQ(got[0].to_string(), "d");
    ASSERT_TRUE(router.send_multipart(got));
    std::vector<ringmq::message> back;
    ASSERT_EQ(dealer.recv_multipart(std::back_inserter(back)), 3U);
    for (std::size_t p = 0; p < 3; ++p)
      ASSERT_EQ(back[p].to_string(), parts[p]) << "message " << i << " part " << p;
  }
}

TYPED_TEST(direct_read, a_reader_away_from_recv_still_sees_its_peer_leave) {
  auto [rep, req] = this->holding_their_read_sides();
  auto m = req.monitor(monitor_event::disconnected);
  // The REQ holds its read side and stops calling recv. Its I/O thread must take the read
  // side back to notice the end of the connection.
  rep.close();
  EXPECT_TRUE(this->await(m, monitor_event::disconnected));
}

// How many times the context's I/O thread has been woken (its voluntary context switches:
// each is a sleep that something ended), or -1 when it cannot be read.
long io_thread_wakeups() {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (!std::getline(comm, name) || name != "ringmq-io-0") continue;
    std::ifstream status(task.path() / "status");
    for (std::string line; std::getline(status, line);)
      if (line.starts_with("voluntary_ctxt_switches:")) return std::stol(line.substr(line.find(':') + 1));
  }
  return -1;
}

TYPED_TEST(direct_read, a_reader_asleep_in_recv_leaves_its_io_thread_asleep) {
  auto [rep, req] = this->holding_their_read_sides();
  ASSERT_TRUE(req.send(std::string_view("question")));
  ASSERT_TRUE(rep.recv());
  // The REQ sleeps in recv on the connection it holds for 600 ms. Its session looks at it
  // every 10 ms until it has slept through two looks, then stops: a few wake-ups in all
  // (about 60 if the looks went on).
  req.set(ringmq::opt::rcvtimeo, 600ms);
  const long before = io_thread_wakeups();
  ASSERT_GE(before, 0);
  EXPECT_FALSE(req.recv());
  const long woken = io_thread_wakeups() - before;
  EXPECT_LT(woken, 15) << "the I/O thread was woken " << woken << " times";
  // The answer still arrives, and the REQ goes on reading directly.
  ASSERT_TRUE(rep.send(std::string_view("answer")));
  req.set(ringmq::opt::rcvtimeo, 10s);
  auto answer = req.recv();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->to_string(), "answer");
  for (int i = 0; i < 20; ++i) this->round_trip(req, rep, "again");
}

TYPED_TEST(direct_read, a_reader_that_slept_in_recv_then_went_away_still_sees_its_peer_leave) {
  auto [rep, req] = this->holding_their_read_sides();
  ASSERT_TRUE(req.send(std::string_view("question")));
  ASSERT_TRUE(rep.recv());
  // Long enough a sleep for the session to stop looking; leaving it must resume the looks,
  // or nobody would read the connection's end.
  req.set(ringmq::opt::rcvtimeo, 200ms);
  EXPECT_FALSE(req.recv());
  auto m = req.monitor(monitor_event::disconnected);
  rep.close();
  EXPECT_TRUE(this->await(m, monitor_event::disconnected));
}

TYPED_TEST(direct_read, a_reader_blocked_in_recv_answers_heartbeats) {
  auto rep = this->make(socket_type::rep);
  // The REP pings every 20 ms and drops a peer that sends nothing back for 100 ms.
  rep.set(ringmq::opt::heartbeat_ivl, 20ms);
  rep.set(ringmq::opt::heartbeat_timeout, 100ms);
  auto rep_events = rep.monitor(monitor_event::disconnected);
  const std::string ep = this->bind(rep);
  auto req = this->make(socket_type::req);
  req.connect(ep);
  this->round_trip(req, rep, "warm up");
  ASSERT_TRUE(req.send(std::string_view("question")));
  ASSERT_TRUE(rep.recv());
  // Blocked for six heartbeat timeouts with only PINGs arriving: each must be answered
  // with a PONG from the blocked reader's connection.
  req.set(ringmq::opt::rcvtimeo, 600ms);
  EXPECT_FALSE(req.recv());
  EXPECT_FALSE(rep_events.next(0ms)) << "the REP dropped the blocked reader";
  ASSERT_TRUE(rep.send(std::string_view("answer")));
  req.set(ringmq::opt::rcvtimeo, 10s);
  auto answer = req.recv();
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->to_string(), "answer");
}

TYPED_TEST(direct_read, a_reader_blocked_in_recv_follows_its_peer_away_and_back) {
  const std::string ep = TypeParam::fixed_endpoint();
  auto first = this->make(socket_type::router);
  first.bind(ep);
  auto dealer = this->make(socket_type::dealer);
  dealer.set(ringmq::opt::routing_id, "d");
  auto dealer_events = dealer.monitor(monitor_event::disconnected | monitor_event::handshake_succeeded);
  dealer.connect(ep);
  ASSERT_TRUE(this->await(dealer_events, monitor_event::handshake_succeeded));
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(dealer.send(std::string_view("hi")));
    std::vector<ringmq::message> got;
    ASSERT_EQ(first.recv_multipart(std::back_inserter(got)), 2U);
    ASSERT_TRUE(first.send_multipart(got));
    ASSERT_TRUE(dealer.recv());
  }
  std::string received;
  std::thread reader([&] {
    auto m = dealer.recv();  // blocked while the peer leaves and a new one comes
    received = m ? m->to_string() : "<timeout>";
  });
  first.close();
  EXPECT_TRUE(this->await(dealer_events, monitor_event::disconnected));
  auto second = this->make(socket_type::router);
  auto second_events = second.monitor(monitor_event::handshake_succeeded);
  second.bind(ep);
  ASSERT_TRUE(this->await(second_events, monitor_event::handshake_succeeded));
  const std::array<std::string, 2> to_dealer{"d", "welcome back"};
  ASSERT_TRUE(second.send_multipart(to_dealer));
  reader.join();
  EXPECT_EQ(received, "welcome back");
}

TYPED_TEST(direct_read, a_second_peer_joins_a_reader_that_reads_its_first_itself) {
  auto pull = this->make(socket_type::pull);
  const std::string ep = this->bind(pull);
  auto a = this->make(socket_type::push);
  a.connect(ep);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(a.send(std::string_view("a")));
    ASSERT_EQ(this->recv_text(pull), "a");
  }
  auto b = this->make(socket_type::push);
  auto b_events = b.monitor(monitor_event::handshake_succeeded);
  b.connect(ep);
  ASSERT_TRUE(this->await(b_events, monitor_event::handshake_succeeded));
  constexpr int each = 300;
  for (int i = 0; i < each; ++i) {
    ASSERT_TRUE(a.send(std::string_view("a" + std::to_string(i))));
    ASSERT_TRUE(b.send(std::string_view("b" + std::to_string(i))));
  }
  // Both streams arrive whole and each in its own order.
  int next_a = 0;
  int next_b = 0;
  for (int i = 0; i < 2 * each; ++i) {
    const std::string m = this->recv_text(pull);
    ASSERT_NE(m, "<timeout>") << "after " << next_a << " from a and " << next_b << " from b";
    if (m[0] == 'a')
      ASSERT_EQ(m, "a" + std::to_string(next_a++));
    else
      ASSERT_EQ(m, "b" + std::to_string(next_b++));
  }
}

TYPED_TEST(direct_read, a_non_blocking_recv_reads_a_held_connection_too) {
  auto [rep, req] = this->holding_their_read_sides();
  // The REQ holds its read side; it now polls with DONTWAIT (as an event loop would).
  ASSERT_TRUE(req.send(std::string_view("question")));
  ASSERT_TRUE(rep.recv());
  ASSERT_TRUE(rep.send(std::string_view("answer")));
  const auto limit = std::chrono::steady_clock::now() + 10s;
  std::optional<ringmq::message> answer;
  while (!answer && std::chrono::steady_clock::now() < limit) answer = req.recv(ringmq::recv_flags::dontwait);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->to_string(), "answer");
}

TYPED_TEST(direct_read, context_shutdown_wakes_a_reader_blocked_on_its_connection) {
  auto [rep, req] = this->holding_their_read_sides();
  ASSERT_TRUE(req.send(std::string_view("never answered")));
  req.set(ringmq::opt::rcvtimeo, -1ms);
  std::error_code ec;
  // Captured by an init-capture: clang before 16 cannot capture a structured binding.
  std::thread reader([&ec, &sock = req] {
    ringmq::message m;
    (void)sock.recv(m, ringmq::recv_flags::none, ec);
  });
  this->ctx.shutdown();
  reader.join();
  EXPECT_EQ(ec, ringmq::errc::context_terminated);
}

TYPED_TEST(direct_read, busy_polling_readers_exchange_messages) {
  ringmq::context spinning;
  spinning.set(ringmq::context_option::busy_poll_us, 50);
  spinning.set(ringmq::opt::linger, 0ms);
  ringmq::socket rep(spinning, socket_type::rep);
  rep.set(ringmq::opt::rcvtimeo, 10s);
  rep.bind(TypeParam::bind_endpoint());
  ringmq::socket req(spinning, socket_type::req);
  req.set(ringmq::opt::rcvtimeo, 10s);
  req.connect(rep.last_endpoint());
  for (std::size_t i = 0; i < 1000; ++i) this->round_trip(req, rep, body_of(1 + i % 100, i));
}

}  // namespace
