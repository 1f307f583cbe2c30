// curve_client: the client side of CurveZMQ (rfc 26) as libzmq 4.3 speaks it:
// HELLO -> (WELCOME) -> INITIATE(vouch, metadata) -> (READY), then MESSAGEs.
//
// HELLO goes out right after our greeting (it reveals nothing: a fresh transient key and a
// box only the server can open). Checks on the server's commands: WELCOME exactly 168
// octets and its box opens from the server key we were given; READY at least 30 octets,
// its box opens with the session key; then MESSAGE nonces strictly increase from READY's.
//
// Threads: see zmtp/mechanism.hpp.
#pragma once

#include "security/curve_message_codec.hpp"
#include "security/secure_memory.hpp"
#include "zmtp/mechanism.hpp"

#include <cstdint>
#include <string_view>

namespace ringmq::security {

class curve_client final : public zmtp::mechanism {
 public:
  // Keys of 32 octets each. public_key may be empty: derived from secret_key. A missing
  // server or secret key makes every handshake fail with EINVAL (misconfigured socket).
  curve_client(std::string_view server_key, std::string_view public_key, std::string_view secret_key);
  ~curve_client() override;

  [[nodiscard]] std::string_view name() const noexcept override { return "CURVE"; }
  [[nodiscard]] bool as_server() const noexcept override { return false; }

  void start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) override;
  void process_command(zmtp::bytes body, zmtp::handshake_step& step) override;

  [[nodiscard]] bool transforms_frames() const noexcept override { return true; }
  zmtp::codec_status encode(message& frame, zmtp::error_info& error) override {
    return codec_.encode(frame, error);
  }
  zmtp::codec_status decode(message& frame, zmtp::error_info& error) override {
    return codec_.decode(frame, error);
  }

 private:
  enum class state : std::uint8_t { expect_welcome, expect_ready, connected, failed };

  void on_welcome(zmtp::bytes body, zmtp::handshake_step& step);
  void on_ready(zmtp::bytes body, zmtp::handshake_step& step);
  void fail(zmtp::handshake_step& step, int code, std::string text);

  static constexpr std::size_t long_term_secret = 0;  // c, wiped once INITIATE is built
  static constexpr std::size_t transient_secret = 1;  // c', wiped once the session key is derived
  static constexpr std::size_t session_key = 2;       // beforenm(S', c')
  static constexpr std::size_t codec_subkeys = 0;     // slots 0-1 once wiped: the codec's subkeys

  state state_ = state::expect_welcome;
  bool have_keys_ = false;
  secret_block secrets_;
  unsigned char server_key_[32] = {};        // S
  unsigned char public_key_[32] = {};        // C
  unsigned char transient_public_[32] = {};  // C'
  std::uint64_t send_nonce_ = 1;             // HELLO 1, INITIATE 2, MESSAGEs from 3
  zmtp::bytes our_properties_;
  curve_message_codec codec_{true};
};

}  // namespace ringmq::security
