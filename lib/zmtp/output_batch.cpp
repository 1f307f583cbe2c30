#include "zmtp/output_batch.hpp"

#include "core/invariant.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace ringmq::zmtp {

static_assert(output_batch::copy_threshold >= message::inline_capacity,
              "inline bodies live inside the message object and must be copied");

output_batch::output_batch(std::size_t soft_limit, std::size_t max_spare_chunks)
    : soft_limit_(soft_limit), max_spare_(max_spare_chunks) {}

output_batch::~output_batch() = default;

output_batch::chunk& output_batch::new_write_chunk() {
  std::unique_ptr<chunk> c;
  if (!spare_.empty()) {
    c = std::move(spare_.back());
    spare_.pop_back();
  } else {
    const std::size_t capacity = std::exchange(first_chunk_made_, true) ? chunk_size : first_chunk_size;
    c = std::make_unique<chunk>();
    c->mem = std::make_unique_for_overwrite<std::byte[]>(capacity);  // no zeroing
    c->capacity = capacity;
  }
  write_chunk_ = c.get();
  chunks_.push_back(std::move(c));
  return *write_chunk_;
}

void output_batch::append_copy(bytes data) {
  while (!data.empty()) {
    chunk& c = (write_chunk_ != nullptr && write_chunk_->used != write_chunk_->capacity) ? *write_chunk_
                                                                                         : new_write_chunk();
    const std::size_t n = std::min(data.size(), c.capacity - c.used);
    std::byte* dst = c.mem.get() + c.used;
    std::memcpy(dst, data.data(), n);
    c.used += n;
    size_ += n;
    data = data.subspan(n);
    // Contiguous with the previous copy in the same chunk: one iovec. (A non-empty
    // segments_ always has a pending segment at the back: consume() empties it with the batch.)
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
  // The body is external (above inline_capacity): its octets stay where they are when the
  // vector moves the segment, so `data` stays valid while the segment lives.
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
    const auto end = segments_.end();
    for (auto it = segments_.begin() + static_cast<std::ptrdiff_t>(head_);
         it != end && iov_.size() < max_iovecs; ++it) {
      const segment& s = *it;
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
  chunks_.erase(chunks_.begin());  // a few dozen pointers at most (soft_limit / chunk_size)
  // A small first chunk is not kept: the chunks that follow it are full-size.
  if (done->capacity == chunk_size && spare_.size() < max_spare_) {
    done->used = done->freed = 0;
    spare_.push_back(std::move(done));
  }
}

void output_batch::release_front() {
  segment& s = segments_[head_];
  chunk* owner = s.owner;
  const std::size_t n = s.size;
  s.body = message();  // drops a referenced body (its free callback may run here)
  ++head_;
  front_offset_ = 0;
  if (owner != nullptr) {
    owner->freed += n;
    if (owner->freed == owner->used) recycle(owner);
  }
}

void output_batch::consume(std::size_t n) {
  RINGMQ_INVARIANT(n <= size_, "consumed more octets than the batch holds");
  size_ -= n;
  while (n > 0) {
    const std::size_t left = segments_[head_].size - front_offset_;
    if (n < left) {
      front_offset_ += n;
      break;
    }
    n -= left;
    release_front();
  }
  // Empty segments cannot exist (appends of nothing add none), so nothing else to drop.
  if (head_ == segments_.size()) {
    segments_.clear();  // keeps the capacity
    head_ = 0;
  } else if (head_ >= 64 && 2 * head_ >= segments_.size()) {
    // A batch that never empties (every write partial): the consumed prefix would grow
    // without bound. Dropping it when it is the larger part keeps the cost per segment constant.
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  iov_dirty_ = true;
}

std::size_t output_batch::chunk_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& c : chunks_) n += c->capacity;
  for (const auto& c : spare_) n += c->capacity;
  return n;
}

void output_batch::trim() noexcept {
  if (size_ != 0) return;
  segments_ = decltype(segments_)();  // assigning from an empty one frees the storage
  head_ = 0;
  chunks_ = decltype(chunks_)();
  write_chunk_ = nullptr;
  spare_ = decltype(spare_)();
  iov_ = decltype(iov_)();
  iov_dirty_ = true;
  first_chunk_made_ = false;
}

void output_batch::clear() {
  while (head_ < segments_.size()) release_front();
  segments_.clear();
  head_ = 0;
  front_offset_ = 0;
  size_ = 0;
  iov_dirty_ = true;
}

}  // namespace ringmq::zmtp
