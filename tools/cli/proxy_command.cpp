// `ringmq proxy FRONTEND BACKEND`: the library's steerable proxy between two sockets. The
// main thread runs the proxy loop; a second thread waits for SIGINT/SIGTERM/SIGHUP (blocked
// in every thread, so only sigwait sees them) and then asks the proxy, over its inproc
// control socket, for its statistics and to terminate, so the proxy ends cleanly and says
// what it moved.
#include "cli_error.hpp"
#include "commands.hpp"
#include "socket_config.hpp"

#include <ringmq/context.hpp>
#include <ringmq/proxy.hpp>

#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ringmq_cli {
namespace {

constexpr const char* control_endpoint = "inproc://ringmq-cli-proxy-control";

// "@tcp://*:5555" binds, ">tcp://host:5555" connects, a bare endpoint binds.
endpoint_action parse_endpoint(const std::string& spec) {
  if (spec.starts_with("@")) return {true, spec.substr(1)};
  if (spec.starts_with(">")) return {false, spec.substr(1)};
  return {true, spec};
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

std::string side_text(const char* name, const std::uint64_t* v) {
  return std::string(name) + " in " + std::to_string(v[0]) + " msgs/" + std::to_string(v[1]) + " B, out " +
         std::to_string(v[2]) + " msgs/" + std::to_string(v[3]) + " B";
}

// The signal thread: waits for a signal, then stops the proxy through its control socket.
// SIGUSR1 is the main thread's way to end it without touching the proxy.
void signal_waiter(ringmq::context& ctx, sigset_t set) {
  int sig = 0;
  if (sigwait(&set, &sig) != 0 || sig == SIGUSR1) return;
  try {
    ringmq::socket control(ctx, ringmq::socket_type::pair);
    control.connect(control_endpoint);
    control.send(std::string_view("STATISTICS"));
    std::vector<ringmq::message> parts;
    control.recv_multipart(std::back_inserter(parts));
    if (parts.size() == 8) {
      std::uint64_t v[8];
      for (std::size_t i = 0; i < 8; ++i) std::memcpy(&v[i], parts[i].data(), sizeof v[i]);
      std::fprintf(stderr, "ringmq proxy: stopped by %s; %s; %s\n", signal_name(sig),
                   side_text("frontend", v).c_str(), side_text("backend", v + 4).c_str());
    }
    control.send(std::string_view("TERMINATE"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringmq proxy: %s\n", e.what());
    ctx.shutdown();  // the proxy then returns context_terminated
  }
}

}  // namespace

int run_proxy(arg_reader& args) {
  std::optional<ringmq::socket_type> front_type;
  std::optional<ringmq::socket_type> back_type;
  std::optional<std::string> capture;
  std::vector<std::string> specs;
  while (!args.done()) {
    if (args.flag("queue")) {
      front_type = ringmq::socket_type::router;
      back_type = ringmq::socket_type::dealer;
    } else if (args.flag("forwarder")) {
      front_type = ringmq::socket_type::xsub;
      back_type = ringmq::socket_type::xpub;
    } else if (args.flag("streamer")) {
      front_type = ringmq::socket_type::pull;
      back_type = ringmq::socket_type::push;
    } else if (auto f = args.value("frontend-type")) {
      front_type = parse_socket_type(*f);
    } else if (auto b = args.value("backend-type")) {
      back_type = parse_socket_type(*b);
    } else if (auto c = args.value("capture")) {
      capture = *c;
    } else {
      specs.push_back(args.positional());
    }
  }
  if (specs.size() != 2) throw usage_error("expected FRONTEND and BACKEND endpoints");

  // Block the stop signals before the context starts its I/O threads, which inherit the mask.
  sigset_t set;
  sigemptyset(&set);
  for (const int s : {SIGINT, SIGTERM, SIGHUP, SIGUSR1}) sigaddset(&set, s);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  ringmq::context ctx;
  ringmq::socket front(ctx, front_type.value_or(ringmq::socket_type::router));
  ringmq::socket back(ctx, back_type.value_or(ringmq::socket_type::dealer));
  ringmq::socket control(ctx, ringmq::socket_type::pair);
  std::optional<ringmq::socket> capture_sock;
  control.bind(control_endpoint);
  for (auto [sock, spec] : {std::pair{&front, specs[0]}, std::pair{&back, specs[1]}}) {
    const endpoint_action a = parse_endpoint(spec);
    if (a.bind)
      sock->bind(a.endpoint);
    else
      sock->connect(a.endpoint);
  }
  if (capture) {
    capture_sock.emplace(ctx, ringmq::socket_type::pub);
    capture_sock->bind(*capture);
  }

  std::thread waiter(signal_waiter, std::ref(ctx), set);
  std::error_code ec;
  ringmq::proxy_steerable(front, back, capture_sock ? &*capture_sock : nullptr, control, ec);
  pthread_kill(waiter.native_handle(), SIGUSR1);  // if no signal came, the waiter still waits
  waiter.join();
  if (ec) throw failure("proxy: " + ec.message());
  return 0;
}

}  // namespace ringmq_cli
