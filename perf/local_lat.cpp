// local_lat (libzmq's local_lat; zmq_local_lat when built over libzmq): the echoing half of
// the latency test. A REP socket bound to <bind-to> returns each of <roundtrip-count>
// messages of <message-size> bytes to the sender (remote_lat). Prints nothing on stdout,
// as libzmq's does.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <chrono>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("local_lat"), "<bind-to> <message-size> <roundtrip-count>", 3,
                               0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& bind_to = o.positional[0];
    const auto size = perf::parse_int(o.positional[1], "message-size", 0);
    const auto count = perf::parse_int(o.positional[2], "roundtrip-count", 1);

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket rep(ctx, perf::lib::kind::rep);
    rep.set_linger(std::chrono::milliseconds(-1));  // the last reply must reach the peer
    rep.bind(bind_to);
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(bind_to), ctx, o, false);
    h.print(o);

    perf::lib::message msg;
    for (std::int64_t i = 0; i < count; ++i) {
      if (!rep.recv(msg)) perf::fail("receive timed out");
      if (static_cast<std::int64_t>(msg.size()) != size) perf::fail("message of incorrect size received");
      rep.send(msg);
    }
    if (o.json) {
      perf::json_object j;
      h.add_to(j);
      j.add("message_size", size).add("roundtrip_count", count);
      std::printf("%s\n", j.str().c_str());
    }
    return 0;
  });
}
