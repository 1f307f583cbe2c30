#include "core/large_block_pool.hpp"

#include <pthread.h>
#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace ringmq::detail {

large_block_pool::~large_block_pool() {
  // With every block back, each region is idle (a region left with none is idle or gone).
  while (idle_ != nullptr) ::munmap(std::exchange(idle_, idle_->next), region_size);
}

large_block_pool& large_block_pool::process_wide() {
  static large_block_pool* const pool = [] {
    auto* p = new large_block_pool;
    // As glibc does for malloc: fork() while another thread holds the mutex would leave the
    // child's copy locked for good. The forking thread takes it first and both sides let go.
    ::pthread_atfork([] { process_wide().mutex_.lock(); }, [] { process_wide().mutex_.unlock(); },
                     [] { process_wide().mutex_.unlock(); });
    return p;
  }();
  return *pool;
}

std::int64_t large_block_pool::monotonic_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void large_block_pool::note_in_use() noexcept {
  const std::int64_t now = now_();
  if (now - window_start_ >= window) {
    peak_before_ = now - window_start_ < 2 * window ? peak_ : 0;
    peak_ = 0;
    window_start_ = now;
  }
  peak_ = std::max(peak_, mapped_ - idle_count_);
}

large_block_pool::region* large_block_pool::map_region() {
  // Twice the size, then trimmed to an aligned region: region_of finds a block's header by
  // rounding its address down.
  const std::size_t span = 2 * region_size;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  // Offsets are computed on the address, the pointers derived from `raw` (an integer turned
  // back into a pointer would lose its provenance and pessimise alias analysis).
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + region_size - 1) & region_mask;
  std::byte* const base = static_cast<std::byte*>(raw) + (aligned - start);
  if (aligned > start) ::munmap(raw, aligned - start);
  if (const std::uintptr_t tail = start + span - (aligned + region_size); tail > 0)
    ::munmap(base + region_size, tail);
  // Not advised MADV_HUGEPAGE: a region of one huge page is zeroed whole on first touch,
  // and in-process (inproc) streams touch only each block's header page, so the pool's
  // start-up cost grew 16-fold (inproc 64 KiB throughput fell from 1.2 M to 0.25-0.8 M
  // msg/s) while ipc 64 KiB gained nothing measurable over 4 KiB pages.
  return new (base) region;
}

large_block_pool::region* large_block_pool::region_of(void* block) noexcept {
  // Round down by stepping back the address's offset within its region.
  std::byte* const b = static_cast<std::byte*>(block);
  return reinterpret_cast<region*>(b - (reinterpret_cast<std::uintptr_t>(block) & ~region_mask));
}

void large_block_pool::unlink(region& r) noexcept {
  if (r.prev != nullptr)
    r.prev->next = r.next;
  else
    open_[r.size_class] = r.next;
  if (r.next != nullptr) r.next->prev = r.prev;
  r.prev = r.next = nullptr;
}

void large_block_pool::push_front(region& r) noexcept {
  region*& head = open_[r.size_class];
  r.prev = nullptr;
  r.next = head;
  if (head != nullptr) head->prev = &r;
  head = &r;
}

void* large_block_pool::take_block(region& r) noexcept {
  // Freed blocks first, newest first: likely still in a CPU cache.
  const std::uint32_t index = r.free_count > 0 ? r.free_blocks[--r.free_count] : r.carved++;
  if (++r.live == r.blocks) unlink(r);  // full
  return reinterpret_cast<std::byte*>(&r) + page * (1 + std::size_t{index} * r.block_pages);
}

void* large_block_pool::allocate(std::size_t size, std::size_t& capacity) {
  if (size < min_block || size > max_block) return nullptr;
  const auto fit = std::lower_bound(class_pages.begin(), class_pages.end(), (size + page - 1) / page);
  const auto size_class = static_cast<std::uint32_t>(fit - class_pages.begin());
  const std::uint32_t pages = *fit;
  capacity = std::size_t{pages} * page;
  std::unique_lock lock(mutex_);
  if (region* r = open_[size_class]) return take_block(*r);
  region* r = idle_;
  if (r != nullptr) {
    idle_ = r->next;
    --idle_count_;
  } else {
    lock.unlock();  // mapping is a few system calls: not under the lock
    r = map_region();
    lock.lock();
    ++mapped_;
  }
  note_in_use();
  r->size_class = size_class;
  r->block_pages = pages;
  r->blocks = static_cast<std::uint32_t>((region_pages - 1) / pages);
  r->carved = r->live = r->free_count = 0;
  push_front(*r);
  return take_block(*r);
}

bool large_block_pool::deallocate(void* block, std::size_t capacity) noexcept {
  if (capacity < min_block || capacity > max_block) return false;
  region& r = *region_of(block);
  const auto offset =
      static_cast<std::size_t>(static_cast<std::byte*>(block) - reinterpret_cast<std::byte*>(&r));
  const auto index = static_cast<std::uint16_t>((offset / page - 1) / r.block_pages);
  region* unmap = nullptr;  // a list, through next
  {
    std::lock_guard lock(mutex_);
    const bool was_full = r.live == r.blocks;
    r.free_blocks[r.free_count++] = index;
    if (--r.live > 0) {
      if (was_full) push_front(r);
      return true;
    }
    if (!was_full) unlink(r);
    r.next = idle_;
    idle_ = &r;
    ++idle_count_;
    note_in_use();
    // Enough for use to climb back to the recent peak without mapping (note_in_use made the
    // peak at least what is in use now).
    const std::size_t headroom = std::max(peak_, peak_before_) - (mapped_ - idle_count_);
    const std::size_t keep = std::clamp(headroom, min_idle_, std::max(min_idle_, max_idle_));
    while (idle_count_ > keep) {
      region* gone = std::exchange(idle_, idle_->next);
      gone->next = unmap;
      unmap = gone;
      --idle_count_;
      --mapped_;
    }
  }
  while (unmap != nullptr) ::munmap(std::exchange(unmap, unmap->next), region_size);
  return true;
}

std::size_t large_block_pool::regions_mapped() const {
  std::lock_guard lock(mutex_);
  return mapped_;
}

std::size_t large_block_pool::idle_regions() const {
  std::lock_guard lock(mutex_);
  return idle_count_;
}

}  // namespace ringmq::detail
