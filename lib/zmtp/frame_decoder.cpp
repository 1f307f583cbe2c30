#include "zmtp/frame_decoder.hpp"

#include "core/message_access.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string>

namespace ringmq::zmtp {

namespace {

void free_grown_body(void* data, void* /*hint*/) noexcept { std::free(data); }

}  // namespace

frame_decoder::~frame_decoder() { release_growing(); }

void frame_decoder::release_growing() noexcept {
  std::free(grow_buf_);
  grow_buf_ = nullptr;
  grow_capacity_ = 0;
  growing_ = false;
}

std::size_t frame_decoder::pending_allocation() const noexcept {
  if (state_ != state::body) return 0;
  if (growing_) return grow_capacity_;
  return body_size_ > message::inline_capacity ? body_size_ : 0;
}

frame_decoder::status frame_decoder::fail(error_info e) {
  error_ = std::move(e);
  state_ = state::failed;
  release_growing();
  frame_.reset();
  return status::failed;
}

// Called when the size field is complete; `available` octets of the body are already in
// the caller's chunk. Returns false (after fail()) when the body cannot be allocated.
bool frame_decoder::begin_body(std::uint64_t size, std::size_t available) {
  body_size_ = static_cast<std::size_t>(size);
  body_filled_ = 0;
  growing_ = false;
  try {
    // Allocate at the final size only when the claim is backed by octets that arrived, up
    // to one growth_step beyond them (compared as `size - available > step`: no overflow).
    if (body_size_ > message::inline_capacity && body_size_ <= detail::message_slab::max_slice) {
      frame_ = slab_.carve(body_size_, available);
      return true;
    }
    if (body_size_ <= message::inline_capacity || body_size_ <= available ||
        body_size_ - available <= growth_step) {
      frame_ = message(body_size_);
      return true;
    }
  } catch (const std::bad_alloc&) {
    fail(make_errno_error(ENOMEM, "cannot allocate a frame body of " + std::to_string(size) + " octets"));
    return false;
  }
  growing_ = true;
  return true;
}

bool frame_decoder::append_body(const std::byte* p, std::size_t n) {
  if (n == 0) return true;
  if (!growing_) {
    std::memcpy(static_cast<std::byte*>(frame_.data()) + body_filled_, p, n);
    body_filled_ += n;
    return true;
  }
  const std::size_t needed = body_filled_ + n;  // <= body_size_: the caller takes no more
  if (needed > grow_capacity_) {
    // Geometric growth capped by the claimed size. grow_capacity_ < needed <= octets
    // received, so the result stays within max(2 x received, received + growth_step).
    const std::size_t capacity = std::min(body_size_, std::max(grow_capacity_ * 2, needed + growth_step));
    void* grown = std::realloc(grow_buf_, capacity);
    if (grown == nullptr) {
      fail(make_errno_error(ENOMEM, "cannot grow a frame body to " + std::to_string(capacity) + " octets"));
      return false;
    }
    grow_buf_ = static_cast<std::byte*>(grown);
    grow_capacity_ = capacity;
  }
  std::memcpy(grow_buf_ + body_filled_, p, n);
  body_filled_ += n;
  return true;
}

bool frame_decoder::finish_body() {
  if (growing_) {
    // The buffer is exactly body_size_ long (the growth is capped by it): hand it over.
    try {
      frame_ = message(grow_buf_, body_size_, &free_grown_body, nullptr);
    } catch (const std::bad_alloc&) {
      fail(make_errno_error(ENOMEM, "cannot allocate a message header"));
      return false;
    }
    grow_buf_ = nullptr;
    grow_capacity_ = 0;
    growing_ = false;
  }
  using detail::message_access;
  std::uint8_t f = 0;
  if ((flags_ & frame_flag::more) != 0) f |= message_access::more;
  if ((flags_ & frame_flag::command) != 0) f |= message_access::command;
  message_access::set_flags(frame_, f);
  return true;
}

std::span<std::byte> frame_decoder::body_space() noexcept {
  if (state_ != state::body || growing_) return {};
  return {static_cast<std::byte*>(frame_.data()) + body_filled_, body_size_ - body_filled_};
}

frame_decoder::status frame_decoder::body_written(std::size_t n) {
  body_filled_ += n;  // n <= body_space().size(): the body is never overrun
  return after_body_octets();
}

frame_decoder::status frame_decoder::after_body_octets() {
  if (body_filled_ < body_size_) return status::need_more;
  if (!finish_body()) return status::failed;
  state_ = state::flags;
  return status::frame;
}

frame_decoder::status frame_decoder::decode(bytes in, std::size_t& consumed) {
  std::size_t pos = 0;
  const std::size_t end = in.size();
  for (;;) {
    switch (state_) {
      case state::failed: consumed = pos; return status::failed;

      case state::flags: {
        if (pos == end) {
          consumed = pos;
          return status::need_more;
        }
        flags_ = std::to_integer<std::uint8_t>(in[pos++]);
        // rfc 23: MORE "SHALL be zero on command frames"; commands are single frames.
        if ((flags_ & frame_flag::command) != 0 && (flags_ & frame_flag::more) != 0) {
          consumed = pos;
          return fail(make_protocol_error(protocol_code::zmtp_malformed_command_unspecified,
                                          "command frame with the MORE flag set"));
        }
        size_needed_ = (flags_ & frame_flag::long_size) != 0 ? 8 : 1;
        size_have_ = 0;
        state_ = state::size;
        break;
      }

      case state::size: {
        const std::size_t take = std::min(size_needed_ - size_have_, end - pos);
        std::memcpy(size_buf_.data() + size_have_, in.data() + pos, take);
        pos += take;
        size_have_ += take;
        if (size_have_ < size_needed_) {
          consumed = pos;
          return status::need_more;
        }
        const std::uint64_t size =
            size_needed_ == 8 ? get_u64(size_buf_.data()) : std::to_integer<std::uint64_t>(size_buf_[0]);
        // Checked before any allocation, as integers: never `pos + size > end`.
        if (size > max_frame_body) {
          consumed = pos;
          return fail(
              make_protocol_error(protocol_code::zmtp_unspecified,
                                  "frame size " + std::to_string(size) + " exceeds 2^63-1 (top bit set)"));
        }
        if (max_size_ >= 0 && size > static_cast<std::uint64_t>(max_size_)) {
          consumed = pos;
          return fail(make_errno_error(EMSGSIZE, "frame of " + std::to_string(size) +
                                                     " octets exceeds the limit of " +
                                                     std::to_string(max_size_)));
        }
        if constexpr (sizeof(std::size_t) < sizeof(std::uint64_t)) {
          if (size > std::numeric_limits<std::size_t>::max()) {
            consumed = pos;
            return fail(make_errno_error(EMSGSIZE, "frame too large for this platform"));
          }
        }
        if (!begin_body(size, end - pos)) {
          consumed = pos;
          return status::failed;
        }
        state_ = state::body;
        break;
      }

      case state::body: {
        const std::size_t take = std::min(body_size_ - body_filled_, end - pos);
        if (!append_body(in.data() + pos, take)) {
          consumed = pos;
          return status::failed;
        }
        pos += take;
        consumed = pos;
        return after_body_octets();
      }
    }
  }
}

}  // namespace ringmq::zmtp
