// plain_client: the client side of PLAIN (rfc 24), as libzmq speaks it:
// HELLO(username, password) -> (WELCOME) -> INITIATE(metadata) -> (READY | ERROR).
// The password travels in clear text: PLAIN authenticates, it does not protect.
//
// HELLO is sent only once the peer's greeting confirmed it speaks PLAIN, so the password is
// never written to a peer that would not understand it.
#pragma once

#include "zmtp/mechanism.hpp"

#include <cstdint>
#include <string>

namespace ringmq::security {

class plain_client final : public zmtp::mechanism {
 public:
  // username and password: 0-255 octets each (socket options enforce the bound).
  plain_client(std::string username, std::string password);
  ~plain_client() override;

  [[nodiscard]] std::string_view name() const noexcept override { return "PLAIN"; }
  [[nodiscard]] bool as_server() const noexcept override { return false; }

  void start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) override;
  void on_peer_greeting(const zmtp::peer_greeting& peer, zmtp::handshake_step& step) override;
  void process_command(zmtp::bytes body, zmtp::handshake_step& step) override;

 private:
  enum class state : std::uint8_t { greeting, expect_welcome, expect_ready, connected, failed };
  void fail(zmtp::handshake_step& step, int code, std::string text);

  state state_ = state::greeting;
  std::string username_;
  std::string password_;  // wiped once sent
  zmtp::bytes our_properties_;
};

}  // namespace ringmq::security
