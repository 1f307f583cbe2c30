// inproc_thr (libzmq's inproc_thr; zmq_inproc_thr over libzmq): throughput between two
// threads of one process. A PULL socket bound to inproc://thr_test receives; a PUSH socket on
// a second thread sends <message-count> new messages of <message-size> bytes. Prints as
// local_thr does.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <thread>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("inproc_thr"), "<message-size> <message-count>", 2, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const auto size = perf::parse_int(o.positional[0], "message-size", 0);
    const auto count = perf::parse_int(o.positional[1], "message-count", 1);
    const std::string endpoint = "inproc://thr_test";

    perf::lib::context ctx(o.busy_poll_us);
    perf::lib::socket pull(ctx, perf::lib::kind::pull);
    pull.bind(endpoint);
    const auto h = perf::lib::make_header(spec.name, "inproc", ctx, o, false);
    h.print(o);

    std::thread sender([&] {
      perf::run_or_exit([&] {
        perf::lib::socket push(ctx, perf::lib::kind::push);
        push.connect(endpoint);
        for (std::int64_t i = 0; i < count; ++i) {
          perf::lib::message msg(static_cast<std::size_t>(size));
          push.send(msg);
        }
        return 0;
      });
    });

    perf::lib::message msg;
    const auto result = perf::measure_stream(o, size, count, [&] {
      if (!pull.recv(msg)) perf::fail("receive timed out");
      return msg.size();
    });
    sender.join();
    perf::report_throughput(o, h, result);
    return 0;
  });
}
