// raw_futex_pingpong: the kernel's best for inproc latency, to read next to inproc_lat. Two
// threads hand <message-size> bytes back and forth through a shared buffer <roundtrip-count>
// times; whose turn it is lives in one 32-bit word, and a thread with nothing to do sleeps on
// it with FUTEX_WAIT (after spinning for --busy-poll US, if given). Each hand-off copies the
// payload, as a message queue would. Prints as inproc_lat does.
#include "raw_common.hpp"

#include <thread>
#include <vector>

namespace {

struct shared_state {
  alignas(64) std::atomic<std::uint32_t> turn{0};  // odd: the echo thread's turn; even: the measurer's
  alignas(64) std::atomic<std::uint32_t> sleepers{0};
};

}  // namespace

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{"raw_futex_pingpong", "<message-size> <roundtrip-count>", 2, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const auto size = perf::parse_int(o.positional[0], "message-size", 0);
    const auto count = perf::parse_int(o.positional[1], "roundtrip-count", 1);
    const auto h = perf::raw::make_header(spec.name, "futex", o, "none");
    h.print(o);

    shared_state state;
    const auto n = static_cast<std::size_t>(size);
    std::vector<char> wire(n, 'x');  // the shared "message"

    std::thread echo([&] {
      std::vector<char> local(n);
      std::uint32_t seen = 0;
      for (std::int64_t i = 0; i < count; ++i) {
        seen = perf::raw::await_change(state.turn, seen, state.sleepers, o.busy_poll_us);  // odd now
        std::memcpy(local.data(), wire.data(), n);
        std::memcpy(wire.data(), local.data(), n);
        perf::raw::publish(state.turn, seen + 1, state.sleepers);
        seen += 1;
      }
    });

    std::vector<char> local(n, 'y');
    std::uint32_t turn = 0;
    auto result = perf::measure_roundtrips(o, size, count, [&] {
      std::memcpy(wire.data(), local.data(), n);
      perf::raw::publish(state.turn, turn + 1, state.sleepers);
      turn = perf::raw::await_change(state.turn, turn + 1, state.sleepers, o.busy_poll_us);
      std::memcpy(local.data(), wire.data(), n);
    });
    echo.join();
    perf::report_latency(o, h, result);
    return 0;
  });
}
