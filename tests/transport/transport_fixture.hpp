// The transports the socket-level transport tests run over, and their shared fixture:
// fresh endpoints per transport, sockets with a receive/send timeout as a safety net, and
// waiting for handshakes through monitor events.
#pragma once

#include <ringmq/ringmq.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <type_traits>

namespace ringmq_test {

using namespace std::chrono_literals;
using ringmq::monitor_event;
using ringmq::socket_type;

inline std::string unique_name() {
  static std::atomic<int> counter{0};
  return "conformance-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// bind_endpoint(): a fresh endpoint, wildcards allowed. fixed_endpoint(): one that can be
// bound again after an unbind or close (no wildcard: "ipc://*" removes its directory).
struct inproc_transport {
  static constexpr bool networked = false;
  static std::string bind_endpoint() { return "inproc://" + unique_name(); }
  static std::string fixed_endpoint() { return bind_endpoint(); }
};
struct ipc_transport {
  static constexpr bool networked = true;
  static std::string bind_endpoint() { return "ipc://*"; }
  static std::string fixed_endpoint() { return "ipc:///tmp/ringmq-" + unique_name() + ".sock"; }
};
struct tcp_transport {
  static constexpr bool networked = true;
  static std::string bind_endpoint() { return "tcp://127.0.0.1:*"; }
  static std::string fixed_endpoint() {
    // A port the kernel just handed out and took back is free for the test to reuse.
    ringmq::context ctx;
    ringmq::socket probe(ctx, ringmq::socket_type::pull);
    probe.bind("tcp://127.0.0.1:*");
    return probe.last_endpoint();
  }
};

template <class Transport>
class transport_conformance : public ::testing::Test {
 protected:
  ringmq::context ctx;

  transport_conformance() { ctx.set(ringmq::opt::linger, 0ms); }

  ringmq::socket make(socket_type type) {
    ringmq::socket s(ctx, type);
    s.set(ringmq::opt::rcvtimeo, 10s);  // a safety net: a bug fails the test instead of hanging it
    s.set(ringmq::opt::sndtimeo, 10s);
    return s;
  }

  // Binds `s` to a fresh endpoint of this transport; returns the resolved endpoint.
  std::string bind(ringmq::socket& s) {
    s.bind(Transport::bind_endpoint());
    return s.last_endpoint();
  }

  // Waits until `m` reported `count` completed handshakes (nothing to wait for on inproc).
  static void await_handshakes(ringmq::monitor& m, int count) {
    if (!Transport::networked) return;
    for (int seen = 0; seen < count;) {
      auto e = m.next(10s);
      ASSERT_TRUE(e) << "no handshake within 10 s";
      if (e->type == monitor_event::handshake_succeeded) ++seen;
    }
  }

  static std::string recv_text(ringmq::socket& s) {
    auto m = s.recv();
    return m ? m->to_string() : std::string("<timeout>");
  }
};

using transports = ::testing::Types<inproc_transport, ipc_transport, tcp_transport>;
struct transport_names {
  template <class T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, inproc_transport>) return "inproc";
    if constexpr (std::is_same_v<T, ipc_transport>) return "ipc";
    return "tcp";
  }
};

// What only a transport with connections has: dropping and re-establishing them, their
// monitor events (inproc has none, as in libzmq), a wire on which MAXMSGSIZE is enforced.
template <class Transport>
class networked_conformance : public transport_conformance<Transport> {};
using networked_transports = ::testing::Types<ipc_transport, tcp_transport>;

}  // namespace ringmq_test
