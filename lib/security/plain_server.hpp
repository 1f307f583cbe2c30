// plain_server: the server side of PLAIN (rfc 24), as libzmq speaks it: HELLO -> ZAP ->
// WELCOME -> INITIATE(metadata) -> READY. ZAP always runs (the transport fails the handshake
// when no handler is bound); a refusal is turned into ERROR by the connection.
#pragma once

#include "zmtp/mechanism.hpp"

#include <cstdint>
#include <string>

namespace ringmq::security {

class plain_server final : public zmtp::mechanism {
 public:
  explicit plain_server(std::string zap_domain) : zap_domain_(std::move(zap_domain)) {}

  [[nodiscard]] std::string_view name() const noexcept override { return "PLAIN"; }
  [[nodiscard]] bool as_server() const noexcept override { return false; }

  void start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) override;
  void process_command(zmtp::bytes body, zmtp::handshake_step& step) override;
  void on_zap_reply(const zmtp::zap_reply& reply, zmtp::handshake_step& step) override;

 private:
  enum class state : std::uint8_t { expect_hello, waiting_zap, expect_initiate, connected, failed };
  void on_hello(zmtp::bytes body, zmtp::handshake_step& step);
  void on_initiate(zmtp::bytes body, zmtp::handshake_step& step);
  void fail(zmtp::handshake_step& step, int code, std::string text);

  state state_ = state::expect_hello;
  std::string zap_domain_;
  zmtp::bytes our_properties_;
};

}  // namespace ringmq::security
