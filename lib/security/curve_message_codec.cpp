#include "security/curve_message_codec.hpp"

#include "core/message_access.hpp"
#include "security/curve_constants.hpp"
#include "security/message_box.hpp"
#include "zmtp/wire.hpp"

#include <cstring>
#include <limits>
#include <memory>

namespace ringmq::security {

using detail::message_access;

namespace {

const unsigned char* bytes_of(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void free_held_frame(void* /*data*/, void* hint) noexcept { delete static_cast<message*>(hint); }

}  // namespace

void curve_message_codec::start(const unsigned char* session_key, unsigned char* subkeys,
                                std::uint64_t next_send_nonce, std::uint64_t peer_nonce) noexcept {
  const std::string_view ours =
      client_ ? curve::message_nonce_prefix_client : curve::message_nonce_prefix_server;
  const std::string_view theirs =
      client_ ? curve::message_nonce_prefix_server : curve::message_nonce_prefix_client;
  derive_box_subkey(subkeys, session_key, bytes_of(ours));
  derive_box_subkey(subkeys + box_subkey_bytes, session_key, bytes_of(theirs));
  send_subkey_ = subkeys;
  recv_subkey_ = subkeys + box_subkey_bytes;
  send_nonce_ = next_send_nonce;
  peer_nonce_ = peer_nonce;
}

zmtp::codec_status curve_message_codec::encode(message& frame, zmtp::error_info& error) {
  // rfc 26: a nonce is never reused with the same key.
  if (send_nonce_ == std::numeric_limits<std::uint64_t>::max()) {
    error =
        zmtp::make_protocol_error(zmtp::protocol_code::zmtp_invalid_sequence, "CURVE send nonce exhausted");
    return zmtp::codec_status::failed;
  }
  const std::size_t n = frame.size();
  if (n > std::numeric_limits<std::size_t>::max() - curve::message_min_size) {
    error = zmtp::make_errno_error(EMSGSIZE, "frame too large to box");
    return zmtp::codec_status::failed;
  }
  std::uint8_t flags = 0;
  if (message_access::has(frame, message_access::more)) flags |= curve::message_flag_more;
  if (message_access::has(frame, message_access::command)) flags |= curve::message_flag_command;

  message out(curve::message_min_size + n);
  auto* p = static_cast<std::byte*>(out.data());
  std::memcpy(p, curve::message_name.data(), curve::message_name.size());
  zmtp::put_u64(p + curve::message_nonce, send_nonce_++);
  // The plaintext goes where its ciphertext will be (after the MAC): boxed in place.
  std::byte* plain = p + curve::message_box + curve::mac_bytes;
  plain[0] = static_cast<std::byte>(flags);
  if (n != 0) std::memcpy(plain + 1, frame.data(), n);

  auto* u = reinterpret_cast<unsigned char*>(p);
  seal_box(u + curve::message_box, u + curve::message_box + curve::mac_bytes, 1 + n, u + curve::message_nonce,
           send_subkey_);
  frame = std::move(out);  // flags 0: a data frame without MORE; MORE is inside the box
  return zmtp::codec_status::ok;
}

zmtp::codec_status curve_message_codec::decode(message& frame, zmtp::error_info& error) {
  const std::size_t size = frame.size();
  if (size < curve::message_name.size() ||
      std::memcmp(frame.data(), curve::message_name.data(), curve::message_name.size()) != 0) {
    error =
        zmtp::make_protocol_error(zmtp::protocol_code::zmtp_unexpected_command, "expected a CURVE MESSAGE");
    return zmtp::codec_status::failed;
  }
  if (size < curve::message_min_size) {
    error = zmtp::make_protocol_error(zmtp::protocol_code::zmtp_malformed_command_message,
                                      "CURVE MESSAGE shorter than 33 octets");
    return zmtp::codec_status::failed;
  }
  const bool wire_command = message_access::has(frame, message_access::command);
  if (frame.shared()) frame = message(frame.data(), frame.size());  // never decrypt a shared body in place

  auto* p = static_cast<std::byte*>(frame.data());
  const std::uint64_t nonce_value = zmtp::get_u64(p + curve::message_nonce);
  // rfc 26 / libzmq: short nonces strictly increase (gaps allowed); a replayed or older
  // MESSAGE is refused.
  if (nonce_value <= peer_nonce_) {
    error = zmtp::make_protocol_error(zmtp::protocol_code::zmtp_invalid_sequence,
                                      "CURVE MESSAGE nonce not increasing");
    return zmtp::codec_status::failed;
  }
  auto* u = reinterpret_cast<unsigned char*>(p);
  // In place: the plaintext lands where the ciphertext was (right after the MAC).
  unsigned char* plain = u + curve::message_box + curve::mac_bytes;
  if (!open_box(u + curve::message_box, plain, size - curve::message_box - curve::mac_bytes,
                u + curve::message_nonce, recv_subkey_)) {
    error =
        zmtp::make_protocol_error(zmtp::protocol_code::zmtp_cryptographic, "CURVE MESSAGE box does not open");
    return zmtp::codec_status::failed;
  }
  peer_nonce_ = nonce_value;
  // libzmq 4.3 drops a MESSAGE that arrived as a command frame (after checking it).
  if (wire_command) return zmtp::codec_status::drop;

  const std::uint8_t flags = plain[0];
  const std::size_t n = size - curve::message_min_size;
  message out;
  if (n <= message::inline_capacity) {
    out = message(plain + 1, n);  // inline: the received body is released at once
  } else if (message_access::narrow(frame, reinterpret_cast<std::byte*>(plain + 1), n)) {
    out = std::move(frame);  // the payload is a window on the received body: no copy
  } else {
    // An external body (a large frame the decoder grew as it arrived): its free function
    // needs the original pointer, so the whole frame is kept alive under the payload.
    auto held = std::make_unique<message>(std::move(frame));
    out = message(plain + 1, n, &free_held_frame, held.get());
    static_cast<void>(held.release());
  }
  std::uint8_t f = 0;
  if ((flags & curve::message_flag_more) != 0) f |= message_access::more;
  if ((flags & curve::message_flag_command) != 0) f |= message_access::command;
  message_access::set_flags(out, f);
  frame = std::move(out);
  return zmtp::codec_status::ok;
}

}  // namespace ringmq::security
