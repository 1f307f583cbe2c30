// conn_server (zmq_conn_server over libzmq): the accepting side of the many-connections test.
// A PULL socket bound to <bind-to> waits until <connections> peers (conn_client) have each
// sent one 1-byte hello ('H'), then reports how much its resident memory grew per connection
// (VmRSS after all hellos minus VmRSS once bound, / connections). If <message-count> > 0 it
// then receives that many <message-size>-byte data messages (first byte 'D') from one more
// peer while the others stay idle, timed as local_thr times them.
//
// Both libraries listen with a backlog of 4096 (libzmq's default is 100: a burst of
// thousands of connects would otherwise wait on SYN retransmissions, seconds each).
//
// The first report (connections and memory) is flushed on its own so that a driver can start
// the active sender only once every idle connection is in place.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <chrono>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("conn_server"),
                               "<bind-to> <connections> <message-size> <message-count>", 4, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& bind_to = o.positional[0];
    const auto connections = perf::parse_int(o.positional[1], "connections", 1);
    const auto size = perf::parse_int(o.positional[2], "message-size", 1);
    const auto count = perf::parse_int(o.positional[3], "message-count", 0);
    const auto nofile = perf::raise_nofile_limit();
    if (nofile < static_cast<std::uint64_t>(connections) + 64)
      std::fprintf(stderr, "# warning: RLIMIT_NOFILE is %llu, lower than %lld connections need\n",
                   static_cast<unsigned long long>(nofile), static_cast<long long>(connections) + 64);

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket pull(ctx, perf::lib::kind::pull);
    pull.set_rcvtimeo(std::chrono::milliseconds(60000));
    pull.set_backlog(4096);
    pull.bind(bind_to);
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(bind_to), ctx, o, false);
    h.print(o);
    const auto rss_before = perf::rss_kib();

    perf::lib::message msg;
    std::int64_t hellos = 0;
    std::int64_t data_early = 0;  // data that overtook the last hellos (counted below)
    std::int64_t first = 0;
    while (hellos < connections) {
      if (!pull.recv(msg))
        perf::fail("only " + std::to_string(hellos) + " of " + std::to_string(connections) +
                   " connections said hello within 60 s");
      if (first == 0) first = perf::now_ns();
      if (msg.size() >= 1 && static_cast<const char*>(msg.data())[0] == 'H')
        ++hellos;
      else
        ++data_early;
    }
    const auto connect_s = static_cast<double>(perf::now_ns() - first) / 1e9;
    const auto rss_after = perf::rss_kib();
    const auto rss_peak = perf::rss_kib("VmHWM:");
    const double per_connection =
        static_cast<double>(rss_after - rss_before) * 1024.0 / static_cast<double>(connections);

    if (o.json) {
      perf::json_object j;
      h.add_to(j);
      j.add("phase", "connected")
          .add("connections", connections)
          .add("connect_s", connect_s)
          .add("rss_before_kib", rss_before)
          .add("rss_after_kib", rss_after)
          .add("rss_peak_kib", rss_peak)
          .add("rss_per_connection_b", per_connection)
          .add("nofile_limit", static_cast<std::int64_t>(nofile));
      std::printf("%s\n", j.str().c_str());
    } else {
      std::printf("connections: %d\n", static_cast<int>(connections));
      std::printf("connect time: %.3f [s]\n", connect_s);
      std::printf("rss before: %lld [KiB]\n", static_cast<long long>(rss_before));
      std::printf("rss after: %lld [KiB]\n", static_cast<long long>(rss_after));
      std::printf("rss per connection: %.0f [B]\n", per_connection);
    }
    std::fflush(stdout);
    if (count == 0) return 0;

    // The active peer's own hello may arrive among its data: skip hellos.
    std::int64_t early = data_early;
    auto result = perf::measure_stream(o, size, count, [&]() -> std::size_t {
      if (early > 0) {  // already received while waiting for hellos
        --early;
        return static_cast<std::size_t>(size);
      }
      for (;;) {
        if (!pull.recv(msg)) perf::fail("data stopped for 60 s");
        if (msg.size() >= 1 && static_cast<const char*>(msg.data())[0] == 'H') continue;
        return msg.size();
      }
    });
    if (o.json) {
      perf::json_object j;
      j.add("phase", "throughput")
          .add("connections", connections)
          .add("message_size", size)
          .add("message_count", count)
          .add("elapsed_s", static_cast<double>(result.elapsed_ns) / 1e9)
          .add("throughput_msg_s", result.msg_per_s())
          .add("throughput_mb_s", result.megabit_per_s());
      std::printf("%s\n", j.str().c_str());
    } else {
      perf::report_throughput(o, h, result);
    }
    return 0;
  });
}
