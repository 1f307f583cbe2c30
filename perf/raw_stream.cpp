// raw_stream: the kernel's best for the throughput test, to read next to local_thr. A child
// process writes <message-count> records of <message-size> bytes, one send() each, as fast
// as it can into a tcp (loopback, TCP_NODELAY) or unix stream socket; this process reads in
// 256 KiB chunks. The clock starts when the first (timed) record arrives, as in local_thr.
// Prints as local_thr does.
#include "raw_common.hpp"

#include <vector>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{"raw_stream", "<tcp|unix> <message-size> <message-count>", 3, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string transport = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 1);
    const auto count = perf::parse_int(o.positional[2], "message-count", 1);
    const auto warmup = perf::checked_warmup(o, count);
    const auto h = perf::raw::make_header(spec.name, transport, o, "blocking syscalls");
    const auto listener = perf::raw::listen_on(transport);
    std::fflush(nullptr);

    const pid_t child = fork();
    if (child < 0) perf::raw::fail_errno("fork");
    if (child == 0) {  // the writer
      const int fd = perf::raw::connect_to(listener);
      const std::vector<char> record(static_cast<std::size_t>(size), 'x');
      for (std::int64_t i = 0; i < count; ++i) perf::raw::write_all(fd, record.data(), record.size());
      close(fd);
      std::_Exit(0);
    }
    h.print(o);
    const int fd = perf::raw::accept_one(listener);
    close(listener.fd);

    std::vector<char> chunk(std::size_t{256} * 1024);
    const auto total = static_cast<std::uint64_t>(size) * static_cast<std::uint64_t>(count);
    const auto untimed = static_cast<std::uint64_t>(size) * static_cast<std::uint64_t>(warmup);
    std::uint64_t received = 0;
    std::int64_t start = 0;
    while (received < total) {
      received += perf::raw::read_some(fd, chunk.data(), chunk.size(), o.busy_poll_us);
      if (start == 0 && received > untimed) start = perf::now_ns();
    }
    perf::throughput_result r;
    r.message_size = size;
    r.message_count = count;
    r.warmup = warmup;
    r.elapsed_ns = perf::now_ns() - start;
    close(fd);
    perf::raw::reap(child);
    perf::report_throughput(o, h, r);
    return 0;
  });
}
