#include "zmtp/output_batch.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ringmq::zmtp {

static_assert(output_batch::copy_threshold >= message::inline_capacity,
              "inline bodies live inside the message object and must be copied");

output_batch::output_batch(std::size_t soft_limit, std::size_t max_spare_chunks)
    : soft_limit_(soft_limit), max_spare_(max_spare_chunks) {}

output_batch::~output_batch() = default;

output_batch::chunk& output_batch::writable_chunk() {
  if (chunks_.empty() || chunks_.back()->used == chunk_size) {
    std::unique_ptr<chunk> c;
    if (!spare_.empty()) {
      c = std::move(spare_.back());
      spare_.pop_back();
    } else {
      c = std::make_unique<chunk>();
      c->mem = std::make_unique_for_overwrite<std::byte[]>(chunk_size);  // no zeroing
    }
    chunks_.push_back(std::move(c));
  }
  return *chunks_.back();
}

void output_batch::append_copy(bytes data) {
  while (!data.empty()) {
    chunk& c = writable_chunk();
    const std::size_t n = std::min(data.size(), chunk_size - c.used);
    std::byte* dst = c.mem.get() + c.used;
    std::memcpy(dst, data.data(), n);
    c.used += n;
    size_ += n;
    data = data.subspan(n);
    // Contiguous with the previous copy in the same chunk: one iovec.
    if (!segments_.empty()) {
      segment& last = segments_.back();
      if (last.owner == &c && last.data + last.size == dst) {
        last.size += n;
        continue;
      }
    }
    segments_.push_back(segment{dst, n, &c, message()});
  }
  iov_dirty_ = true;
}

void output_batch::append_body(message&& body) {
  if (body.size() <= copy_threshold) {
    append_copy(body.bytes());
    return;
  }
  // The deque never moves its elements on push_back / pop_front, and the body is external
  // (above inline_capacity), so the pointer stays valid while the segment lives.
  segments_.push_back(segment{nullptr, 0, nullptr, std::move(body)});
  segment& s = segments_.back();
  s.data = static_cast<const std::byte*>(s.body.data());
  s.size = s.body.size();
  size_ += s.size;
  iov_dirty_ = true;
}

std::span<const iovec> output_batch::iovecs() {
  if (iov_dirty_) {
    iov_.clear();
    std::size_t offset = front_offset_;
    for (const segment& s : segments_) {
      if (iov_.size() == max_iovecs) break;
      iov_.push_back(iovec{const_cast<std::byte*>(s.data + offset), s.size - offset});
      offset = 0;
    }
    iov_dirty_ = false;
  }
  return iov_;
}

void output_batch::recycle(chunk* c) {
  // Copies are consumed in the order they were written, so an emptied chunk is the oldest.
  if (chunks_.empty() || chunks_.front().get() != c) return;
  if (chunks_.size() == 1) {
    c->used = c->freed = 0;  // the write chunk itself: reuse it in place
    return;
  }
  std::unique_ptr<chunk> done = std::move(chunks_.front());
  chunks_.pop_front();
  if (spare_.size() < max_spare_) {
    done->used = done->freed = 0;
    spare_.push_back(std::move(done));
  }
}

void output_batch::release_front() {
  segment& s = segments_.front();
  chunk* owner = s.owner;
  const std::size_t n = s.size;
  segments_.pop_front();  // drops a referenced body (its free callback may run here)
  front_offset_ = 0;
  if (owner != nullptr) {
    owner->freed += n;
    if (owner->freed == owner->used) recycle(owner);
  }
}

void output_batch::consume(std::size_t n) {
  assert(n <= size_);
  n = std::min(n, size_);
  size_ -= n;
  while (n > 0) {
    const std::size_t left = segments_.front().size - front_offset_;
    if (n < left) {
      front_offset_ += n;
      break;
    }
    n -= left;
    release_front();
  }
  // Empty segments cannot exist (appends of nothing add none), so nothing else to drop.
  iov_dirty_ = true;
}

void output_batch::clear() {
  while (!segments_.empty()) release_front();
  size_ = 0;
  iov_dirty_ = true;
}

}  // namespace ringmq::zmtp
