// local_thr (libzmq's local_thr; zmq_local_thr over libzmq): the receiving half of the
// throughput test. A PULL socket bound to <bind-to> receives <message-count> messages of
// <message-size> bytes; the clock starts at the first one. With <enable_curve> = 1 it is a
// CURVE server with libzmq's perf-tool test key, so either library's remote_thr ... 1 can
// connect.
#include "perf_common.hpp"
#include "perf_library.hpp"

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("local_thr"),
                               "<bind-to> <message-size> <message-count> [<enable_curve>]", 3, 1};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& bind_to = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 0);
    const auto count = perf::parse_int(o.positional[2], "message-count", 1);
    const bool curve = perf::curve_flag(o, 3);
    if (curve) perf::lib::require_curve();

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket pull(ctx, perf::lib::kind::pull);
    if (curve) pull.set_curve_server(perf::curve_test_keys::server_secret);
    pull.bind(bind_to);
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(bind_to), ctx, o, curve);
    h.print(o);

    perf::lib::message msg;
    const auto result = perf::measure_stream(o, size, count, [&] {
      if (!pull.recv(msg)) perf::fail("receive timed out");
      return msg.size();
    });
    perf::report_throughput(o, h, result);
    return 0;
  });
}
