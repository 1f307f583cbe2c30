// context_option::interrupt_on_signal: with it, a blocking send, recv or poll fails with
// std::errc::interrupted when a signal handler runs while it sleeps (libzmq's EINTR, which
// the C ABI and pyzmq's Ctrl-C handling rely on); without it, the call waits on.
//
// The blocked thread is signalled (SIGUSR1, a handler without SA_RESTART) again and again
// until its call returns: a signal that lands before the thread sleeps only runs the handler.
#include "spec/support.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <future>

namespace ringmq_test {
namespace {

std::atomic<int> handled{0};
void count_signal(int) { handled.fetch_add(1, std::memory_order_relaxed); }

// Installs the counting handler for SIGUSR1 for the life of the object.
struct usr1_handler {
  struct sigaction old {};
  usr1_handler() {
    struct sigaction sa {};
    sa.sa_handler = count_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: an interrupted system call returns EINTR
    sigaction(SIGUSR1, &sa, &old);
  }
  ~usr1_handler() { sigaction(SIGUSR1, &old, nullptr); }
  usr1_handler(const usr1_handler&) = delete;
  usr1_handler& operator=(const usr1_handler&) = delete;
};

// Runs `call` on a thread and signals that thread every millisecond until `call` returns
// (or `safety` passes). Returns call's result.
template <class Call>
auto signal_until_done(Call call) {
  using result = decltype(call());
  std::promise<pthread_t> who;
  auto started = who.get_future();
  std::packaged_task<result()> task([&] {
    who.set_value(pthread_self());
    return call();
  });
  auto done = task.get_future();
  std::thread t(std::move(task));
  const pthread_t target = started.get();
  const auto give_up = std::chrono::steady_clock::now() + safety;
  while (done.wait_for(1ms) != std::future_status::ready && std::chrono::steady_clock::now() < give_up)
    pthread_kill(target, SIGUSR1);
  t.join();
  return done.get();
}

TEST(api_signals, the_option_is_off_by_default_and_reads_back) {
  ringmq::context ctx;
  EXPECT_EQ(ctx.get(ringmq::context_option::interrupt_on_signal), 0);
  ctx.set(ringmq::context_option::interrupt_on_signal, 1);
  EXPECT_EQ(ctx.get(ringmq::context_option::interrupt_on_signal), 1);
  EXPECT_THROW(ctx.set(ringmq::context_option::interrupt_on_signal, 2), ringmq::error);
}

TEST(api_signals, a_signal_ends_a_blocking_recv_with_interrupted) {
  usr1_handler handler;
  ringmq::context ctx;
  ctx.set(ringmq::context_option::interrupt_on_signal, 1);
  ringmq::socket pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://interrupted-recv");
  const std::error_code ec = signal_until_done([&] {
    std::error_code e;
    ringmq::message m;
    pull.recv(m, recv_flags::none, e);
    return e;
  });
  EXPECT_EQ(ec, std::errc::interrupted);
}

TEST(api_signals, a_signal_ends_a_recv_reading_its_tcp_connection_itself) {
  // One tcp peer: the blocked recv sleeps in ppoll on the connection (the lent read side).
  usr1_handler handler;
  ringmq::context ctx;
  ctx.set(ringmq::context_option::interrupt_on_signal, 1);
  ringmq::socket pull = make_socket(ctx, socket_type::pull);
  pull.bind("tcp://127.0.0.1:*");
  ringmq::socket push = make_socket(ctx, socket_type::push);
  push.connect(pull.last_endpoint());
  push.send(std::string_view("first"));
  ASSERT_EQ(recv_string(pull), "first");  // connected, and the read side lent to this thread
  const std::error_code ec = signal_until_done([&] {
    std::error_code e;
    ringmq::message m;
    pull.recv(m, recv_flags::none, e);
    return e;
  });
  EXPECT_EQ(ec, std::errc::interrupted);
  push.send(std::string_view("after"));
  EXPECT_EQ(recv_string(pull), "after");  // the socket works on
}

TEST(api_signals, a_signal_ends_a_blocking_send_with_interrupted_and_keeps_the_message) {
  usr1_handler handler;
  ringmq::context ctx;
  ctx.set(ringmq::context_option::interrupt_on_signal, 1);
  ringmq::socket push = make_socket(ctx, socket_type::push);  // no peer: send blocks
  ringmq::message msg("kept");
  const std::error_code ec = signal_until_done([&] {
    std::error_code e;
    push.send(std::move(msg), send_flags::none, e);
    return e;
  });
  EXPECT_EQ(ec, std::errc::interrupted);
  EXPECT_EQ(msg.view(), "kept");
}

TEST(api_signals, a_signal_ends_poll_with_interrupted) {
  usr1_handler handler;
  ringmq::context ctx;
  ctx.set(ringmq::context_option::interrupt_on_signal, 1);
  ringmq::socket pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://interrupted-poll");
  const std::error_code ec = signal_until_done([&] {
    ringmq::poll_item item{&pull, -1, ringmq::events::pollin};
    try {
      ringmq::poll(std::span(&item, 1), safety);  // bounded: a failure must not hang the test
    } catch (const ringmq::error& e) {
      return e.code();
    }
    return std::error_code();
  });
  EXPECT_EQ(ec, std::errc::interrupted);
}

TEST(api_signals, without_the_option_a_blocking_recv_waits_through_signals) {
  usr1_handler handler;
  ringmq::context ctx;
  ringmq::socket pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://waits-on");
  ringmq::socket push = make_socket(ctx, socket_type::push);
  push.connect("inproc://waits-on");
  std::promise<pthread_t> who;
  auto started = who.get_future();
  auto got = std::async(std::launch::async, [&] {
    who.set_value(pthread_self());
    return recv_string(pull);
  });
  const pthread_t target = started.get();
  // Two hundred signals handled on the receiving thread (most while it sleeps in recv), and
  // its recv is still waiting.
  const int before = handled.load();
  const auto give_up = std::chrono::steady_clock::now() + safety;
  while (handled.load() < before + 200 && std::chrono::steady_clock::now() < give_up) {
    pthread_kill(target, SIGUSR1);
    std::this_thread::yield();
  }
  EXPECT_GE(handled.load(), before + 200);
  EXPECT_EQ(got.wait_for(0ms), std::future_status::timeout);
  push.send(std::string_view("delivered"));
  EXPECT_EQ(got.get(), "delivered");
}

}  // namespace
}  // namespace ringmq_test
