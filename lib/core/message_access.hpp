// Internal access to the parts of a message the public API does not expose: frame flags
// used on the wire and in pipes, and the connection metadata attached on receive.
#pragma once

#include "core/metadata.hpp"

#include <ringmq/message.hpp>

#include <cstdint>

namespace ringmq::detail {

// The header of a shared body, with its reference count. Three kinds:
// - owned: the bytes follow the header in one malloc'd block (ffn and hint null);
// - external: the caller's bytes, released with ffn(data, hint);
// - slice: header and bytes inside an owned block shared by many (message_slab); ffn is
//   null and hint the owning block's header, which loses one reference with the slice.
struct message_content {
  std::atomic<std::uint32_t> refs;
  message::free_fn ffn;
  void* hint;
  std::size_t capacity;  // owned: the size of the whole block (header and bytes)
};

// An owned block with room for `size` bytes (at `data`), one reference. Throws bad_alloc.
message_content* allocate_owned_content(std::size_t size, std::byte*& data);
// Drops `count` references; the last one releases the body (`data`: its bytes).
void release_content(message_content* content, std::byte* data, std::uint32_t count = 1) noexcept;

struct message_access {
  // Frame flags (bit 0 is the public "more").
  static constexpr std::uint8_t more = 1;
  static constexpr std::uint8_t command = 2;     // a ZMTP command frame (PING, SUBSCRIBE...)
  static constexpr std::uint8_t delimiter = 4;   // end of a pipe: the writer closed
  static constexpr std::uint8_t routing_id = 8;  // a routing-id frame added by ROUTER

  static std::uint8_t flags(const message& m) noexcept { return m.flags_; }
  static void set_flags(message& m, std::uint8_t f) noexcept { m.flags_ = f; }
  static bool has(const message& m, std::uint8_t f) noexcept { return (m.flags_ & f) != 0; }
  static void set(message& m, std::uint8_t f, bool on) noexcept {
    m.flags_ = static_cast<std::uint8_t>(on ? (m.flags_ | f) : (m.flags_ & ~f));
  }

  static metadata* meta(const message& m) noexcept { return m.meta_; }
  // Attaches `md` (taking a reference) in place of any previous metadata.
  static void set_meta(message& m, metadata* md) noexcept {
    if (md != nullptr) md->add_ref();
    adopt_meta(m, md);
  }
  // Attaches `md` with a reference the caller already took.
  static void adopt_meta(message& m, metadata* md) noexcept {
    if (m.meta_ != nullptr) m.meta_->release();
    m.meta_ = md;
  }

  // Makes `m` (empty) the holder of one reference to `content`, whose bytes are `data`.
  static void adopt(message& m, message_content* content, std::byte* data, std::size_t size) noexcept {
    m.u_.ext.content = content;
    m.u_.ext.data = data;
    m.u_.ext.size = size;
    m.kind_ = message::kind_shared;
  }

  // Narrows `m` to `size` bytes at `data` inside its own body, keeping its reference;
  // false (nothing changed) unless the body is owned or a slice: an external body's free
  // function expects the original pointer.
  static bool narrow(message& m, std::byte* data, std::size_t size) noexcept {
    if (m.kind_ != message::kind_shared || m.u_.ext.content->ffn != nullptr) return false;
    m.u_.ext.data = data;
    m.u_.ext.size = size;
    return true;
  }

  static message make_delimiter() noexcept {
    message m;
    m.flags_ = delimiter;
    return m;
  }
};

}  // namespace ringmq::detail
