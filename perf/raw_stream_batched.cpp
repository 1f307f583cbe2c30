// raw_stream_batched: the kernel's small-message limit for the throughput test. raw_stream
// makes one send() per record, so at small sizes it measures syscalls, not the stream. Here
// a child writes <message-count> records, each a ZMTP-style frame header (rfc 23/ZMTP 2.3:
// flags + 1-byte size, or flags + 8-byte size when the body exceeds 255 bytes) and body,
// coalesced into writes of <batch-bytes> (default 64 KiB); this process reads 256 KiB
// chunks and parses every header to count the messages, as a ZMTP reader must. The clock
// starts when the first timed record is parsed. Prints as local_thr does.
#include "raw_common.hpp"

#include <cstring>
#include <vector>

namespace {

// Appends one frame (header + body of `size` bytes) to `out`.
void append_frame(std::vector<char>& out, std::int64_t size) {
  if (size <= 255) {
    out.push_back(0);
    out.push_back(static_cast<char>(size));
  } else {
    out.push_back(2);  // LONG
    for (int shift = 56; shift >= 0; shift -= 8)
      out.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xff));
  }
  out.insert(out.end(), static_cast<std::size_t>(size), 'x');
}

}  // namespace

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{"raw_stream_batched",
                               "<tcp|unix> <message-size> <message-count> [batch-bytes]", 3, 1};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string transport = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 1);
    const auto count = perf::parse_int(o.positional[2], "message-count", 1);
    const auto batch = o.positional.size() > 3 ? perf::parse_int(o.positional[3], "batch-bytes", 1) : 65536;
    const auto warmup = perf::checked_warmup(o, count);
    const auto h = perf::raw::make_header(spec.name, transport, o, "batched writes");
    const auto listener = perf::raw::listen_on(transport);
    std::fflush(nullptr);

    const pid_t child = fork();
    if (child < 0) perf::raw::fail_errno("fork");
    if (child == 0) {  // the writer: whole frames until the batch is full, then one send
      const int fd = perf::raw::connect_to(listener);
      std::vector<char> buf;
      buf.reserve(static_cast<std::size_t>(batch + size + 9));
      for (std::int64_t i = 0; i < count; ++i) {
        append_frame(buf, size);
        if (static_cast<std::int64_t>(buf.size()) >= batch) {
          perf::raw::write_all(fd, buf.data(), buf.size());
          buf.clear();
        }
      }
      if (!buf.empty()) perf::raw::write_all(fd, buf.data(), buf.size());
      close(fd);
      std::_Exit(0);
    }
    h.print(o);
    const int fd = perf::raw::accept_one(listener);
    close(listener.fd);

    // The parser: `need` bytes of the current header or body are still to come.
    std::vector<char> chunk(std::size_t{256} * 1024);
    char header[9];
    std::size_t header_have = 0;
    std::uint64_t body_left = 0;
    std::int64_t messages = 0;
    std::int64_t start = 0;
    while (messages < count) {
      const std::size_t n = perf::raw::read_some(fd, chunk.data(), chunk.size(), o.busy_poll_us);
      std::size_t at = 0;
      while (at < n) {
        if (body_left > 0) {
          const auto take = std::min<std::uint64_t>(body_left, n - at);
          at += take;
          body_left -= take;
          if (body_left == 0 && ++messages == warmup + 1 && start == 0) start = perf::now_ns();
          continue;
        }
        header[header_have++] = chunk[at++];
        const std::size_t header_size = (header[0] & 2) != 0 ? 9 : 2;
        if (header_have < header_size) continue;
        std::uint64_t body = 0;
        for (std::size_t i = 1; i < header_size; ++i)
          body = (body << 8) | static_cast<unsigned char>(header[i]);
        header_have = 0;
        body_left = body;
        if (body == 0 && ++messages == warmup + 1 && start == 0) start = perf::now_ns();
      }
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
