#include "core/message_slab.hpp"

#include "core/message_access.hpp"

#include <algorithm>
#include <new>

namespace ringmq::detail {

namespace {

constexpr std::size_t slice_alignment = alignof(message_content);

// Room a slice of `size` bytes takes: its header, its bytes, padding to the next header.
constexpr std::size_t footprint(std::size_t size) {
  return (sizeof(message_content) + size + slice_alignment - 1) & ~(slice_alignment - 1);
}

}  // namespace

message message_slab::carve(std::size_t size, std::size_t expected) {
  const std::size_t need = footprint(size);
  if (block_ == nullptr || static_cast<std::size_t>(end_ - next_) < need) {
    retire();
    // A slice takes at most twice the octets its frame had on the wire (a 49-octet body:
    // 51 octets framed, 88 carved), so `expected` octets of input fit in twice that.
    const std::size_t room = std::clamp(2 * expected, need, max_block - sizeof(message_content));
    std::byte* data = nullptr;
    block_ = allocate_owned_content(room, data);
    block_->refs.store(charge, std::memory_order_relaxed);  // not shared yet
    next_ = data;
    end_ = data + room;
    carved_ = 0;
  }
  auto* slice = new (next_) message_content{{1}, nullptr, block_, 0};
  next_ += need;
  ++carved_;
  message m;
  message_access::adopt(m, slice, reinterpret_cast<std::byte*>(slice + 1), size);
  return m;
}

void message_slab::retire() noexcept {
  if (block_ == nullptr) return;
  release_content(block_, nullptr, charge - carved_);
  block_ = nullptr;
  next_ = end_ = nullptr;
}

}  // namespace ringmq::detail
