// chaos_plan: what the chaos proxy does to the bytes of one direction of one connection, drawn
// from a seed. Decisions are made at byte offsets of the forwarded stream, never from the
// clock, so a given (seed, connection number, direction) always cuts at the same offset and
// splits, coalesces and stalls the same byte ranges; only the timing of the bytes around
// them varies from run to run.
//
// Pure: no I/O. Owned by the proxy's single thread.
#pragma once

#include "fault/numbered_message.hpp"

#include <cstdint>
#include <limits>

namespace fault {

struct chaos_settings {
  // Which faults are on.
  bool cut = false;       // close both sides at a byte offset (FIN, or RST with unread input)
  bool reset = false;     // close both sides with SO_LINGER 0 (RST) at a byte offset
  bool split = false;     // write a byte range in tiny writes
  bool coalesce = false;  // hold a byte range back and write it at once
  bool delay = false;     // stall a direction for a while
  // A connection is cut after a number of bytes drawn in [cut_min, cut_max], in whichever
  // direction reaches its offset first.
  std::uint64_t cut_min = 2048;
  std::uint64_t cut_max = 1 << 20;
  // Byte-level events start every [gap_min, gap_max] bytes.
  std::uint64_t gap_min = 1024;
  std::uint64_t gap_max = std::uint64_t{128} * 1024;
  std::uint64_t split_max_length = 4096;  // bytes written in tiny writes per event
  unsigned split_max_chunk = 7;           // a tiny write is 1..this many bytes
  std::uint64_t coalesce_max_length = std::uint64_t{64} * 1024;
  unsigned coalesce_max_hold_us = 2000;  // flushed when the range is complete or after this
  unsigned delay_max_ms = 8;

  [[nodiscard]] bool any_byte_event() const noexcept { return split || coalesce || delay; }
  [[nodiscard]] bool any_cut() const noexcept { return cut || reset; }
};

enum class byte_action { none, split, coalesce, stall };

// One byte-level event: from offset `at`, for `length` bytes (split, coalesce), or a stall of
// `stall_ms` when the stream reaches `at`.
struct byte_event {
  std::uint64_t at = std::numeric_limits<std::uint64_t>::max();
  byte_action action = byte_action::none;
  std::uint64_t length = 0;
  unsigned hold_us = 0;
  unsigned stall_ms = 0;
};

class flow_plan {
 public:
  static constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();

  flow_plan(const chaos_settings& s, std::uint64_t seed, std::uint64_t connection,
            unsigned direction) noexcept
      : s_(s), state_(mix64(seed ^ mix64(connection * 2 + direction + 1))) {
    if (s_.any_cut()) {
      cut_at_ = s_.cut_min + draw(s_.cut_max > s_.cut_min ? s_.cut_max - s_.cut_min + 1 : 1);
      // With both kinds on, half the cuts are resets.
      cut_reset_ = s_.reset && (!s_.cut || draw(2) == 0);
    }
  }

  // The offset at which this direction cuts the connection (never: no cut).
  [[nodiscard]] std::uint64_t cut_at() const noexcept { return cut_at_; }
  [[nodiscard]] bool cut_is_reset() const noexcept { return cut_reset_; }

  // The first byte-level event at or after `offset`.
  byte_event next_event(std::uint64_t offset) noexcept {
    byte_event e;
    if (!s_.any_byte_event()) return e;
    e.at = offset + s_.gap_min + draw(s_.gap_max > s_.gap_min ? s_.gap_max - s_.gap_min + 1 : 1);
    // Pick among the enabled actions: split and coalesce weigh 3, a stall 1 (stalls cost
    // wall time; a few per second are enough to reorder the peers' wake-ups).
    byte_action pick[7];
    unsigned n = 0;
    for (int w = 0; w < 3; ++w) {
      if (s_.split) pick[n++] = byte_action::split;
      if (s_.coalesce) pick[n++] = byte_action::coalesce;
    }
    if (s_.delay) pick[n++] = byte_action::stall;
    e.action = pick[draw(n)];
    switch (e.action) {
      case byte_action::split: e.length = 1 + draw(s_.split_max_length); break;
      case byte_action::coalesce:
        e.length = 1 + draw(s_.coalesce_max_length);
        e.hold_us = 1 + static_cast<unsigned>(draw(s_.coalesce_max_hold_us));
        break;
      case byte_action::stall: e.stall_ms = 1 + static_cast<unsigned>(draw(s_.delay_max_ms)); break;
      case byte_action::none: break;
    }
    return e;
  }

  // The size of the next tiny write of a split range.
  std::size_t chunk() noexcept { return 1 + static_cast<std::size_t>(draw(s_.split_max_chunk)); }

 private:
  // Uniform in [0, n) (n > 0); the modulo bias is irrelevant here.
  std::uint64_t draw(std::uint64_t n) noexcept {
    state_ = mix64(state_);
    return n == 0 ? 0 : state_ % n;
  }

  chaos_settings s_;
  std::uint64_t state_;
  std::uint64_t cut_at_ = never;
  bool cut_reset_ = false;
};

}  // namespace fault
