// secure_memory: where the security layer keeps secrets (long-term and transient secret
// keys, session keys, cookie keys). docs/wire-and-security.md "Secrets": secrets live in
// memory from sodium_malloc (guard pages, mlock'd, excluded from core dumps) and are wiped
// with sodium_memzero as soon as they are released.
//
// sodium_malloc costs an mmap, three mprotects and an mlock per call and at least four
// pages of address space; one per connection would let 16,000 unauthenticated connections
// exhaust vm.max_map_count. So blocks come from a process-wide pool of sodium_malloc'd
// chunks: a connection holds one small block, recycled (wiped) when it ends. The pool grows
// with the peak number of live mechanisms and keeps its chunks.
//
// Threads: any; the pool is guarded by a mutex (taken once per mechanism, never per message).
#pragma once

#include <cstddef>

namespace ringmq::security {

// Initialises libsodium once (thread-safe); aborts if it cannot (no usable randomness).
void ensure_sodium() noexcept;

// One block of secret_block::size bytes of sodium-allocated memory, zeroed on allocation and
// wiped on release. Move-only; an empty (moved-from) block has data() == nullptr.
class secret_block {
 public:
  static constexpr std::size_t size = 128;  // four 32-byte keys
  static constexpr std::size_t key_size = 32;

  // Throws std::bad_alloc when the pool cannot grow.
  secret_block();
  ~secret_block();
  secret_block(secret_block&& other) noexcept : p_(other.p_) { other.p_ = nullptr; }
  secret_block& operator=(secret_block&& other) noexcept;
  secret_block(const secret_block&) = delete;
  secret_block& operator=(const secret_block&) = delete;

  [[nodiscard]] unsigned char* data() noexcept { return p_; }
  [[nodiscard]] const unsigned char* data() const noexcept { return p_; }
  // The i-th 32-byte key slot (i < 4).
  [[nodiscard]] unsigned char* key(std::size_t i) noexcept { return p_ + i * key_size; }
  [[nodiscard]] const unsigned char* key(std::size_t i) const noexcept { return p_ + i * key_size; }
  // Wipes slot i now (a key that is no longer needed, e.g. a transient secret key once the
  // session key is derived).
  void wipe(std::size_t i) noexcept;

 private:
  void release() noexcept;
  unsigned char* p_ = nullptr;
};

// Statistics of the pool, for tests and the memory report.
struct secure_pool_stats {
  std::size_t chunks = 0;       // sodium_malloc'd chunks
  std::size_t chunk_bytes = 0;  // bytes per chunk
  std::size_t blocks_in_use = 0;
};
secure_pool_stats secure_pool_statistics() noexcept;

// Wipes `n` bytes at `p` in a way the compiler cannot elide (sodium_memzero).
void wipe(void* p, std::size_t n) noexcept;
// Constant-time comparison of two `n`-byte buffers (sodium_memcmp): true if equal.
bool equal_ct(const void* a, const void* b, std::size_t n) noexcept;

}  // namespace ringmq::security
