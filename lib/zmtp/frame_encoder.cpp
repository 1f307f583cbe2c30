#include "zmtp/frame_encoder.hpp"

#include "core/message_access.hpp"
#include "zmtp/wire.hpp"

namespace ringmq::zmtp {

frame_header encode_frame_header(bool more, bool command, std::size_t body_size) noexcept {
  frame_header h;
  auto flags =
      static_cast<std::uint8_t>((more ? frame_flag::more : 0U) | (command ? frame_flag::command : 0U));
  if (body_size <= max_short_body) {
    h.bytes[0] = std::byte{flags};
    h.bytes[1] = static_cast<std::byte>(body_size);
    h.size = short_header_size;
  } else {
    flags = static_cast<std::uint8_t>(flags | frame_flag::long_size);
    h.bytes[0] = std::byte{flags};
    put_u64(h.bytes.data() + 1, static_cast<std::uint64_t>(body_size));
    h.size = long_header_size;
  }
  return h;
}

frame_header encode_frame_header(const message& frame) noexcept {
  using detail::message_access;
  return encode_frame_header(message_access::has(frame, message_access::more),
                             message_access::has(frame, message_access::command), frame.size());
}

}  // namespace ringmq::zmtp
