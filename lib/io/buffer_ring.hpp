// buffer_ring: a provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux 5.19) from which
// multishot receives pick their buffers. liburing 2.3 has no io_uring_setup_buf_ring
// (added in 2.4), so the ring is set up by hand: an anonymous mapping for the ring of
// io_uring_buf entries, registered with the io_uring, then filled with every buffer.
//
// A buffer leaves the ring when the kernel completes a receive into it and comes back with
// recycle(); recycled buffers become visible to the kernel at publish(), which the loop
// calls before each time it enters the kernel (the kernel picks buffers only then: task
// work runs on the loop thread inside io_uring_enter).
//
// Owned by the loop thread.
#pragma once

#include <liburing.h>

#include <cstddef>
#include <cstdint>
#include <span>

namespace ringmq::detail::io {

class buffer_ring {
 public:
  buffer_ring() = default;
  buffer_ring(const buffer_ring&) = delete;
  buffer_ring& operator=(const buffer_ring&) = delete;
  ~buffer_ring();

  // Registers `count` buffers (a power of two, at most 32768) of `size` bytes as buffer
  // group `group` of `ring`. Returns 0 or a negative errno.
  int setup(io_uring& ring, std::uint16_t group, unsigned count, unsigned size);
  // Unregisters the group; call only when no receive can still pick from it.
  void unregister(io_uring& ring) noexcept;

  [[nodiscard]] std::uint16_t group() const noexcept { return group_; }
  [[nodiscard]] std::span<const std::byte> view(unsigned id, std::size_t len) const noexcept;
  // Gives buffer `id` back (it must have come out of the ring).
  void recycle(unsigned id) noexcept;
  // Makes recycled buffers visible to the kernel.
  void publish() noexcept;

 private:
  io_uring_buf_ring* ring_ = nullptr;
  std::size_t ring_bytes_ = 0;
  std::byte* memory_ = nullptr;
  std::size_t memory_bytes_ = 0;
  unsigned count_ = 0;
  unsigned size_ = 0;
  int pending_ = 0;  // recycled since the last publish
  std::uint16_t group_ = 0;
  bool registered_ = false;
};

}  // namespace ringmq::detail::io
