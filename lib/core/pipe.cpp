#include "core/pipe.hpp"

#include "core/message_access.hpp"

namespace ringmq::detail {

bool pipe::has_credit() noexcept {
  const std::int64_t limit = hwm_.load(std::memory_order_relaxed);
  if (limit <= 0) return true;
  if (written_ - read_shared_.load(std::memory_order_acquire) < limit) return true;
  // Register as waiting, then look again: seq_cst on both sides guarantees that either we
  // see the reader's new count or the reader sees our flag (see read()).
  writer_waiting_.store(true, std::memory_order_seq_cst);
  if (written_ - read_shared_.load(std::memory_order_seq_cst) < limit) {
    writer_waiting_.store(false, std::memory_order_relaxed);
    return true;
  }
  return false;
}

void pipe::write(message&& frame, bool more) {
  // The reader learns "more parts follow" from the frame itself.
  message_access::set(frame, message_access::more, more);
  if (!more) ++written_;
  queue_.write(std::move(frame), more);
}

int pipe::rollback() noexcept {
  int dropped = 0;
  message frame;
  while (queue_.unwrite(frame)) {
    frame.reset();
    ++dropped;
  }
  return dropped;
}

bool pipe::read(message& frame, bool& credit_returned) {
  credit_returned = false;
  if (!queue_.read(frame)) return false;
  if (message_access::has(frame, message_access::more)) return true;
  ++read_;
  const std::int64_t limit = hwm_.load(std::memory_order_relaxed);
  // Return credit every lwm = (hwm + 1) / 2 messages. A waiting writer is at the limit, so
  // at least lwm unread messages stand between it and us: it is always answered here.
  const std::int64_t lwm = limit <= 0 ? 1024 : (limit + 1) / 2;
  if (read_ - read_published_ >= lwm) {
    read_published_ = read_;
    read_shared_.store(read_, std::memory_order_seq_cst);
    credit_returned = writer_waiting_.exchange(false, std::memory_order_seq_cst);
  }
  return true;
}

}  // namespace ringmq::detail
