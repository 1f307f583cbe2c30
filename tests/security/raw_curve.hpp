// A CURVE client over a raw TCP socket for attack tests: the ZMTP greeting and frames by
// hand, the CurveZMQ commands from the independent test implementation
// (unit/security/curve_test_peer.hpp), so that any octet can be changed on the way.
#pragma once

#include "security/support.hpp"
#include "unit/security/curve_test_peer.hpp"

#include <optional>
#include <string>

namespace sec_test {

namespace tc = ringmq::test::curve;

inline tc::key key_from_z85(std::string_view z85) {
  const auto b = ringmq::z85_decode(z85);
  tc::key k{};
  std::memcpy(k.data(), b->data(), 32);
  return k;
}

inline tc::keypair perf_client_keys() { return tc::keypair::from_secret(key_from_z85(client_secret)); }

struct raw_curve {
  raw_tcp tcp;
  tc::client_peer peer;
  std::string client_props = prop("Socket-Type", "PUSH");

  explicit raw_curve(int port, tc::keypair client = perf_client_keys(),
                     tc::key server = key_from_z85(server_public))
      : tcp(port), peer(client, server) {}

  // Greeting exchange; false if the server closed.
  bool greet(std::string_view mechanism = "CURVE") {
    if (!tcp.send(greeting(mechanism))) return false;
    return tcp.read_exact(64).has_value();
  }
  // Sends HELLO (possibly altered) and returns the WELCOME body, opened into `peer`.
  bool hello(std::string body) {
    if (!tcp.send(command_frame(body))) return false;
    auto w = tcp.read_frame();
    return w && (w->flags & 4U) != 0 && peer.welcome(w->body);
  }
  bool hello() { return hello(peer.hello()); }
  // Sends INITIATE and returns the server's answer (READY or ERROR body), empty if it closed.
  std::optional<std::string> initiate(const std::string& body) {
    if (!tcp.send(command_frame(body))) return std::nullopt;
    auto r = tcp.read_frame();
    if (!r) return std::nullopt;
    return r->body;
  }
  std::optional<std::string> initiate() { return initiate(peer.initiate(client_props)); }
  // The whole handshake; true when READY opened.
  bool handshake() {
    if (!greet() || !hello()) return false;
    auto r = initiate();
    return r && peer.ready(*r).has_value();
  }
  bool send_message(const std::string& body) { return tcp.send(data_frame(body)); }
};

}  // namespace sec_test
