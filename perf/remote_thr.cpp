// remote_thr (libzmq's remote_thr; zmq_remote_thr over libzmq): the sending half of the
// throughput test. A PUSH socket connected to <connect-to> sends <message-count> new
// messages of <message-size> bytes as fast as it can, then waits for them to leave (infinite
// LINGER, libzmq's default). With <enable_curve> = 1 it is a CURVE client with libzmq's
// perf-tool test keys. Prints nothing on stdout, as libzmq's does. --hold keeps the
// connection open after the last send until stdin closes: compare.py uses it for both
// libraries, because libzmq 4.3 can drop the tail of an ipc stream when the sender exits
// right after sending (libzmq#4660), which would leave local_thr waiting forever.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <chrono>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("remote_thr"),
                               "<connect-to> <message-size> <message-count> [<enable_curve>]", 3, 1, true};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& connect_to = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 0);
    const auto count = perf::parse_int(o.positional[2], "message-count", 1);
    const bool curve = perf::curve_flag(o, 3);
    if (curve) perf::lib::require_curve();

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket push(ctx, perf::lib::kind::push);
    push.set_linger(std::chrono::milliseconds(-1));
    if (curve)
      push.set_curve_client(perf::curve_test_keys::server_public, perf::curve_test_keys::client_public,
                            perf::curve_test_keys::client_secret);
    push.connect(connect_to);
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(connect_to), ctx, o, curve);
    h.print(o);

    for (std::int64_t i = 0; i < count; ++i) {
      perf::lib::message msg(static_cast<std::size_t>(size));
      push.send(msg);
    }
    if (o.hold) perf::hold_until_stdin_closes();
    if (o.json) {
      perf::json_object j;
      h.add_to(j);
      j.add("message_size", size).add("message_count", count);
      std::printf("%s\n", j.str().c_str());
    }
    return 0;
  });
}
