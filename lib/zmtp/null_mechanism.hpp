// null_mechanism: rfc 23's NULL security mechanism, with libzmq's optional ZAP check.
//
// rfc 23: "the client SHALL send a READY command and then wait for a READY command in
// reply". libzmq makes it symmetric: both peers send READY right after the greeting. With a
// ZAP domain set (libzmq: NULL uses ZAP only when ZMQ_ZAP_DOMAIN is set) we ask ZAP once
// the peer's greeting is accepted and send our READY only after a "200" reply.
#pragma once

#include "zmtp/mechanism.hpp"

#include <optional>
#include <string>

namespace ringmq::zmtp {

class null_mechanism final : public mechanism {
 public:
  // zap_domain: ask ZAP before accepting the peer (empty optional: no ZAP).
  explicit null_mechanism(std::optional<std::string> zap_domain = std::nullopt)
      : zap_domain_(std::move(zap_domain)) {}

  [[nodiscard]] std::string_view name() const noexcept override { return "NULL"; }
  // rfc 23: "When a peer uses the NULL security mechanism, the as-server field MUST be zero."
  [[nodiscard]] bool as_server() const noexcept override { return false; }

  void start(const handshake_context& ctx, handshake_step& step) override;
  void on_peer_greeting(const peer_greeting& peer, handshake_step& step) override;
  void process_command(bytes body, handshake_step& step) override;
  void on_zap_reply(const zap_reply& reply, handshake_step& step) override;

 private:
  void send_ready(handshake_step& step);
  void check_complete(handshake_step& step) const;

  std::optional<std::string> zap_domain_;
  bytes our_properties_;
  bool ready_sent_ = false;
  bool ready_received_ = false;
  bool zap_pending_ = false;
};

}  // namespace ringmq::zmtp
