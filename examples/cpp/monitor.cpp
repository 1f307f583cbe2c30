// Socket monitor: a socket reports its connection events (libzmq's zmq_socket_monitor
// events) through a bounded queue that any thread can read. Here a client connects to a
// server, exchanges one message, and the server goes away: the client's monitor shows the
// connection being made, the ZMTP handshake finishing, the peer disconnecting and the
// client trying again.
#include <ringmq/ringmq.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

namespace {

// Prints the events of `events` until one of `type` arrives (true), or none for 10 s.
bool print_until(ringmq::monitor& events, ringmq::monitor_event type) {
  using namespace std::chrono_literals;
  for (;;) {
    const std::optional<ringmq::socket_event> e = events.next(10s);
    if (!e) return false;
    std::printf("client monitor: %-19s value %-5lld %s\n", std::string(ringmq::to_string(e->type)).c_str(),
                static_cast<long long>(e->value), e->endpoint.c_str());
    if (e->type == type) return true;
  }
}

}  // namespace

int main() {
  ringmq::context ctx;
  ringmq::socket server = ctx.socket(ringmq::socket_type::pair);
  server.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  const std::string endpoint = server.last_endpoint();

  ringmq::socket client = ctx.socket(ringmq::socket_type::pair);
  // Start monitoring before connecting, so that no event is missed.
  ringmq::monitor events = client.monitor(ringmq::monitor_event::all);
  client.connect(endpoint);

  bool ok = print_until(events, ringmq::monitor_event::handshake_succeeded);
  client.send("ping");
  ok = ok && server.recv()->to_string() == "ping";

  server.close();  // the client sees its peer disconnect, then retries
  ok = ok && print_until(events, ringmq::monitor_event::disconnected);
  ok = ok && print_until(events, ringmq::monitor_event::connect_retried);
  std::printf("dropped events: %llu\n", static_cast<unsigned long long>(events.dropped()));
  return ok ? 0 : 1;
}
