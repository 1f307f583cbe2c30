#include "io/send_cursor.hpp"

#include "core/invariant.hpp"

#include <limits.h>

#include <algorithm>

namespace ringmq::detail::io {

void send_cursor::start(std::span<const iovec> bytes) noexcept {
  bytes_ = bytes;
  index_ = 0;
  offset_ = 0;
  sent_ = 0;
  total_ = 0;
  for (const iovec& v : bytes) total_ += v.iov_len;
  skip_empty();
}

std::span<const iovec> send_cursor::next() {
  const std::size_t count = std::min<std::size_t>(bytes_.size() - index_, IOV_MAX);
  if (offset_ == 0) return bytes_.subspan(index_, count);
  scratch_.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(index_),
                  bytes_.begin() + static_cast<std::ptrdiff_t>(index_ + count));
  scratch_.front().iov_base = static_cast<std::byte*>(scratch_.front().iov_base) + offset_;
  scratch_.front().iov_len -= offset_;
  return scratch_;
}

void send_cursor::advance(std::size_t n) noexcept {
  RINGMQ_INVARIANT(n <= total_ - sent_, "send_cursor advanced past the end");
  sent_ += n;
  while (n > 0) {
    const std::size_t left = bytes_[index_].iov_len - offset_;
    if (n < left) {
      offset_ += n;
      return;
    }
    n -= left;
    ++index_;
    offset_ = 0;
  }
  skip_empty();
}

void send_cursor::skip_empty() noexcept {
  while (index_ < bytes_.size() && offset_ == 0 && bytes_[index_].iov_len == 0) ++index_;
}

}  // namespace ringmq::detail::io
