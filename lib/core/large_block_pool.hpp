// large_block_pool: where message bodies of 16 KiB to 512 KiB live. Blocks are carved from
// 2 MiB regions, one region per size class; a freed block serves the next allocation of its
// class, newest first. The 21 classes take four steps per doubling, each a page above a
// multiple of a power of two (a 2^k-byte body comes with a small header), so a block wastes
// at most a fifth of itself and the regions held for partly used classes stay few.
//
// Why not malloc: bodies are allocated on one thread and freed on another, and a stream of
// large messages keeps up to SNDHWM of them queued (64 MiB at 64 KiB and the default HWM of
// 1000, swinging between half and all of it as the pipe returns credit). With glibc that
// trims the freeing arena's heap (madvise, a TLB shoot-down on every core) and faults the
// pages back in; here they stay mapped and are reused. ipc 64 KiB: about 15 % more msg/s.
//
// Any thread may allocate and deallocate; one mutex guards the pool (the process-wide pool's
// is held across fork(), as glibc's malloc locks are, so a child can use it). A region left
// holding no block stays mapped (idle, for any class) while the pool has used that many
// regions at once within the last one to two seconds (the peak of this `window` and the one
// before), at least `min_idle_regions` and at most `max_idle_regions`; the others are
// unmapped. A region mapped anew costs a page fault and the zeroing of each page it touches:
// a queue whose depth swings (a pipe returns credit every HWM/2 messages) or drains and
// refills would otherwise pay that again and again, and the time spent slows the sender,
// which lets the queue drain further.
// The clock is read only when a region turns idle or leaves the idle list. What a burst left
// idle is unmapped by the next such event a window or two later (so at most
// max_idle_regions stay mapped meanwhile).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace ringmq::detail {

// Under AddressSanitizer the process-wide pool is not used, so that LeakSanitizer still
// tracks every body and a use after release is caught.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool pool_large_bodies = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool pool_large_bodies = false;
#else
inline constexpr bool pool_large_bodies = true;
#endif
#else
inline constexpr bool pool_large_bodies = true;
#endif

class large_block_pool {
 public:
  static constexpr std::size_t page = 4096;
  static constexpr std::size_t region_size = std::size_t{2} * 1024 * 1024;
  static constexpr std::size_t min_block = std::size_t{16} * 1024;
  // The largest class: a 512 KiB body and its header. Blocks from malloc have capacities
  // outside [min_block, max_block], which is how deallocate tells them apart.
  static constexpr std::size_t max_block = 129 * page;

  using clock_fn = std::int64_t (*)() noexcept;  // nanoseconds, monotonic
  static constexpr std::int64_t window = 1'000'000'000;

  explicit large_block_pool(std::size_t min_idle_regions = 2, std::size_t max_idle_regions = 32,
                            clock_fn now = &monotonic_ns) noexcept
      : min_idle_(min_idle_regions), max_idle_(max_idle_regions), now_(now) {}
  large_block_pool(const large_block_pool&) = delete;
  large_block_pool& operator=(const large_block_pool&) = delete;
  // Unmaps every region; all blocks must have come back.
  ~large_block_pool();

  // The pool of the process, used for message bodies; never destroyed (a message may be
  // released by another static's destructor at exit).
  static large_block_pool& process_wide();

  // A block of at least `size` bytes, whose usable size goes to `capacity` (its class's
  // size); nullptr when `size` is outside [min_block, max_block]: use malloc.
  // Throws std::bad_alloc when no region can be mapped.
  [[nodiscard]] void* allocate(std::size_t size, std::size_t& capacity);
  // Takes back a block from allocate(), `capacity` as it reported. False (and nothing done)
  // when `capacity` is outside the pool's range: the block is not the pool's.
  bool deallocate(void* block, std::size_t capacity) noexcept;

  // For tests: regions mapped in all, and how many of them hold no block.
  [[nodiscard]] std::size_t regions_mapped() const;
  [[nodiscard]] std::size_t idle_regions() const;

 private:
  static constexpr std::size_t region_pages = region_size / page;
  static constexpr std::uintptr_t region_mask = ~(std::uintptr_t{region_size} - 1);
  static constexpr std::array<std::uint16_t, 21> class_pages{5,  6,  7,  8,  9,  11, 13, 15, 17,  21, 25,
                                                             29, 33, 41, 49, 57, 65, 81, 97, 113, 129};
  static_assert(class_pages.front() * page >= min_block && class_pages.back() * page == max_block);
  // The first page of each region holds its header; blocks follow.
  static constexpr std::size_t max_blocks_per_region = (region_pages - 1) / class_pages.front();

  struct region {
    region* prev = nullptr;        // in its size's list of regions with a free block
    region* next = nullptr;        // (or in the idle list, which uses next only)
    std::uint32_t size_class = 0;  // index into class_pages
    std::uint32_t block_pages = 0;
    std::uint32_t blocks = 0;  // blocks the region holds
    std::uint32_t carved = 0;  // blocks handed out at least once; the rest were never used
    std::uint32_t live = 0;    // blocks handed out now
    std::uint16_t free_count = 0;
    std::array<std::uint16_t, max_blocks_per_region> free_blocks{};  // indices, newest last
  };
  static_assert(sizeof(region) <= page);

  static std::int64_t monotonic_ns() noexcept;
  static region* map_region();
  // Regions in use changed (a region left or joined the idle list): updates the peaks.
  void note_in_use() noexcept;
  static region* region_of(void* block) noexcept;
  void* take_block(region& r) noexcept;
  void unlink(region& r) noexcept;
  void push_front(region& r) noexcept;

  mutable std::mutex mutex_;
  std::array<region*, class_pages.size()> open_{};  // by class: regions with a free block
  region* idle_ = nullptr;
  std::size_t idle_count_ = 0;
  std::size_t mapped_ = 0;
  std::size_t min_idle_;
  std::size_t max_idle_;
  clock_fn now_;
  std::int64_t window_start_ = 0;
  std::size_t peak_ = 0;         // most regions in use at once in this window
  std::size_t peak_before_ = 0;  // in the window before, if it ended less than a window ago
};

}  // namespace ringmq::detail
