#include "io/buffer_ring.hpp"

#include "core/invariant.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

namespace ringmq::detail::io {

namespace {
std::size_t round_to_pages(std::size_t bytes) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

void* map_anonymous(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}
}  // namespace

buffer_ring::~buffer_ring() {
  // The ring must be unregistered (or the io_uring closed) before the memory goes away.
  if (ring_ != nullptr) ::munmap(ring_, ring_bytes_);
  if (memory_ != nullptr) ::munmap(memory_, memory_bytes_);
}

int buffer_ring::setup(io_uring& ring, std::uint16_t group, unsigned count, unsigned size) {
  RINGMQ_INVARIANT(ring_ == nullptr, "buffer_ring set up twice");
  RINGMQ_INVARIANT(count > 0 && count <= 32768 && (count & (count - 1)) == 0,
                   "buffer count must be a power of two <= 32768");
  count_ = count;
  size_ = size;
  group_ = group;
  // The ring must be page-aligned (the kernel pins its pages); mmap guarantees it. The
  // buffers are plain memory, only touched when first received into.
  ring_bytes_ = round_to_pages(sizeof(io_uring_buf) * count);
  memory_bytes_ = round_to_pages(std::size_t{count} * size);
  ring_ = static_cast<io_uring_buf_ring*>(map_anonymous(ring_bytes_));
  memory_ = static_cast<std::byte*>(map_anonymous(memory_bytes_));
  if (ring_ == nullptr || memory_ == nullptr) return -ENOMEM;

  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uintptr_t>(ring_);
  reg.ring_entries = count;
  reg.bgid = group;
  if (const int rc = io_uring_register_buf_ring(&ring, &reg, 0); rc < 0) return rc;
  registered_ = true;

  io_uring_buf_ring_init(ring_);
  for (unsigned id = 0; id < count; ++id) recycle(id);
  publish();
  return 0;
}

void buffer_ring::unregister(io_uring& ring) noexcept {
  if (!registered_) return;
  io_uring_unregister_buf_ring(&ring, group_);
  registered_ = false;
}

std::span<const std::byte> buffer_ring::view(unsigned id, std::size_t len) const noexcept {
  RINGMQ_INVARIANT(id < count_ && len <= size_, "kernel reported a buffer outside the ring");
  return {memory_ + std::size_t{id} * size_, len};
}

void buffer_ring::recycle(unsigned id) noexcept {
  io_uring_buf_ring_add(ring_, memory_ + std::size_t{id} * size_, size_, static_cast<unsigned short>(id),
                        io_uring_buf_ring_mask(count_), pending_);
  ++pending_;
}

void buffer_ring::publish() noexcept {
  if (pending_ == 0) return;
  // io_uring_buf_ring_advance stores the new tail with release semantics, so the kernel,
  // which reads the tail with acquire, sees the entries written by recycle() before it.
  io_uring_buf_ring_advance(ring_, pending_);
  pending_ = 0;
}

}  // namespace ringmq::detail::io
