#include "security/secure_memory.hpp"

#include "core/invariant.hpp"

#include <sodium.h>

#include <mutex>
#include <new>
#include <vector>

namespace ringmq::security {

namespace {

// 64 KiB chunks: 512 blocks per sodium_malloc.
constexpr std::size_t chunk_bytes = std::size_t{64} * 1024;
constexpr std::size_t blocks_per_chunk = chunk_bytes / secret_block::size;

class pool {
 public:
  unsigned char* take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) grow();
    unsigned char* p = free_.back();
    free_.pop_back();
    ++in_use_;
    return p;
  }

  void give_back(unsigned char* p) noexcept {
    sodium_memzero(p, secret_block::size);
    std::lock_guard lock(mutex_);
    free_.push_back(p);  // capacity reserved in grow(): never allocates
    --in_use_;
  }

  secure_pool_stats stats() noexcept {
    std::lock_guard lock(mutex_);
    return {chunks_.size(), chunk_bytes, in_use_};
  }

 private:
  void grow() {
    auto* chunk = static_cast<unsigned char*>(sodium_malloc(chunk_bytes));
    if (chunk == nullptr) throw std::bad_alloc();
    try {
      chunks_.reserve(chunks_.size() + 1);
      free_.reserve((chunks_.size() + 1) * blocks_per_chunk);
    } catch (...) {
      sodium_free(chunk);
      throw;
    }
    // sodium_malloc fills with 0xdb: blocks start zeroed, as released ones are.
    sodium_memzero(chunk, chunk_bytes);
    chunks_.push_back(chunk);
    for (std::size_t i = blocks_per_chunk; i-- > 0;) free_.push_back(chunk + i * secret_block::size);
  }

  std::mutex mutex_;
  std::vector<unsigned char*> chunks_;  // never freed: reused for the process's life
  std::vector<unsigned char*> free_;
  std::size_t in_use_ = 0;
};

pool& the_pool() {
  // Leaked on purpose: mechanisms may be destroyed by I/O threads during static destruction.
  static pool* p = new pool;
  return *p;
}

}  // namespace

void ensure_sodium() noexcept {
  static const bool ok = sodium_init() >= 0;
  RINGMQ_INVARIANT(ok, "libsodium failed to initialise");
}

secret_block::secret_block() {
  ensure_sodium();
  p_ = the_pool().take();
}

secret_block::~secret_block() { release(); }

secret_block& secret_block::operator=(secret_block&& other) noexcept {
  if (this != &other) {
    release();
    p_ = other.p_;
    other.p_ = nullptr;
  }
  return *this;
}

void secret_block::wipe(std::size_t i) noexcept {
  if (p_ != nullptr) sodium_memzero(key(i), key_size);
}

void secret_block::release() noexcept {
  if (p_ != nullptr) the_pool().give_back(p_);
  p_ = nullptr;
}

secure_pool_stats secure_pool_statistics() noexcept { return the_pool().stats(); }

void wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) sodium_memzero(p, n);
}

bool equal_ct(const void* a, const void* b, std::size_t n) noexcept { return sodium_memcmp(a, b, n) == 0; }

}  // namespace ringmq::security
