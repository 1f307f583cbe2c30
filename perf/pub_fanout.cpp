// pub_fanout (zmq_pub_fanout over libzmq): one publisher, many subscribers. An XPUB socket
// (XPUB_NODROP, so nothing is lost and the publisher waits for the slowest subscriber;
// XPUB_VERBOSE, so it sees every subscription and starts only when all have joined) bound to
// <endpoint> serves <subscribers> SUB sockets subscribed to everything. Two phases:
//
//   throughput  <message-count> messages of <message-size> bytes as fast as the publisher can
//               send; the clock runs from the first message any subscriber receives to the
//               moment the last subscriber has them all. msg/s counts published messages
//               (each delivered to every subscriber); deliveries/s multiplies by subscribers.
//   latency     <latency-rounds> (default 1000) single messages: the publisher sends one and
//               waits until every subscriber has it before sending the next. "delivery" is
//               send -> one subscriber's receive, averaged; "fan-out" is send -> the last
//               subscriber's receive.
//
// The publisher and the subscribers live in one process on two threads; over tcp and ipc
// each side has its own context with one I/O thread (as two processes would), over inproc
// they share one. The subscriber thread waits on all its sockets with the library's poll.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

struct shared_state {
  std::atomic<std::uint32_t> rounds_done{0};  // latency rounds every subscriber finished
  std::atomic<std::int64_t> sent_at{0};       // when the publisher sent the current round
  std::atomic<bool> throughput_done{false};
};

struct sub_results {
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  perf::histogram delivery;  // per subscriber per round, ns
  perf::histogram fanout;    // per round: until the last subscriber, ns
  double delivery_sum_ns = 0;
  double fanout_sum_ns = 0;
  std::int64_t timed_rounds = 0;
};

