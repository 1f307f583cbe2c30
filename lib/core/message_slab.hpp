// message_slab: small message bodies carved out of one shared block instead of one malloc
// each. A decoder receiving many small frames from one read puts them all in one block; each
// body is a "slice" (message_access.hpp) with its own reference count, so copying, sharing
// and shared() work as for any body, and the block is freed with its last slice.
//
// The block's own count is charged up front with `charge` references, so carving costs no
// atomic operation; retire() hands back those that no slice took. A slice kept alive keeps
// its whole block (at most `max_block` bytes) alive, as libzmq's receive buffers do.
#pragma once

#include <ringmq/message.hpp>

#include <cstddef>
#include <cstdint>

namespace ringmq::detail {

struct message_content;

class message_slab {
 public:
  static constexpr std::size_t max_slice = 1024;                    // larger bodies get their own block
  static constexpr std::size_t max_block = std::size_t{20} * 1024;  // bytes, headers included

  message_slab() = default;
  message_slab(const message_slab&) = delete;
  message_slab& operator=(const message_slab&) = delete;
  ~message_slab() { retire(); }

  // A message whose body is `size` (<= max_slice) uninitialised bytes in the current block.
  // When it lacks room, a new block starts, sized for the frames in `expected` octets of
  // input (what the caller knows has arrived), at most max_block. Throws std::bad_alloc.
  message carve(std::size_t size, std::size_t expected);
  // Lets go of the current block: it is freed with the last slice carved from it.
  void retire() noexcept;

 private:
  static constexpr std::uint32_t charge = std::uint32_t{1} << 30;

  message_content* block_ = nullptr;
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
  std::uint32_t carved_ = 0;
};

}  // namespace ringmq::detail
