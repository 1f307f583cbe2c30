// raw_spsc_thr: a floor for inproc throughput, to read next to inproc_thr. One thread copies
// <message-count> records of <message-size> bytes into a 4 MiB single-producer/single-consumer
// byte ring; another copies them out. A side that finds the ring full / empty spins for a
// moment (10 us, or --busy-poll US) and then sleeps on a futex, as fast queues do; without
// the spin the consumer, which keeps up easily, would sleep and be woken for nearly every
// record. No allocation, no library: what moving the bytes between two threads costs. Prints
// as inproc_thr does.
#include "raw_common.hpp"

#include <thread>
#include <vector>

namespace {

constexpr std::uint64_t ring_bytes = std::uint64_t{1} << 22;
constexpr std::uint32_t skip_marker = 0xffffffffu;  // "the rest of the ring is padding"

constexpr std::uint64_t record_bytes(std::uint64_t size) { return 8 + ((size + 7) & ~std::uint64_t{7}); }

// Positions only grow; the 32-bit futex words carry their low bits (a change is all a sleeper
// needs to see).
struct ring {
  alignas(64) std::atomic<std::uint64_t> tail{0};  // written by the producer
  alignas(64) std::atomic<std::uint32_t> tail_word{0};
  alignas(64) std::atomic<std::uint64_t> head{0};  // written by the consumer
  alignas(64) std::atomic<std::uint32_t> head_word{0};
  alignas(64) std::atomic<std::uint32_t> sleepers{0};
  std::vector<char> bytes = std::vector<char>(ring_bytes);
};

void produce(ring& r, std::int64_t count, std::uint64_t size, int busy_poll_us) {
  const std::vector<char> payload(size, 'x');
  std::uint64_t tail = 0;
  std::uint64_t head = 0;
  const std::uint64_t rec = record_bytes(size);
  for (std::int64_t i = 0; i < count; ++i) {
    const std::uint64_t off = tail & (ring_bytes - 1);
    const std::uint64_t wrap = off + rec > ring_bytes ? ring_bytes - off : 0;
    while (tail + wrap + rec - head > ring_bytes) {  // full: wait for the consumer
      head = r.head.load(std::memory_order_acquire);
      if (tail + wrap + rec - head <= ring_bytes) break;
      perf::raw::await_change(r.head_word, static_cast<std::uint32_t>(head), r.sleepers, busy_poll_us);
      head = r.head.load(std::memory_order_acquire);
    }
    if (wrap != 0) {
      std::memcpy(r.bytes.data() + off, &skip_marker, 4);
      tail += wrap;
    }
    char* at = r.bytes.data() + (tail & (ring_bytes - 1));
    const auto len = static_cast<std::uint32_t>(size);
    std::memcpy(at, &len, 4);
    std::memcpy(at + 8, payload.data(), size);
    tail += rec;
    r.tail.store(tail, std::memory_order_release);
    perf::raw::publish(r.tail_word, static_cast<std::uint32_t>(tail), r.sleepers);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{"raw_spsc_thr", "<message-size> <message-count>", 2, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const auto size = perf::parse_int(o.positional[0], "message-size", 0);
    const auto count = perf::parse_int(o.positional[1], "message-count", 1);
    if (record_bytes(static_cast<std::uint64_t>(size)) > ring_bytes / 2)
      perf::fail("message-size too large for the ring");
    const int spin_us = o.busy_poll_us > 0 ? o.busy_poll_us : 10;
    auto h = perf::raw::make_header(spec.name, "spsc", o, "none");
    h.busy_poll_us = spin_us;
    h.print(o);

    ring r;
    std::thread producer([&] { produce(r, count, static_cast<std::uint64_t>(size), spin_us); });

    std::vector<char> out(static_cast<std::size_t>(size));
    std::uint64_t head = 0;
    std::uint64_t tail = 0;
    const auto result = perf::measure_stream(o, size, count, [&]() -> std::size_t {
      for (;;) {
        while (head == tail) {  // empty: wait for the producer
          tail = r.tail.load(std::memory_order_acquire);
          if (head != tail) break;
          perf::raw::await_change(r.tail_word, static_cast<std::uint32_t>(tail), r.sleepers, spin_us);
          tail = r.tail.load(std::memory_order_acquire);
        }
        const char* at = r.bytes.data() + (head & (ring_bytes - 1));
        std::uint32_t len = 0;
        std::memcpy(&len, at, 4);
        if (len == skip_marker) {
          head += ring_bytes - (head & (ring_bytes - 1));
          continue;
        }
        std::memcpy(out.data(), at + 8, len);
        head += record_bytes(len);
        r.head.store(head, std::memory_order_release);
        perf::raw::publish(r.head_word, static_cast<std::uint32_t>(head), r.sleepers);
        return len;
      }
    });
    producer.join();
    perf::report_throughput(o, h, result);
    return 0;
  });
}
