// Sockets of one context used from many threads at once (each socket by one thread at a
// time): concurrent connects, binds and closes over inproc, shutdown during traffic, and
// shared message bodies released on several threads. Meant to be run under TSan too.
#include "spec/support.hpp"

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

namespace ringmq_test {
namespace {

TEST(api_concurrency, short_lived_senders_connect_send_and_close_while_one_receiver_reads) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://sink");
  constexpr int threads = 4;
  constexpr int rounds = 150;
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&ctx] {
      for (int i = 0; i < rounds; ++i) {
        ringmq::socket push(ctx, socket_type::push);
        push.set(opt::sndtimeo, safety);
        push.connect("inproc://sink");
        if (!push.send("m")) return;
      }  // closed at once; its message must still arrive
    });
  }
  int received = 0;
  while (received < threads * rounds && pull.recv()) ++received;
  for (auto& t : senders) t.join();
  EXPECT_EQ(received, threads * rounds);
}

TEST(api_concurrency, bind_and_connect_race_on_the_same_name) {
  ringmq::context ctx;
  constexpr int rounds = 150;
  int delivered = 0;
  for (int i = 0; i < rounds; ++i) {
    const std::string ep = "inproc://race" + std::to_string(i);
    ringmq::socket pull(ctx, socket_type::pull);
    pull.set(opt::rcvtimeo, safety);
    ringmq::socket push(ctx, socket_type::push);
    push.set(opt::sndtimeo, safety);
    std::thread binder([&pull, &ep] { pull.bind(ep); });
    std::thread connector([&push, &ep] {
      push.connect(ep);
      (void)push.send("hello");
    });
    binder.join();
    connector.join();
    if (recv_string(pull) == "hello") ++delivered;
  }
  EXPECT_EQ(delivered, rounds);
}

TEST(api_concurrency, a_connector_closing_while_the_name_is_being_bound) {
  ringmq::context ctx;
  constexpr int rounds = 150;
  for (int i = 0; i < rounds; ++i) {
    const std::string ep = "inproc://closing" + std::to_string(i);
    ringmq::socket pull(ctx, socket_type::pull);
    auto push = std::make_unique<ringmq::socket>(ctx, socket_type::push);
    push->connect(ep);
    ASSERT_TRUE(push->send("maybe", send_flags::dontwait));
    std::thread closer([&push] { push.reset(); });
    pull.bind(ep);
    closer.join();
    // The message lingers (LINGER is not 0), so it arrives whichever side won the race.
    EXPECT_TRUE(wait_readable(pull)) << "round " << i;
    EXPECT_EQ(drain(pull), 1) << "round " << i;
  }
}

TEST(api_concurrency, shutdown_stops_busy_senders_and_receivers) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 5);
  pull.bind("inproc://busy");
  ringmq::socket push(ctx, socket_type::push);
  push.set(opt::sndhwm, 5);
  push.connect("inproc://busy");
  std::atomic<int> sender_code{0};
  std::atomic<int> receiver_code{0};
  std::atomic<int> received{0};
  std::thread sender([&] {
    std::error_code ec;
    while (!ec) (void)push.send(ringmq::message("x"), send_flags::none, ec);
    sender_code = ec.value();
  });
  std::thread receiver([&] {
    std::error_code ec;
    ringmq::message m;
    while (!ec) {
      if (pull.recv(m, recv_flags::none, ec)) ++received;
    }
    receiver_code = ec.value();
  });
  const auto deadline = std::chrono::steady_clock::now() + safety;
  while (received.load() < 1000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::yield();  // wait until traffic is flowing
  EXPECT_GE(received.load(), 1000);
  ctx.shutdown();
  sender.join();
  receiver.join();
  EXPECT_EQ(sender_code.load(), static_cast<int>(ringmq::errc::context_terminated));
  EXPECT_EQ(receiver_code.load(), static_cast<int>(ringmq::errc::context_terminated));
}

struct free_counter {
  static inline std::atomic<int> freed{0};
  static void callback(void*, void*) noexcept { freed.fetch_add(1); }
};

TEST(api_concurrency, a_shared_body_is_freed_once_by_whichever_subscriber_thread_drops_it_last) {
  free_counter::freed = 0;
  ringmq::context ctx;
  auto pub = make_socket(ctx, socket_type::pub);
  pub.set(opt::sndhwm, 0);
  pub.bind("inproc://shared");
  constexpr int subscribers = 3;
  constexpr int count = 2000;
  std::vector<ringmq::socket> subs;
  for (int i = 0; i < subscribers; ++i) {
    subs.push_back(make_socket(ctx, socket_type::sub));
    subs.back().set(opt::rcvhwm, 0);
    subs.back().connect("inproc://shared");
    subs.back().set(opt::subscribe, "");
  }
  static char body[256];
  std::vector<std::thread> readers;
  std::atomic<int> total{0};
  for (auto& s : subs) {
    readers.emplace_back([&s, &total] {
      for (int i = 0; i < count; ++i) {
        auto m = s.recv();
        if (!m) return;
        ++total;
      }
    });
  }
  for (int i = 0; i < count; ++i)
    ASSERT_TRUE(pub.send(ringmq::message(body, sizeof body, &free_counter::callback, nullptr)));
  for (auto& t : readers) t.join();
  EXPECT_EQ(total.load(), subscribers * count);
  EXPECT_EQ(free_counter::freed.load(), count);
}

TEST(api_concurrency, one_poller_many_feeding_threads) {
  ringmq::context ctx;
  constexpr int feeders = 4;
  constexpr int per_feeder = 500;
  std::vector<ringmq::socket> pulls;
  for (int i = 0; i < feeders; ++i) {
    pulls.push_back(make_socket(ctx, socket_type::pull));
    pulls.back().bind("inproc://feed" + std::to_string(i));
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < feeders; ++i) {
    threads.emplace_back([&ctx, i] {
      auto push = make_socket(ctx, socket_type::push);
      push.set(opt::linger, ringmq::infinite);
      push.connect("inproc://feed" + std::to_string(i));
      for (int n = 0; n < per_feeder; ++n)
        if (!push.send("f")) return;
    });
  }
  ringmq::poller poller;
  for (auto& p : pulls) poller.add(p, ringmq::events::pollin);
  int received = 0;
  while (received < feeders * per_feeder) {
    const auto ready = poller.wait(safety);
    if (ready.empty()) break;
    for (const auto& item : ready)
      while (item.sock->recv(recv_flags::dontwait)) ++received;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(received, feeders * per_feeder);
}

TEST(api_concurrency, req_rep_clients_in_many_threads_through_one_router) {
  ringmq::context ctx;
  auto router = make_socket(ctx, socket_type::router);
  router.bind("inproc://service");
  constexpr int clients = 4;
  constexpr int requests = 300;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&ctx, &answered, c] {
      auto req = make_socket(ctx, socket_type::req);
      req.connect("inproc://service");
      for (int i = 0; i < requests; ++i) {
        const std::string q = std::to_string(c) + ":" + std::to_string(i);
        if (!req.send(q) || recv_string(req) != "re " + q) return;
        ++answered;
      }
    });
  }
  for (int i = 0; i < clients * requests; ++i) {
    auto parts = recv_parts(router);
    if (parts.size() != 3) break;
    parts[2] = "re " + parts[2];
    if (!router.send_multipart(parts)) break;
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered.load(), clients * requests);
}

}  // namespace
}  // namespace ringmq_test
