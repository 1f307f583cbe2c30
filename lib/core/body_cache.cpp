#include "core/body_cache.hpp"

#include <array>
#include <cstdlib>
#include <mutex>

namespace ringmq::detail::body_cache {

namespace {

struct cache {
  struct entry {
    void* block;
    std::size_t capacity;
  };
  static constexpr std::size_t slots = max_bytes / min_block;

  std::mutex mutex;
  std::array<entry, slots> entries{};
  std::size_t count = 0;
  std::size_t bytes = 0;
};

cache& instance() {
  // Never destroyed: a message may be released by another static's destructor at exit.
  static cache* const c = new cache;
  return *c;
}

}  // namespace

void* take(std::size_t size, std::size_t& capacity) noexcept {
  if (!enabled || size < min_block || size > max_block) return nullptr;
  cache& c = instance();
  std::lock_guard lock(c.mutex);
  for (std::size_t i = c.count; i-- > 0;) {  // newest first: likely still in the CPU cache
    const cache::entry e = c.entries[i];
    if (e.capacity < size || e.capacity / 2 >= size) continue;
    c.entries[i] = c.entries[--c.count];
    c.bytes -= e.capacity;
    capacity = e.capacity;
    return e.block;
  }
  return nullptr;
}

void give(void* block, std::size_t capacity) noexcept {
  if (enabled && capacity >= min_block && capacity <= max_block) {
    cache& c = instance();
    std::lock_guard lock(c.mutex);
    if (c.count < cache::slots && c.bytes + capacity <= max_bytes) {
      c.entries[c.count++] = {block, capacity};
      c.bytes += capacity;
      return;
    }
  }
  std::free(block);
}

}  // namespace ringmq::detail::body_cache
