// Context shutdown and destruction, and closing sockets: blocked calls in other threads
// return errc::context_terminated, close() never blocks, and a context may go away while
// sockets are still open elsewhere.
#include "spec/support.hpp"

#include <atomic>
#include <future>
#include <memory>
#include <thread>

namespace ringmq_test {
namespace {

using ringmq::errc;

// Runs `fn` on its own thread and reports whether it finished within `limit`. A call that
// never returns fails the test instead of hanging it (the thread is then abandoned).
template <class Fn>
bool finishes_within(std::chrono::milliseconds limit, Fn fn) {
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  std::thread worker([fn = std::move(fn), done]() mutable {
    fn();
    done->set_value();
  });
  if (finished.wait_for(limit) != std::future_status::ready) {
    worker.detach();
    return false;
  }
  worker.join();
  return true;
}

TEST(api_context, shutdown_makes_a_recv_blocked_in_another_thread_return_context_terminated) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);  // RCVTIMEO infinite
  pull.bind("inproc://blocked");
  std::promise<std::error_code> result;
  auto code = result.get_future();
  std::thread receiver([&pull, &result] { result.set_value(thrown_code([&] { (void)pull.recv(); })); });
  // Whether or not the receiver is asleep yet, it must come back with context_terminated.
  ctx.shutdown();
  ASSERT_EQ(code.wait_for(safety), std::future_status::ready) << "recv did not return";
  EXPECT_EQ(code.get(), errc::context_terminated);
  receiver.join();
}

TEST(api_context, shutdown_wakes_a_recv_on_a_socket_that_has_been_receiving) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  pull.bind("inproc://sleeping");
  ringmq::socket push(ctx, socket_type::push);
  push.connect("inproc://sleeping");
  std::promise<void> first_received;
  std::promise<std::error_code> result;
  auto code = result.get_future();
  std::thread receiver([&] {
    (void)pull.recv();  // the first message proves the thread runs; then it waits again
    first_received.set_value();
    std::error_code ec;
    ringmq::message m;
    (void)pull.recv(m, recv_flags::none, ec);
    result.set_value(ec);
  });
  ASSERT_TRUE(push.send("first"));
  first_received.get_future().wait();
  ctx.shutdown();
  ASSERT_EQ(code.wait_for(safety), std::future_status::ready);
  EXPECT_EQ(code.get(), errc::context_terminated);
  receiver.join();
}

TEST(api_context, shutdown_makes_a_blocked_send_return_context_terminated) {
  ringmq::context ctx;
  ringmq::socket push(ctx, socket_type::push);  // no peer, SNDTIMEO infinite
  std::promise<std::error_code> result;
  auto code = result.get_future();
  std::thread sender([&push, &result] { result.set_value(thrown_code([&] { push.send("stuck"); })); });
  ctx.shutdown();
  ASSERT_EQ(code.wait_for(safety), std::future_status::ready);
  EXPECT_EQ(code.get(), errc::context_terminated);
  sender.join();
}

TEST(api_context, shutdown_makes_a_blocked_poll_throw_context_terminated) {
  ringmq::context ctx;
  ringmq::socket pull(ctx, socket_type::pull);
  std::promise<std::error_code> result;
  auto code = result.get_future();
  std::thread poller([&pull, &result] {
    result.set_value(thrown_code([&] {
      ringmq::poll_item item{&pull, -1, ringmq::events::pollin};
      (void)ringmq::poll(std::span(&item, 1), ringmq::infinite);
    }));
  });
  ctx.shutdown();
  ASSERT_EQ(code.wait_for(safety), std::future_status::ready);
  EXPECT_EQ(code.get(), errc::context_terminated);
  poller.join();
}

// The shutdown may land while poll is between looking at the context and going to sleep,
// and its wake-up may be consumed by the socket's own event processing on the way: poll
// must still see the end. Each round moves the shutdown a little later against the
// poller's start, sweeping that window. Before the fix a round in a few hundred slept
// until its timeout (found as a hang of proxy_test under load).
TEST(api_context, a_shutdown_racing_the_start_of_a_poll_still_ends_it) {
  constexpr int rounds = 1500;
  for (int round = 0; round < rounds; ++round) {
    ringmq::context ctx;
    ringmq::socket pull(ctx, socket_type::pull);
    std::atomic<bool> started{false};
    auto code = std::async(std::launch::async, [&] {
      return thrown_code([&] {
        ringmq::poll_item item{&pull, -1, ringmq::events::pollin};
        started.store(true);
        (void)ringmq::poll(std::span(&item, 1), std::chrono::seconds(2));
      });
    });
    while (!started.load()) std::this_thread::yield();
    std::atomic<int> spin{0};
    while (spin.fetch_add(1, std::memory_order_relaxed) < round % 300) {
    }
    ctx.shutdown();
    ASSERT_EQ(code.get(), errc::context_terminated) << "round " << round;
  }
}

