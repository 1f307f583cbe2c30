// output_batch: the bytes a connection waits to write, as a list of iovecs for writev /
// sendmsg / io_uring. Small pieces (frame headers, greeting, commands, bodies up to
// copy_threshold) are copied into pooled chunks, merging neighbours into one iovec; larger
// bodies are kept as references to their messages, never copied. After a partial write,
// consume(n) drops what the kernel took; emptied chunks go back to a small pool.
//
// Not synchronised: the transport guards each connection's batch with its output lock
// (connection.hpp explains who writes into it).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <ringmq/message.hpp>
#include <span>
#include <vector>

#include "zmtp/wire.hpp"

namespace ringmq::zmtp {

class output_batch {
 public:
  static constexpr std::size_t chunk_size = 8192;
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

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool full() const noexcept { return size_ >= soft_limit_; }
  // Chunks allocated (in use and spare), for tests of the pool's bounds.
  [[nodiscard]] std::size_t chunks_allocated() const noexcept { return chunks_.size() + spare_.size(); }

 private:
  struct chunk {
    std::unique_ptr<std::byte[]> mem;
    std::size_t used = 0;   // octets written
    std::size_t freed = 0;  // octets consumed
  };
  struct segment {
    const std::byte* data = nullptr;
    std::size_t size = 0;
    chunk* owner = nullptr;  // copied octets live in this chunk
    message body;            // referenced body (owner == nullptr)
  };

  chunk& writable_chunk();
  void release_front();
  void recycle(chunk* c);

  std::size_t soft_limit_;
  std::size_t max_spare_;
  std::size_t size_ = 0;
  std::size_t front_offset_ = 0;  // octets of segments_.front() already consumed
  std::deque<segment> segments_;
  std::deque<std::unique_ptr<chunk>> chunks_;  // in write order; back() takes new copies
  std::vector<std::unique_ptr<chunk>> spare_;
  std::vector<iovec> iov_;
  bool iov_dirty_ = true;
};

}  // namespace ringmq::zmtp
