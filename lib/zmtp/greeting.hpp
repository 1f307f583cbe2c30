// greeting: the 64-octet ZMTP 3.x greeting, ours to send and the peer's to decode.
//
// rfc 23/37: greeting = signature(%xFF padding(8) %x7F) version(major minor)
//            mechanism(20, NUL padded) as-server(1) filler(31 zero octets)
//
// We speak ZMTP 3.x only: a ZMTP 1.0 or 2.0 peer is refused at the first octet that
// shows it (libzmq's ZMTP 1.0 path was the site of CVE-2021-20235). We send our whole
// greeting at once and never wait for the peer's before sending ours.
#pragma once

#include "zmtp/protocol_error.hpp"
#include "zmtp/wire.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringmq::zmtp {

inline constexpr std::size_t greeting_size = 64;
inline constexpr std::size_t mechanism_field_size = 20;
inline constexpr std::uint8_t our_major_version = 3;
inline constexpr std::uint8_t our_minor_version = 1;

using greeting_bytes = std::array<std::byte, greeting_size>;

// rfc 23: mechanism names are 1-20 of "A"-"Z", digits, "-", "_" (and "." "+" in the grammar).
bool valid_mechanism_name(std::string_view name) noexcept;

// Our greeting. rfc 37: a peer sending its whole greeting "SHOULD set the padding field to
// binary zeros"; the filler is zero. Precondition: valid_mechanism_name(mechanism).
greeting_bytes encode_greeting(std::string_view mechanism, bool as_server) noexcept;

// What the peer announced, valid once its greeting is complete.
struct peer_greeting {
  std::uint8_t major = 0;
  std::uint8_t minor = 0;  // 0: ZMTP 3.0 (subscriptions travel as "\x01topic" messages)
  bool as_server = false;  // libzmq always sends 0; mechanisms take roles from local options
};

// Incremental decoder of the peer's greeting over arbitrary chunking. Owned by the decode
// side of a connection.
class greeting_decoder {
 public:
  enum class status : std::uint8_t { need_more, done, failed };

  // `our_mechanism` is compared with the peer's 20-octet mechanism field exactly.
  explicit greeting_decoder(std::string_view our_mechanism) noexcept;

  // Consumes at most the octets the greeting still needs from `in` and reports them in
  // `consumed`. Decides as early as the octets allow: after octet 0 and octet 9 whether the
  // peer speaks ZMTP 2.0 or later, after octet 10 the major version, after octet 31 the
  // mechanism. Once done or failed, consumes nothing more.
  status decode(bytes in, std::size_t& consumed);

  [[nodiscard]] const peer_greeting& peer() const noexcept { return peer_; }
  [[nodiscard]] const error_info& error() const noexcept { return error_; }
  [[nodiscard]] std::size_t received() const noexcept { return received_; }

 private:
  status fail(error_info e);
  status check_octet(std::size_t index);

  std::array<std::byte, mechanism_field_size> our_mechanism_{};
  std::array<std::byte, greeting_size> buf_{};
  std::size_t received_ = 0;
  status state_ = status::need_more;
  peer_greeting peer_;
  error_info error_;
};

}  // namespace ringmq::zmtp
