// inproc_lat (libzmq's inproc_lat; zmq_inproc_lat over libzmq): latency between two threads
// of one process. A REQ socket bound to inproc://lat_test measures; a REP socket on a second
// thread echoes. Prints as remote_lat does.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <thread>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("inproc_lat"), "<message-size> <roundtrip-count>", 2, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const auto size = perf::parse_int(o.positional[0], "message-size", 0);
    const auto count = perf::parse_int(o.positional[1], "roundtrip-count", 1);
    const std::string endpoint = "inproc://lat_test";

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket req(ctx, perf::lib::kind::req);
    req.bind(endpoint);
    const auto h = perf::lib::make_header(spec.name, "inproc", ctx, o, false);
    h.print(o);

    std::thread echo([&] {
      perf::run_or_exit([&] {
        perf::lib::socket rep(ctx, perf::lib::kind::rep);
        rep.connect(endpoint);
        perf::lib::message msg;
        for (std::int64_t i = 0; i < count; ++i) {
          if (!rep.recv(msg)) perf::fail("receive timed out");
          rep.send(msg);
        }
        return 0;
      });
    });

    perf::lib::message msg(static_cast<std::size_t>(size));
    auto result = perf::measure_roundtrips(o, size, count, [&] { perf::lib::req_roundtrip(req, msg, size); });
    echo.join();

    perf::report_latency(o, h, result);
    return 0;
  });
}
