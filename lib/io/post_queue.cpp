#include "io/post_queue.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ringmq::detail::io {

// Ordering argument for the sleep protocol. The poster does
//     posted_.fetch_add (seq_cst)   ...   sleeping_.load (seq_cst)
// and the loop does
//     sleeping_.store(true, seq_cst) ...  posted_.load (seq_cst)
// All four are seq_cst, so they sit in one total order that respects each thread's program
// order. If the loop's load of posted_ comes before the poster's increment, the loop's store
// of sleeping_ comes earlier still, so the poster's later load sees `true` and it signals;
// otherwise the loop's load sees the increment and it does not block. Either way a posted
// function never waits for an unrelated wake-up. (Acquire/release alone would allow both
// loads to read the old values: the store-load pattern needs seq_cst.) stop_ follows the
// same pattern.

post_queue::post_queue() : efd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (efd_ < 0) throw std::system_error(errno, std::generic_category(), "ringmq io: eventfd");
}

post_queue::~post_queue() { ::close(efd_); }

void post_queue::push(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(fn));
    // Incremented under the lock so that take() can read an exact count; seq_cst for the
    // sleep protocol above.
    posted_.fetch_add(1, std::memory_order_seq_cst);
  }
  wake_if_sleeping();
}

void post_queue::request_stop() noexcept {
  stop_.store(true, std::memory_order_seq_cst);
  wake_if_sleeping();
}

void post_queue::wake_if_sleeping() noexcept {
  if (!sleeping_.load(std::memory_order_seq_cst)) return;
  // Counted before the write so that the count is never behind the wake-up it explains.
  signaled_.fetch_add(1, std::memory_order_relaxed);
  // EAGAIN would mean the counter is at its maximum: the loop is signalled already.
  [[maybe_unused]] const int rc = ::eventfd_write(efd_, 1);
}

bool post_queue::has_work() const noexcept {
  // relaxed: this is only a hint for the busy loop; take() reads the items under the lock,
  // and a stale answer is corrected by the seq_cst re-check in prepare_sleep().
  return posted_.load(std::memory_order_relaxed) != taken_;
}

void post_queue::take(std::vector<std::function<void()>>& out) {
  out.clear();
  std::lock_guard lock(mutex_);
  out.swap(items_);
  // Under the lock posted_ counts exactly the items pushed, all of which are now taken.
  taken_ = posted_.load(std::memory_order_relaxed);
}

bool post_queue::prepare_sleep() noexcept {
  sleeping_.store(true, std::memory_order_seq_cst);
  if (posted_.load(std::memory_order_seq_cst) != taken_ || stop_.load(std::memory_order_seq_cst)) {
    sleeping_.store(false, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void post_queue::end_sleep() noexcept {
  // relaxed: a poster that still sees `true` only sends a spurious wake-up, which the loop
  // absorbs (the armed read completes and is re-armed).
  sleeping_.store(false, std::memory_order_relaxed);
}

void post_queue::drain_fd() const noexcept {
  eventfd_t value = 0;
  [[maybe_unused]] const int rc = ::eventfd_read(efd_, &value);
}

}  // namespace ringmq::detail::io
