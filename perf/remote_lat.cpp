// remote_lat (libzmq's remote_lat; zmq_remote_lat over libzmq): the measuring half of the
// latency test. A REQ socket connected to <connect-to> sends <roundtrip-count> messages of
// <message-size> bytes and waits for each to come back; prints the mean one-way latency,
// elapsed / (2 x round trips), as libzmq does.
#include "perf_common.hpp"
#include "perf_library.hpp"

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("remote_lat"), "<connect-to> <message-size> <roundtrip-count>",
                               3, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& connect_to = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 0);
    const auto count = perf::parse_int(o.positional[2], "roundtrip-count", 1);

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket req(ctx, perf::lib::kind::req);
    req.connect(connect_to);
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(connect_to), ctx, o, false);
    h.print(o);

    perf::lib::message msg(static_cast<std::size_t>(size));
    auto result = perf::measure_roundtrips(o, size, count, [&] { perf::lib::req_roundtrip(req, msg, size); });

    perf::report_latency(o, h, result);
    return 0;
  });
}
