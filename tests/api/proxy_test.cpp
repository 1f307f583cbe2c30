// proxy and proxy_steerable (include/ringmq/proxy.hpp). Each proxy runs on a thread of its
// own, which uses its sockets for as long as it runs; the test ends it with TERMINATE or by
// shutting the context down.
#include "spec/support.hpp"

#include <array>
#include <cstring>
#include <future>
#include <thread>

namespace ringmq_test {
namespace {

// Starts `run` on a thread; the future holds the error the proxy ended with.
template <class Run>
std::future<std::error_code> start(Run run) {
  return std::async(std::launch::async, [run]() mutable {
    std::error_code ec;
    run(ec);
    return ec;
  });
}

TEST(api_proxy, a_streamer_moves_messages_whole_and_copies_them_to_capture) {
  ringmq::context ctx;
  ringmq::socket front = make_socket(ctx, socket_type::pull);
  ringmq::socket back = make_socket(ctx, socket_type::push);
  ringmq::socket capture = make_socket(ctx, socket_type::push);
  front.bind("inproc://stream-in");
  back.bind("inproc://stream-out");
  capture.bind("inproc://stream-capture");
  ringmq::socket producer = make_socket(ctx, socket_type::push);
  ringmq::socket consumer = make_socket(ctx, socket_type::pull);
  ringmq::socket tap = make_socket(ctx, socket_type::pull);
  producer.connect("inproc://stream-in");
  consumer.connect("inproc://stream-out");
  tap.connect("inproc://stream-capture");

  // PULL cannot send and PUSH cannot receive: the way back carries nothing, and is no error.
  auto done = start([&](std::error_code& ec) { ringmq::proxy(front, back, &capture, ec); });
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(send_parts(producer, {"job", std::to_string(i)}));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(recv_parts(consumer), (std::vector<std::string>{"job", std::to_string(i)}));
    EXPECT_EQ(recv_parts(tap), (std::vector<std::string>{"job", std::to_string(i)}));
  }
  ctx.shutdown();
  EXPECT_EQ(done.get(), ringmq::errc::context_terminated);
}

TEST(api_proxy, a_queue_carries_requests_and_replies_both_ways) {
  ringmq::context ctx;
  ringmq::socket front = make_socket(ctx, socket_type::router);
  ringmq::socket back = make_socket(ctx, socket_type::dealer);
  front.bind("tcp://127.0.0.1:*");
  back.bind("tcp://127.0.0.1:*");
  ringmq::socket client = make_socket(ctx, socket_type::req);
  ringmq::socket worker = make_socket(ctx, socket_type::rep);
  client.connect(front.last_endpoint());
  worker.connect(back.last_endpoint());
  auto done = start([&](std::error_code& ec) { ringmq::proxy(front, back, nullptr, ec); });
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client.send(std::string_view("question " + std::to_string(i))));
    ASSERT_EQ(recv_string(worker), "question " + std::to_string(i));
    ASSERT_TRUE(worker.send(std::string_view("answer " + std::to_string(i))));
    ASSERT_EQ(recv_string(client), "answer " + std::to_string(i));
  }
  ctx.shutdown();
  EXPECT_EQ(done.get(), ringmq::errc::context_terminated);
}

TEST(api_proxy, one_socket_as_both_ends_answers_its_peers) {
  ringmq::context ctx;
  ringmq::socket echo = make_socket(ctx, socket_type::router);
  echo.bind("inproc://echo");
  ringmq::socket peer = make_socket(ctx, socket_type::dealer);
  peer.connect("inproc://echo");
  auto done = start([&](std::error_code& ec) { ringmq::proxy(echo, echo, nullptr, ec); });
  ASSERT_TRUE(send_parts(peer, {"ping", "again"}));
  EXPECT_EQ(recv_parts(peer), (std::vector<std::string>{"ping", "again"}));
  ctx.shutdown();
  EXPECT_EQ(done.get(), ringmq::errc::context_terminated);
}

