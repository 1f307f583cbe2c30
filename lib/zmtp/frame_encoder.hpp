// frame_encoder: writes ZMTP frame headers. Bodies are not copied here: the connection puts
// the header and a reference to the body into an output_batch.
#pragma once

#include "zmtp/frame.hpp"

#include <ringmq/message.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ringmq::zmtp {

struct frame_header {
  std::array<std::byte, max_header_size> bytes{};
  std::size_t size = 0;
  [[nodiscard]] std::span<const std::byte> view() const noexcept { return {bytes.data(), size}; }
};

// rfc 23: the short form for bodies of 0-255 octets, the long form above (libzmq's
// v2_encoder does the same: LONG only when size > 255).
frame_header encode_frame_header(bool more, bool command, std::size_t body_size) noexcept;

// The header for `frame`, taking MORE and COMMAND from its message_access flags.
frame_header encode_frame_header(const message& frame) noexcept;

}  // namespace ringmq::zmtp
