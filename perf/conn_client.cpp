// conn_client (zmq_conn_client over libzmq): the connecting side of the many-connections
// test (see conn_server). Opens <sockets> PUSH sockets to <connect-to>, each sending one
// 1-byte hello ('H'); if <message-count> > 0, the first socket then sends that many
// <message-size>-byte data messages (first byte 'D'). Then it holds every connection open
// until its standard input reaches end-of-file (the driver closes it when done), so the
// server sees idle connections, not departing ones.
#include "perf_common.hpp"
#include "perf_library.hpp"

#include <chrono>
#include <vector>

int main(int argc, char** argv) {
  return perf::run_tool([&] {
    const perf::tool_spec spec{PERF_TOOL_NAME("conn_client"),
                               "<connect-to> <sockets> <message-size> <message-count>", 4, 0};
    const auto o = perf::parse_options(argc, argv, spec);
    const std::string& connect_to = o.positional[0];
    const auto n = perf::parse_int(o.positional[1], "sockets", 1);
    const auto size = perf::parse_int(o.positional[2], "message-size", 1);
    const auto count = perf::parse_int(o.positional[3], "message-count", 0);
    const auto nofile = perf::raise_nofile_limit();
    if (nofile < static_cast<std::uint64_t>(n) * 2 + 64)
      std::fprintf(stderr, "# warning: RLIMIT_NOFILE is %llu; %lld sockets may need up to %lld descriptors\n",
                   static_cast<unsigned long long>(nofile), static_cast<long long>(n),
                   static_cast<long long>(n) * 2 + 64);

    perf::lib::context ctx(o.busy_poll_us);
    ctx.reserve_sockets(static_cast<int>(n));
    std::vector<perf::lib::socket> socks;
    socks.reserve(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      socks.emplace_back(ctx, perf::lib::kind::push);
      auto& s = socks.back();
      // The data sender must deliver everything; idle sockets may drop their hello at exit.
      s.set_linger(i == 0 && count > 0 ? std::chrono::milliseconds(-1) : std::chrono::milliseconds(0));
      s.connect(connect_to);
      perf::lib::message hello(1);
      static_cast<char*>(hello.data())[0] = 'H';
      s.send(hello);
    }
    const auto h = perf::lib::make_header(spec.name, perf::transport_of(connect_to), ctx, o, false);
    h.print(o);
    for (std::int64_t i = 0; i < count; ++i) {
      perf::lib::message m(static_cast<std::size_t>(size));
      static_cast<char*>(m.data())[0] = 'D';
      socks.front().send(m);
    }
    if (!o.quiet)
      std::fprintf(stderr, "# %s: %lld sockets open; holding until stdin closes\n", spec.name,
                   static_cast<long long>(n));
    perf::hold_until_stdin_closes();
    return 0;
  });
}
