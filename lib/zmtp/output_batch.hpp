// output_batch: the bytes a connection waits to write, as a list of iovecs for writev /
// sendmsg / io_uring. Small pieces (frame headers, greeting, commands, bodies up to
// copy_threshold) are copied into pooled chunks, merging neighbours into one iovec; larger
// bodies are kept as references to their messages, never copied. After a partial write,
// consume(n) drops what the kernel took; emptied chunks go back to a small pool.
//
// Memory of a connection that never gets past its greeting (issue 15: a silent connection
// must not cost more than with libzmq): a new or trimmed batch holds nothing, and its first
// chunk is a small one (first_chunk_size), enough for a greeting and a handshake command.
// Full chunks come when more is written, and only they are pooled.
//
// Not synchronised: the transport guards each connection's batch with its output lock
// (connection.hpp explains who writes into it).
#pragma once

#include "zmtp/wire.hpp"

#include <ringmq/message.hpp>

#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

namespace ringmq::zmtp {

class output_batch {
 public:
  static constexpr std::size_t chunk_size = 8192;
  // The first chunk's size: a greeting (64 octets) and a READY or HELLO fit.
  static constexpr std::size_t first_chunk_size = 256;
  // Bodies up to this size are copied; larger ones are referenced.
  static constexpr std::size_t copy_threshold = 512;
  // iovecs() returns at most this many entries (Linux IOV_MAX); the rest follow later.
  static constexpr std::size_t max_iovecs = 1024;

  // soft_limit: full() turns true at this many pending octets; the transport stops moving
  // traffic into the batch until the kernel took some (bounded growth). The connection
  // also skips optional control frames (PING, PONG) while full.
  explicit output_batch(std::size_t soft_limit = std::size_t{256} * 1024, std::size_t max_spare_chunks = 4);
  output_batch(const output_batch&) = delete;
  output_batch& operator=(const output_batch&) = delete;
  // Movable (a session swaps the batch it fills with the one being sent): chunks and the
  // referenced bodies stay where they are, so iovecs() taken before a move stay valid.
  output_batch(output_batch&&) noexcept = default;
  output_batch& operator=(output_batch&&) noexcept = default;
  ~output_batch();

  // Copies `data`.
  void append_copy(bytes data);
  // Queues a frame body: copied when small, else kept alive and referenced (zero copy).
  void append_body(message&& body);

  // The pending octets in order, at most max_iovecs entries. Valid until the next call of
  // any non-const member.
  std::span<const iovec> iovecs();
  // Drops the first n pending octets (n <= size()) after the kernel took them.
  void consume(std::size_t n);
  void clear();
  // Frees the memory an empty batch holds (chunks, spares, bookkeeping); the next write
  // starts again with a small chunk. For a connection that is waiting, e.g. for its peer's
  // greeting: while it waits it holds no output memory. Does nothing when not empty.
  void trim() noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool full() const noexcept { return size_ >= soft_limit_; }
  // Chunks allocated (in use and spare), for tests of the pool's bounds.
  [[nodiscard]] std::size_t chunks_allocated() const noexcept { return chunks_.size() + spare_.size(); }
  // Octets of chunk memory held (in use and spare), for tests of what a waiting connection costs.
  [[nodiscard]] std::size_t chunk_bytes() const noexcept;

 private:
  struct chunk {
    std::unique_ptr<std::byte[]> mem;
    std::size_t capacity = 0;  // chunk_size, or first_chunk_size for a batch's first one
    std::size_t used = 0;      // octets written
    std::size_t freed = 0;     // octets consumed
  };
  struct segment {
    const std::byte* data = nullptr;
    std::size_t size = 0;
    chunk* owner = nullptr;  // copied octets live in this chunk
    message body;            // referenced body (owner == nullptr); its octets do not move with it
  };

  // Takes a spare (or a new) chunk as the one copies go into.
  chunk& new_write_chunk();
  void release_front();
  void recycle(chunk* c);

  std::size_t soft_limit_;
  std::size_t max_spare_;
  std::size_t size_ = 0;
  // Vectors rather than deques: an empty std::deque allocates ~600 octets up front.
  // segments_[head_] is the first pending segment; the consumed ones before it are dropped
  // when the batch empties, or in bulk once they are the larger part.
  std::vector<segment> segments_;
  std::size_t head_ = 0;
  std::size_t front_offset_ = 0;                // octets of segments_[head_] already consumed
  std::vector<std::unique_ptr<chunk>> chunks_;  // in write order; back() takes new copies
  chunk* write_chunk_ = nullptr;                // chunks_.back(), null when there is none
  std::vector<std::unique_ptr<chunk>> spare_;   // full-size chunks only
  std::vector<iovec> iov_;
  bool iov_dirty_ = true;
  bool first_chunk_made_ = false;
};

}  // namespace ringmq::zmtp
