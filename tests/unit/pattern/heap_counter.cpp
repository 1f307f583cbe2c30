// The replacement operators: each block carries the size it was asked for in a header in
// front of it, so that unsized deletes can subtract what their new added.
#include "heap_counter.hpp"

#include "pattern/pubsub/prefix_tree.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace ringmq::detail {
namespace {

// Keeps the block that follows it aligned as malloc's.
constexpr std::size_t header = alignof(std::max_align_t);
std::atomic<std::size_t> in_use{0};

void* allocate(std::size_t n) {
  void* raw = std::malloc(n + header);
  if (raw == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(raw) = n;
  // relaxed: a plain counter, read by the thread that did the allocations.
  in_use.fetch_add(heap_block_bytes(n), std::memory_order_relaxed);
  return static_cast<char*>(raw) + header;
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  void* raw = static_cast<char*>(p) - header;
  in_use.fetch_sub(heap_block_bytes(*static_cast<std::size_t*>(raw)), std::memory_order_relaxed);
  std::free(raw);
}

}  // namespace

std::size_t heap_in_use() noexcept { return in_use.load(std::memory_order_relaxed); }

}  // namespace ringmq::detail

void* operator new(std::size_t n) { return ringmq::detail::allocate(n); }
void* operator new[](std::size_t n) { return ringmq::detail::allocate(n); }
void operator delete(void* p) noexcept { ringmq::detail::release(p); }
void operator delete[](void* p) noexcept { ringmq::detail::release(p); }
void operator delete(void* p, std::size_t) noexcept { ringmq::detail::release(p); }
void operator delete[](void* p, std::size_t) noexcept { ringmq::detail::release(p); }