TEST(api_proxy, a_message_the_backend_cannot_take_waits_and_nothing_is_lost) {
  ringmq::context ctx;
  ringmq::socket front = make_socket(ctx, socket_type::pull);
  ringmq::socket back = make_socket(ctx, socket_type::push);  // no consumer yet: sends block
  front.bind("inproc://held-in");
  back.bind("inproc://held-out");
  ringmq::socket producer = make_socket(ctx, socket_type::push);
  producer.connect("inproc://held-in");
  auto done = start([&](std::error_code& ec) { ringmq::proxy(front, back, nullptr, ec); });
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(producer.send(std::string_view(std::to_string(i))));
  // The proxy holds the first message; the consumer comes later and gets them all, in order.
  ringmq::socket consumer = make_socket(ctx, socket_type::pull);
  consumer.connect("inproc://held-out");
  for (int i = 0; i < 50; ++i) EXPECT_EQ(recv_string(consumer), std::to_string(i));
  ctx.shutdown();
  EXPECT_EQ(done.get(), ringmq::errc::context_terminated);
}

TEST(api_proxy, steering_pauses_resumes_counts_and_terminates) {
  ringmq::context ctx;
  ringmq::socket front = make_socket(ctx, socket_type::pull);
  ringmq::socket back = make_socket(ctx, socket_type::push);
  ringmq::socket control = make_socket(ctx, socket_type::pair);
  front.bind("inproc://steer-in");
  back.bind("inproc://steer-out");
  control.bind("inproc://steer-control");
  ringmq::socket producer = make_socket(ctx, socket_type::push);
  ringmq::socket consumer = make_socket(ctx, socket_type::pull);
  ringmq::socket steer = make_socket(ctx, socket_type::pair);
  producer.connect("inproc://steer-in");
  consumer.connect("inproc://steer-out");
  steer.connect("inproc://steer-control");
  auto done = start([&](std::error_code& ec) { ringmq::proxy_steerable(front, back, nullptr, control, ec); });

  ASSERT_TRUE(send_parts(producer, {"hello", "world"}));
  EXPECT_EQ(recv_parts(consumer), (std::vector<std::string>{"hello", "world"}));

  // Paused: the next message stays with the proxy. A STATISTICS reply comes after PAUSE
  // was read, so the message below is sent once the proxy is paused.
  ASSERT_TRUE(steer.send(std::string_view("PAUSE")));
  ASSERT_TRUE(steer.send(std::string_view("STATISTICS")));
  std::vector<std::string> stats = recv_parts(steer);
  ASSERT_EQ(stats.size(), 8U);
  ASSERT_TRUE(producer.send(std::string_view("later")));
  consumer.set(opt::rcvtimeo, 100ms);
  EXPECT_FALSE(recv_string(consumer));  // held while paused
  consumer.set(opt::rcvtimeo, safety);
  ASSERT_TRUE(steer.send(std::string_view("RESUME")));
  EXPECT_EQ(recv_string(consumer), "later");

  ASSERT_TRUE(steer.send(std::string_view("STATISTICS")));
  stats = recv_parts(steer);
  ASSERT_EQ(stats.size(), 8U);
  std::array<std::uint64_t, 8> counts{};
  for (std::size_t i = 0; i < 8; ++i) {
    ASSERT_EQ(stats[i].size(), sizeof(std::uint64_t));
    std::memcpy(&counts[i], stats[i].data(), sizeof(std::uint64_t));
  }
  // Frontend: 2 messages (10 + 5 bytes) in, none out; backend: none in, the same 2 out.
  EXPECT_EQ(counts, (std::array<std::uint64_t, 8>{2, 15, 0, 0, 0, 0, 2, 15}));

  ASSERT_TRUE(steer.send(std::string_view("TERMINATE")));
  EXPECT_FALSE(done.get());  // ended by the command: no error
}

TEST(api_proxy, the_throwing_form_throws_when_the_context_ends) {
  ringmq::context ctx;
  ringmq::socket front = make_socket(ctx, socket_type::router);
  ringmq::socket back = make_socket(ctx, socket_type::dealer);
  auto done = std::async(std::launch::async, [&] { ringmq::proxy(front, back); });
  ctx.shutdown();
  try {
    done.get();
    ADD_FAILURE() << "proxy returned normally";
  } catch (const ringmq::error& e) {
    EXPECT_EQ(e.code(), ringmq::errc::context_terminated);
  }
}

}  // namespace
}  // namespace ringmq_test
