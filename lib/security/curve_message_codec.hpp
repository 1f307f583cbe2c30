// curve_message_codec: CurveZMQ traffic after the handshake -- every frame, data or command,
// boxed into a MESSAGE (rfc 26) carried in a ZMTP data frame, as libzmq does.
//
// Threads (see zmtp/mechanism.hpp): encode() runs on the connection's encode side and
// decode() on its decode side, concurrently. They share only the session key, written by the
// handshake before start() and read-only afterwards; each direction owns its nonce counter
// (separate cache lines).
#pragma once

#include "zmtp/mechanism.hpp"

#include <ringmq/message.hpp>

#include <cstdint>

namespace ringmq::security {

class curve_message_codec {
 public:
  // client: we are the CURVE client (send "CurveZMQMESSAGEC", receive "...S").
  explicit curve_message_codec(bool client) noexcept : client_(client) {}

  // Decode side, at the end of the handshake: `session_key` (crypto_box_beforenm output);
  // `subkeys`, 64 bytes of the mechanism's secret memory (alive as long as this codec, wiped
  // by its owner) where the codec keeps the two directions' box subkeys (message_box.hpp);
  // the short nonce of our next command, and the last one the peer used (its next must be
  // higher).
  void start(const unsigned char* session_key, unsigned char* subkeys, std::uint64_t next_send_nonce,
             std::uint64_t peer_nonce) noexcept;

  // Encode side: the application frame (flags more / command) becomes
  // "\x07MESSAGE" nonce box(flags payload), a data frame without MORE.
  zmtp::codec_status encode(message& frame, zmtp::error_info& error);
  // Decode side: the inverse; a nonce that does not increase, a box that does not open or a
  // frame that is not a MESSAGE fails the connection. A MESSAGE sent in a command frame is
  // checked and then dropped, as libzmq 4.3 does.
  zmtp::codec_status decode(message& frame, zmtp::error_info& error);

 private:
  const bool client_;
  const unsigned char* send_subkey_ = nullptr;
  const unsigned char* recv_subkey_ = nullptr;
  alignas(64) std::uint64_t send_nonce_ = 0;  // encode side
  alignas(64) std::uint64_t peer_nonce_ = 0;  // decode side
};

}  // namespace ringmq::security
