// body_cache: a few recently freed large message bodies, kept for the next allocation.
//
// Large bodies are allocated on one thread (an I/O thread decoding, an application thread
// building) and freed on another. With glibc that pattern trims the freeing arena's heap
// (madvise, a TLB shoot-down on every core) and page-faults it back in on the next
// allocation: measured on 64 KiB tcp messages, that churn costs about a third of the
// throughput. Bodies between `min_block` and `max_block` bytes go back through this cache,
// which holds at most `max_bytes` in total; everything else goes straight to malloc/free.
#pragma once

#include <cstddef>

namespace ringmq::detail::body_cache {

// Off under AddressSanitizer: every body is really freed, so a use after release is caught.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool enabled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool enabled = false;
#else
inline constexpr bool enabled = true;
#endif
#else
inline constexpr bool enabled = true;
#endif

inline constexpr std::size_t min_block = 16 * 1024;
inline constexpr std::size_t max_block = 1024 * 1024;
inline constexpr std::size_t max_bytes = 4 * 1024 * 1024;

// A block of at least `size` bytes (and less than twice that), its capacity in `capacity`;
// nullptr if none is cached. Any thread.
[[nodiscard]] void* take(std::size_t size, std::size_t& capacity) noexcept;
// Keeps `block` (from take() or malloc, `capacity` bytes) for a later take(), or frees it.
// Any thread.
void give(void* block, std::size_t capacity) noexcept;

}  // namespace ringmq::detail::body_cache