TEST(api_context, destroying_the_context_wakes_a_recv_blocked_in_another_thread) {
  auto ctx = std::make_unique<ringmq::context>();
  ringmq::socket pull(*ctx, socket_type::pull);
  std::promise<std::error_code> result;
  auto code = result.get_future();
  std::thread receiver([&pull, &result] {
    std::error_code ec;
    ringmq::message m;
    (void)pull.recv(m, recv_flags::none, ec);
    result.set_value(ec);
    pull.close();
  });
  EXPECT_TRUE(finishes_within(safety, [&ctx] { ctx.reset(); })) << "the context destructor hung";
  ASSERT_EQ(code.wait_for(safety), std::future_status::ready);
  EXPECT_EQ(code.get(), errc::context_terminated);
  receiver.join();
}

TEST(api_context, a_context_may_be_destroyed_while_its_sockets_are_still_open) {
  ringmq::socket pull;
  ringmq::socket push;
  {
    ringmq::context ctx;
    pull = ringmq::socket(ctx, socket_type::pull);
    push = ringmq::socket(ctx, socket_type::push);
    pull.bind("inproc://outlived");
    push.connect("inproc://outlived");
    ASSERT_TRUE(push.send("in flight"));
  }
  // The sockets still exist and answer; everything but close reports the termination.
  EXPECT_EQ(thrown_code([&] { (void)pull.recv(); }), errc::context_terminated);
  EXPECT_EQ(thrown_code([&] { push.send("more"); }), errc::context_terminated);
  EXPECT_EQ(thrown_code([&] { pull.bind("inproc://again"); }), errc::context_terminated);
  EXPECT_EQ(push.type(), socket_type::push);
  EXPECT_EQ(pull.get(opt::sndhwm), 1000);
  pull.close();
  push.close();
}

TEST(api_context, closing_a_socket_never_blocks) {
  ringmq::context ctx;
  // Unsent messages, an infinite LINGER and a peer that never reads.
  ringmq::socket push(ctx, socket_type::push);
  push.set(opt::linger, ringmq::infinite);
  push.connect("inproc://never-bound");
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(push.send("unsent", send_flags::dontwait));
  EXPECT_TRUE(finishes_within(safety, [&push] { push.close(); }));

  ringmq::socket pull(ctx, socket_type::pull);
  pull.bind("inproc://full");
  ringmq::socket full(ctx, socket_type::push);
  full.set(opt::linger, ringmq::infinite);
  full.connect("inproc://full");
  while (full.send("x", send_flags::dontwait)) {
  }
  EXPECT_TRUE(finishes_within(safety, [&full] { full.close(); }));
  EXPECT_TRUE(finishes_within(safety, [&pull] { pull.close(); }));
}

TEST(api_context, destroying_the_context_does_not_wait_for_open_sockets) {
  auto ctx = std::make_unique<ringmq::context>();
  ringmq::socket dealer(*ctx, socket_type::dealer);
  dealer.set(opt::linger, ringmq::infinite);
  dealer.connect("inproc://nobody");
  ASSERT_TRUE(dealer.send("pending"));
  EXPECT_TRUE(finishes_within(safety, [&ctx] { ctx.reset(); }));
  dealer.close();
}

TEST(api_context, a_socket_closed_with_its_messages_queued_frees_them) {
  // Zero-copy bodies show whether queued messages are released when both ends are gone.
  static char buffer[128];
  static std::atomic<int> freed{0};
  freed = 0;
  {
    ringmq::context ctx;
    ringmq::socket pull(ctx, socket_type::pull);
    pull.bind("inproc://freed");
    ringmq::socket push(ctx, socket_type::push);
    push.connect("inproc://freed");
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(push.send(ringmq::message(buffer, sizeof buffer, [](void*, void*) noexcept { ++freed; })));
  }
  EXPECT_EQ(freed.load(), 3);
}

TEST(api_context, sockets_of_one_context_work_from_many_threads) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://fan-in");
  constexpr int threads = 4;
  constexpr int per_thread = 2000;
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&ctx] {
      auto push = make_socket(ctx, socket_type::push);
      push.set(opt::sndhwm, 10);
      push.set(opt::linger, ringmq::infinite);
      push.connect("inproc://fan-in");
      for (int i = 0; i < per_thread; ++i)
        if (!push.send("m")) return;
    });
  }
  int received = 0;
  while (received < threads * per_thread && pull.recv()) ++received;
  for (auto& t : senders) t.join();
  EXPECT_EQ(received, threads * per_thread);
}

}  // namespace
}  // namespace ringmq_test
