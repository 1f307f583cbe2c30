// raw_pingpong: the kernel's best for the latency test, to read next to remote_lat. Two
// processes bounce <message-size> bytes over one blocking tcp (loopback, TCP_NODELAY) or unix
// stream socket <roundtrip-count> times: each side writes the message with one send and reads
// it back whole. Prints as remote_lat does; --busy-poll US spins on non-blocking reads first.
#include "raw_common.hpp"

#include <vector>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{"raw_pingpong", "<tcp|unix> <message-size> <roundtrip-count>", 3, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string transport = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 1);
    const auto count = perf::parse_int(o.positional[2], "roundtrip-count", 1);
    const auto h = perf::raw::make_header(spec.name, transport, o, "blocking syscalls");
    const auto listener = perf::raw::listen_on(transport);
    std::vector<char> buffer(static_cast<std::size_t>(size), 'x');
    std::fflush(nullptr);

    const pid_t child = fork();
    if (child < 0) perf::raw::fail_errno("fork");
    if (child == 0) {  // the echoing side
      const int fd = perf::raw::accept_one(listener);
      for (std::int64_t i = 0; i < count; ++i) {
        perf::raw::read_exact(fd, buffer.data(), buffer.size(), o.busy_poll_us);
        perf::raw::write_all(fd, buffer.data(), buffer.size());
      }
      close(fd);
      std::_Exit(0);
    }
    close(listener.fd);
    h.print(o);
    const int fd = perf::raw::connect_to(listener);
    auto result = perf::measure_roundtrips(o, size, count, [&] {
      perf::raw::write_all(fd, buffer.data(), buffer.size());
      perf::raw::read_exact(fd, buffer.data(), buffer.size(), o.busy_poll_us);
    });
    close(fd);
    perf::raw::reap(child);
    perf::report_latency(o, h, result);
    return 0;
  });
}
