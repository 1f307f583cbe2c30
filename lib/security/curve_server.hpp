// curve_server: the server side of CurveZMQ (rfc 26) as libzmq 4.3 speaks it:
// HELLO -> WELCOME(cookie) -> INITIATE(vouch, metadata) -> ZAP -> READY, then MESSAGEs.
//
// Checks on the client's commands (docs/wire-and-security.md): HELLO exactly 200 octets,
// version 1.0, its box opens and holds 64 zeros; INITIATE at least 257 octets and at most
// 257 + max_metadata, its cookie opens with this connection's cookie key and holds (C', s'),
// its box opens, the vouch opens from the client's long-term key C and holds C' and our
// long-term public key S (libzmq does not compare S; rfc 26 asks for it); short nonces
// strictly increase from HELLO on.
// Every buffer holding peer-sized data is sized from the command after its size was checked.
//
// Memory before authentication: one pooled secret_block and this object; the transient key
// pair is made only once a HELLO of the right size arrives.
//
// Threads: see zmtp/mechanism.hpp. ZAP is always asked (the transport answers "200" itself
// when no handler is bound, as libzmq does, unless ZAP_ENFORCE_DOMAIN).
#pragma once

#include "security/curve_message_codec.hpp"
#include "security/secure_memory.hpp"
#include "zmtp/mechanism.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace ringmq::security {

class curve_server final : public zmtp::mechanism {
 public:
  // secret_key: our long-term secret key, 32 octets (empty: every handshake fails with
  // EINVAL, the socket was misconfigured). zap_domain: the socket's ZAP_DOMAIN.
  curve_server(std::string_view secret_key, std::string zap_domain);
  ~curve_server() override;

  [[nodiscard]] std::string_view name() const noexcept override { return "CURVE"; }
  // libzmq always sends 0 and ignores the peer's octet; so do we.
  [[nodiscard]] bool as_server() const noexcept override { return false; }

  void start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) override;
  void process_command(zmtp::bytes body, zmtp::handshake_step& step) override;
  void on_zap_reply(const zmtp::zap_reply& reply, zmtp::handshake_step& step) override;

  [[nodiscard]] bool transforms_frames() const noexcept override { return true; }
  zmtp::codec_status encode(message& frame, zmtp::error_info& error) override {
    return codec_.encode(frame, error);
  }
  zmtp::codec_status decode(message& frame, zmtp::error_info& error) override {
    return codec_.decode(frame, error);
  }

 private:
  enum class state : std::uint8_t { expect_hello, expect_initiate, waiting_zap, connected, failed };

  void on_hello(zmtp::bytes body, zmtp::handshake_step& step);
  void on_initiate(zmtp::bytes body, zmtp::handshake_step& step);
  void fail(zmtp::handshake_step& step, int code, std::string text);

  // secrets_ slots.
  static constexpr std::size_t long_term_secret = 0;  // s, wiped once WELCOME is sent
  static constexpr std::size_t transient_secret = 1;  // s', wiped once INITIATE is checked
  static constexpr std::size_t cookie_key = 2;        // wiped once INITIATE is checked
  static constexpr std::size_t session_key = 3;       // beforenm(C', s'), for READY and MESSAGEs
  static constexpr std::size_t codec_subkeys = 0;     // slots 0-1 once wiped: the codec's subkeys

  state state_ = state::expect_hello;
  bool have_key_ = false;
  secret_block secrets_;
  unsigned char client_transient_[32] = {};  // C'
  unsigned char our_public_[32] = {};        // S, derived from s
  std::uint64_t peer_nonce_ = 0;             // the client's last short nonce
  std::uint64_t send_nonce_ = 1;             // READY is 1, MESSAGEs follow
  std::string zap_domain_;
  zmtp::bytes our_properties_;
  curve_message_codec codec_{false};
};

}  // namespace ringmq::security
