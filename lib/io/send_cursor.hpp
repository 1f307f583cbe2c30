// send_cursor: progress through the caller's iovec list during one io_loop::send. Sockets
// may take fewer bytes than offered (short sends) and refuse more than IOV_MAX entries per
// call, so a send is written as a series of sendmsg calls over what remains.
//
// The common case costs no copy: while the next byte starts an entry, next() points into
// the caller's array. Only a send resumed mid-entry copies the remaining entries (up to
// IOV_MAX) into a scratch array whose first entry is trimmed.
//
// Owned by the loop thread; the caller's array must outlive the send (io_loop contract).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <span>
#include <vector>

namespace ringmq::detail::io {

class send_cursor {
 public:
  // Starts a new send over `bytes`; zero-length entries are allowed anywhere.
  void start(std::span<const iovec> bytes) noexcept;
  // The entries for the next sendmsg (at most IOV_MAX); valid until the next advance/start.
  // Empty only when done().
  std::span<const iovec> next();
  // Records that the last sendmsg wrote `n` bytes (n <= what next() offered).
  void advance(std::size_t n) noexcept;

  [[nodiscard]] bool done() const noexcept { return sent_ == total_; }
  [[nodiscard]] std::size_t sent() const noexcept { return sent_; }
  [[nodiscard]] std::size_t total() const noexcept { return total_; }

 private:
  void skip_empty() noexcept;

  std::span<const iovec> bytes_;
  std::size_t index_ = 0;   // first entry not fully written
  std::size_t offset_ = 0;  // bytes of bytes_[index_] already written
  std::size_t sent_ = 0;
  std::size_t total_ = 0;
  std::vector<iovec> scratch_;
};

}  // namespace ringmq::detail::io
