// io_ping_pong: round-trip latency of one small message bounced between two io_loops (two
// io_threads) over a loopback socket — the path a lone ZMTP frame takes between two
// processes' I/O threads. Not a test: prints the median and p99 round trip.
//   io_ping_pong [epoll|io_uring] [tcp|unix] [busy_poll_us] [round_trips] [message_bytes]
#include "unit/io/loop_test_support.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

using namespace ringmq::detail::io;
using namespace ringmq::detail::io::test;

namespace {

// Bounces each complete message back; the initiator times the round trips. Loop thread
// only, except `finished`.
class bouncer final : public stream_handler {
 public:
  io_loop* loop = nullptr;
  stream_id id = 0;
  std::size_t message = 64;
  bool initiator = false;
  int remaining = 0;
  std::vector<double> rtt_us;
  std::promise<void> finished;

  void start() { send_one(); }

  void on_data(std::span<const std::byte> bytes) override {
    received_ += bytes.size();
    while (received_ >= message) {
      received_ -= message;
      if (initiator) {
        rtt_us.push_back(std::chrono::duration<double, std::micro>(clock::now() - sent_at_).count());
        if (--remaining == 0) {
          finished.set_value();
          return;
        }
      }
      send_one();
    }
  }
  void on_recv_end(int) override {}
  void on_sent(std::size_t, int) override {
    sending_ = false;
    if (queued_ > 0) {
      --queued_;
      send_one();
    }
  }

 private:
  void send_one() {
    // One send in flight per stream: a reply can overtake our own on_sent.
    if (sending_) {
      ++queued_;
      return;
    }
    if (out_.size() != message) out_.assign(message, std::byte{0x5a});
    iov_ = iovec{out_.data(), out_.size()};
    sending_ = true;
    sent_at_ = clock::now();
    loop->send(id, std::span<const iovec>(&iov_, 1));
  }

  std::size_t received_ = 0;
  std::vector<std::byte> out_;
  iovec iov_{};
  bool sending_ = false;
  int queued_ = 0;
  clock::time_point sent_at_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::string backend = argc > 1 ? argv[1] : "io_uring";
  const transport kind =
      argc > 2 && std::strcmp(argv[2], "unix") == 0 ? transport::unix_stream : transport::tcp;
  const auto busy = std::chrono::microseconds(argc > 3 ? std::atoi(argv[3]) : 0);
  const int round_trips = argc > 4 ? std::atoi(argv[4]) : 20000;
  const std::size_t message = argc > 5 ? static_cast<std::size_t>(std::atoi(argv[5])) : 64;
  const backend_choice choice = backend == "epoll" ? backend_choice::epoll : backend_choice::io_uring;

  socket_pair p = make_pair(kind);
  set_nonblocking(p.peer_end.get(), true);
  bouncer a;
  bouncer b;
  a.initiator = true;
  a.remaining = round_trips;
  a.message = b.message = message;
  io_thread ta(0, choice, busy);
  io_thread tb(1, choice, busy);
  on_loop(tb, [&] {
    b.loop = &tb.loop();
    b.id = b.loop->add_stream(p.peer_end.release(), b);
  });
  const auto sa0 = on_loop(ta, [&] { return ta.loop().stats(); });
  const auto sb0 = on_loop(tb, [&] { return tb.loop().stats(); });
  const auto started = clock::now();
  on_loop(ta, [&] {
    a.loop = &ta.loop();
    a.id = a.loop->add_stream(p.loop_end.release(), a);
    a.start();
  });
  a.finished.get_future().wait();
  const double seconds = std::chrono::duration<double>(clock::now() - started).count();
  const auto sa = on_loop(ta, [&] { return ta.loop().stats(); });
  const auto sb = on_loop(tb, [&] { return tb.loop().stats(); });

  std::vector<double> rtt = a.rtt_us;
  std::sort(rtt.begin(), rtt.end());
  auto at = [&](double q) { return rtt[static_cast<std::size_t>(q * static_cast<double>(rtt.size() - 1))]; };
  std::printf("%s %s busy_poll=%lldus %zuB: %d round trips in %.3fs, rtt p50 %.1fus p90 %.1fus p99 %.1fus\n",
              std::string(ta.backend()).c_str(), name_of(kind), static_cast<long long>(busy.count()), message,
              round_trips, seconds, at(0.5), at(0.9), at(0.99));
  std::printf("  per round trip: wakeups %.2f, kernel entries %.2f (both loops)\n",
              static_cast<double>(sa.wakeups - sa0.wakeups + sb.wakeups - sb0.wakeups) / round_trips,
              static_cast<double>(sa.submits - sa0.submits + sb.submits - sb0.submits) / round_trips);
  return 0;
}