void run_subscribers(std::vector<perf::lib::socket>& subs, std::int64_t count, std::int64_t rounds,
                     std::int64_t warmup_rounds, shared_state& shared, sub_results& out) {
  std::vector<perf::lib::socket*> ptrs;
  for (auto& s : subs) ptrs.push_back(&s);
  perf::lib::in_poller poller(ptrs);
  std::vector<char> ready;
  perf::lib::message msg;
  const std::size_t n = subs.size();

  // Throughput: every subscriber gets `count` messages.
  std::vector<std::int64_t> got(n, 0);
  std::size_t finished = 0;
  while (finished < n) {
    if (poller.wait(ready, 30s) == 0) perf::fail("fan-out stalled: no message for 30 s");
    for (std::size_t i = 0; i < n; ++i) {
      if (!ready[i]) continue;
      while (got[i] < count && subs[i].try_recv(msg)) {
        if (out.first_ns == 0) out.first_ns = perf::now_ns();
        if (++got[i] == count) ++finished;
      }
    }
  }
  out.last_ns = perf::now_ns();
  shared.throughput_done.store(true, std::memory_order_release);
  shared.throughput_done.notify_one();

  // Latency: one message per round, to every subscriber.
  std::vector<char> have(n);
  for (std::int64_t round = 0; round < rounds; ++round) {
    std::fill(have.begin(), have.end(), 0);
    std::size_t remaining = n;
    std::int64_t delivery_sum = 0;
    std::int64_t last = 0;
    const bool timed = round >= warmup_rounds;
    while (remaining > 0) {
      if (poller.wait(ready, 30s) == 0) perf::fail("fan-out latency round stalled for 30 s");
      for (std::size_t i = 0; i < n; ++i) {
        if (!ready[i] || have[i] || !subs[i].try_recv(msg)) continue;
        last = perf::now_ns();
        have[i] = 1;
        --remaining;
        const auto d = last - shared.sent_at.load(std::memory_order_acquire);
        delivery_sum += d;
        if (timed) out.delivery.record(d);
      }
    }
    if (timed) {
      const auto fanout = last - shared.sent_at.load(std::memory_order_acquire);
      out.fanout.record(fanout);
      out.fanout_sum_ns += static_cast<double>(fanout);
      out.delivery_sum_ns += static_cast<double>(delivery_sum);
      ++out.timed_rounds;
    }
    shared.rounds_done.store(static_cast<std::uint32_t>(round + 1), std::memory_order_release);
    shared.rounds_done.notify_one();
  }
}

}  // namespace

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("pub_fanout"),
                               "<endpoint> <subscribers> <message-size> <message-count> [<latency-rounds>]",
                               4, 1};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& endpoint = o.positional[0];
    const auto n = perf::parse_int(o.positional[1], "subscribers", 1);
    const auto size = perf::parse_int(o.positional[2], "message-size", 0);
    const auto count = perf::parse_int(o.positional[3], "message-count", 1);
    const auto rounds =
        o.positional.size() > 4 ? perf::parse_int(o.positional[4], "latency-rounds", 0) : 1000;
    const auto warmup_rounds = rounds > 0 ? std::min(o.warmup, rounds - 1) : 0;
    const std::string transport = perf::transport_of(endpoint);
    perf::raise_nofile_limit();

    perf::lib::context pub_ctx(o.busy_poll_us);
    std::optional<perf::lib::context> own_sub_ctx;
    if (transport != "inproc") own_sub_ctx.emplace(o.busy_poll_us);
    perf::lib::context& sub_ctx = own_sub_ctx ? *own_sub_ctx : pub_ctx;
    sub_ctx.reserve_sockets(static_cast<int>(n) + 1);

    perf::lib::socket pub(pub_ctx, perf::lib::kind::xpub);
    pub.set_xpub_verbose();
    pub.set_xpub_nodrop();
    pub.set_rcvtimeo(std::chrono::milliseconds(30000));
    pub.bind(endpoint);
    const std::string bound = pub.last_endpoint();
    std::vector<perf::lib::socket> subs;
    subs.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      subs.emplace_back(sub_ctx, perf::lib::kind::sub);
      subs.back().subscribe("");
      subs.back().connect(bound);
    }
    const auto h = perf::lib::make_header(spec.name, transport, pub_ctx, o, false);
    h.print(o);

    // XPUB_VERBOSE passes every subscription up: one per subscriber once all have joined.
    perf::lib::message msg;
    for (std::int64_t i = 0; i < n; ++i) {
      if (!pub.recv(msg))
        perf::fail("only " + std::to_string(i) + " of " + std::to_string(n) +
                   " subscribers joined within 30 s");
    }

    shared_state shared;
    auto results = std::make_unique<sub_results>();
    std::thread subscriber_thread([&] {
      perf::run_or_exit(
          [&] { return run_subscribers(subs, count, rounds, warmup_rounds, shared, *results), 0; });
    });

    for (std::int64_t i = 0; i < count; ++i) {
      perf::lib::message m(static_cast<std::size_t>(size));
      pub.send(m);
    }
    shared.throughput_done.wait(false, std::memory_order_acquire);
    for (std::int64_t round = 0; round < rounds; ++round) {
      perf::lib::message m(static_cast<std::size_t>(size));
      shared.sent_at.store(perf::now_ns(), std::memory_order_release);
      pub.send(m);
      for (auto done = shared.rounds_done.load(std::memory_order_acquire);
           done <= static_cast<std::uint32_t>(round);
           done = shared.rounds_done.load(std::memory_order_acquire))
        shared.rounds_done.wait(done, std::memory_order_acquire);
    }
    subscriber_thread.join();

    const auto& r = *results;
    const double seconds = static_cast<double>(std::max<std::int64_t>(r.last_ns - r.first_ns, 1)) / 1e9;
    const double msg_s = static_cast<double>(count) / seconds;
    const double mb_s = msg_s * static_cast<double>(size) * 8.0 / 1e6;
    const double deliveries_s = msg_s * static_cast<double>(n);
    const double timed = static_cast<double>(std::max<std::int64_t>(r.timed_rounds, 1));
    const double delivery_us = r.delivery_sum_ns / 1e3 / (timed * static_cast<double>(n));
    const double fanout_us = r.fanout_sum_ns / 1e3 / timed;
    auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e3; };

    if (o.json) {
      perf::json_object j;
      h.add_to(j);
      j.add("subscribers", n)
          .add("message_size", size)
          .add("message_count", count)
          .add("elapsed_s", seconds)
          .add("throughput_msg_s", msg_s)
          .add("throughput_mb_s", mb_s)
          .add("deliveries_s", deliveries_s)
          .add("latency_rounds", rounds)
          .add("warmup", warmup_rounds);
      if (r.timed_rounds > 0) {
        j.add("delivery_latency_us", delivery_us).add("fanout_latency_us", fanout_us);
        if (o.percentiles) {
          j.add("fanout_p50_us", us(r.fanout.quantile(0.5)))
              .add("fanout_p99_us", us(r.fanout.quantile(0.99)))
              .add("fanout_max_us", us(r.fanout.max()))
              .add("delivery_p50_us", us(r.delivery.quantile(0.5)))
              .add("delivery_p99_us", us(r.delivery.quantile(0.99)));
        }
      }
      std::printf("%s\n", j.str().c_str());
      return 0;
    }
    std::printf("subscribers: %d\n", static_cast<int>(n));
    std::printf("message size: %d [B]\n", static_cast<int>(size));
    std::printf("message count: %d\n", static_cast<int>(count));
    std::printf("mean throughput: %d [msg/s]\n", static_cast<int>(msg_s));
    std::printf("mean throughput: %.3f [Mb/s]\n", mb_s);
    std::printf("deliveries: %d [msg/s]\n", static_cast<int>(deliveries_s));
    if (r.timed_rounds > 0) {
      std::printf("latency rounds: %d\n", static_cast<int>(rounds));
      std::printf("average delivery latency: %.3f [us]\n", delivery_us);
      std::printf("average fan-out latency: %.3f [us]\n", fanout_us);
      if (o.percentiles) {
        std::printf("fan-out latency p50: %.3f [us]\n", us(r.fanout.quantile(0.5)));
        std::printf("fan-out latency p90: %.3f [us]\n", us(r.fanout.quantile(0.9)));
        std::printf("fan-out latency p99: %.3f [us]\n", us(r.fanout.quantile(0.99)));
        std::printf("fan-out latency p99.9: %.3f [us]\n", us(r.fanout.quantile(0.999)));
        std::printf("fan-out latency max: %.3f [us]\n", us(r.fanout.max()));
      }
    }
    return 0;
  });
}
