#include "core/pipe.hpp"

namespace ringmq::detail {

bool pipe::wait_for_credit(std::int64_t limit) noexcept {
  // Register as waiting, then look again: seq_cst on both sides guarantees that either we
  // see the reader's new count or the reader sees our flag (see read()).
  writer_waiting_.store(true, std::memory_order_seq_cst);
  if (written_ - read_shared_.load(std::memory_order_seq_cst) < limit) {
    writer_waiting_.store(false, std::memory_order_relaxed);
    return true;
  }
  return false;
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

bool pipe::return_credit() noexcept {
  read_published_ = read_;
  read_shared_.store(read_, std::memory_order_seq_cst);
  return writer_waiting_.exchange(false, std::memory_order_seq_cst);
}

}  // namespace ringmq::detail
