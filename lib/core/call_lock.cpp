#include "core/call_lock.hpp"

#include "core/command.hpp"
#include "core/invariant.hpp"

namespace ringmq::detail {

void call_lock::lock() {
  const std::thread::id me = std::this_thread::get_id();
  if (owner_.load(std::memory_order_relaxed) == me) {
    ++depth_;
    return;
  }
  mutex_.lock();
  owner_.store(me, std::memory_order_relaxed);
  depth_ = 1;
}

void call_lock::unlock() noexcept {
  if (--depth_ != 0) return;
  owner_.store(std::thread::id{}, std::memory_order_relaxed);
  mutex_.unlock();
}

mailbox::wake call_lock::wait(std::optional<time_point> deadline,
                              const std::function<mailbox::wake()>& watch) {
  RINGMQ_INVARIANT(depth_ == 1, "a blocking call nested in another call on a thread-safe socket");
  std::unique_lock held(mutex_, std::adopt_lock);
  const std::thread::id me = owner_.exchange(std::thread::id{}, std::memory_order_relaxed);
  depth_ = 0;
  mailbox::wake woke = mailbox::wake::work;
  if (!watching_) {
    watching_ = true;
    held.unlock();
    woke = watch();
    held.lock();
    watching_ = false;
    // Whoever waits for a change may have to watch now.
    if (waiting_ != 0) changed_.notify_all();
  } else {
    const std::uint64_t seen = generation_;
    const auto looked_again = [&] { return generation_ != seen || !watching_; };
    ++waiting_;
    if (!deadline) {
      changed_.wait(held, looked_again);
    } else if (!changed_.wait_until(held, *deadline, looked_again)) {
      woke = mailbox::wake::deadline;
    }
    --waiting_;
  }
  owner_.store(me, std::memory_order_relaxed);
  depth_ = 1;
  held.release();
  return woke;
}

void call_lock::changed(mailbox& inbox) {
  ++generation_;
  if (waiting_ != 0) changed_.notify_all();
  // The watcher sleeps until a command arrives; the commands it waited for were just taken
  // by this thread, so it gets one of its own.
  if (watching_) inbox.post(command{});  // kind::wake
}

}  // namespace ringmq::detail
