// frame_decoder: turns a byte stream, cut anywhere, into ZMTP frames (ringmq::message with
// the more / command flags of message_access). Owned by the decode side of a connection.
//
// Memory rules (docs/wire-and-security.md, CVE-2019-6250): the size is checked against the
// caller's limit and against 2^63-1 as soon as the header is complete, before anything is
// allocated. Bodies up to message::inline_capacity are built inline, those up to
// message_slab::max_slice in a block shared with the other small bodies of the same input
// (the block sized by the octets that arrived). A larger body whose claimed size is within
// what has arrived plus growth_step is allocated once at its final size; otherwise it grows
// geometrically as its bytes arrive, so the memory held is at most
// max(2 x received, received + growth_step) whatever size the peer claims.
#pragma once

#include "core/message_slab.hpp"
#include "zmtp/frame.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/wire.hpp"

#include <ringmq/message.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ringmq::zmtp {

class frame_decoder {
 public:
  enum class status : std::uint8_t { need_more, frame, failed };

  static constexpr std::size_t growth_step = std::size_t{64} * 1024;

  // max_size: the largest body accepted, -1 for no limit (other than 2^63-1).
  explicit frame_decoder(std::int64_t max_size = -1) noexcept : max_size_(max_size) {}
  frame_decoder(const frame_decoder&) = delete;
  frame_decoder& operator=(const frame_decoder&) = delete;
  ~frame_decoder();

  // Applies from the next frame header on (the connection switches from the handshake cap
  // to MAXMSGSIZE between two frames).
  void set_max_size(std::int64_t max_size) noexcept { max_size_ = max_size; }
  [[nodiscard]] std::int64_t max_size() const noexcept { return max_size_; }

  // Consumes octets of `in` until one frame is complete (status::frame: collect it with
  // take()), the input runs out (need_more), or the stream is malformed (failed; error()
  // says why; nothing more is consumed afterwards). `consumed` reports the octets used.
  status decode(bytes in, std::size_t& consumed);

  // The rest of the body being received when it already has its final allocation (empty
  // otherwise): a reader may receive straight into it, saving a copy, then report the
  // octets with body_written().
  [[nodiscard]] std::span<std::byte> body_space() noexcept;
  // `n` octets (at most body_space().size()) were written at body_space(). status::frame
  // when that completed the body (collect it with take()), else need_more.
  status body_written(std::size_t n);

  // The caller has no more input for now: bodies carved from the current shared block
  // (message_slab) keep it alive, the decoder lets go of it.
  void end_of_input() noexcept { slab_.retire(); }

  // The completed frame. A command frame has message_access::command set, a data frame
  // message_access::more when another frame of the same message follows.
  message take() noexcept { return std::move(frame_); }

  [[nodiscard]] const error_info& error() const noexcept { return error_; }
  // Octets allocated for the body being received (tests use it to check the bounds above).
  [[nodiscard]] std::size_t pending_allocation() const noexcept;

 private:
  enum class state : std::uint8_t { flags, size, body, failed };

  status fail(error_info e);
  bool begin_body(std::uint64_t size, std::size_t available);
  bool append_body(const std::byte* p, std::size_t n);
  bool finish_body();
  // After body octets arrived (copied or written in place): the frame if they completed it.
  status after_body_octets();
  void release_growing() noexcept;

  std::int64_t max_size_;
  state state_ = state::flags;
  std::uint8_t flags_ = 0;
  std::size_t size_needed_ = 0;
  std::size_t size_have_ = 0;
  std::array<std::byte, 8> size_buf_{};

  std::size_t body_size_ = 0;
  std::size_t body_filled_ = 0;
  bool growing_ = false;           // body in grow_buf_ rather than directly in frame_
  std::byte* grow_buf_ = nullptr;  // malloc'd; handed to the message when complete
  std::size_t grow_capacity_ = 0;
  message frame_;
  detail::message_slab slab_;  // bodies above inline_capacity up to max_slice
  error_info error_;
};

}  // namespace ringmq::zmtp
