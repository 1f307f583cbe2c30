// call_lock: what lets several threads use one socket at once (the thread-safe types:
// CLIENT, SERVER). Every call on the socket holds it. A call that must wait gives it up
// while it waits, so that other threads' calls go on: one waiting thread watches the
// socket's mailbox (the only thread that ever sleeps on it, as with a one-thread socket),
// the others sleep until the socket's state changes or the watcher leaves, then look again.
// This is libzmq's mailbox_safe turned around: the I/O threads still post to a plain
// mailbox and never take this lock.
//
// The owning thread may enter again (a nested call from the same thread).
#pragma once

#include "core/clock.hpp"
#include "core/mailbox.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace ringmq::detail {

class call_lock {
 public:
  void lock();
  void unlock() noexcept;

  // With the lock held once by this thread: waits without it until `deadline`, until what
  // `watch` waits for happens (the caller's mailbox wait; run by one waiting thread at a
  // time), or until changed() is called. Returns how the wait ended (mailbox::wake).
  mailbox::wake wait(std::optional<time_point> deadline, const std::function<mailbox::wake()>& watch);

  // With the lock held: the socket's state changed (commands were processed), so threads
  // waiting in wait() look again. A watcher asleep on `inbox` is woken with a command.
  void changed(mailbox& inbox);

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<std::thread::id> owner_{};
  unsigned depth_ = 0;            // nested entries of the owner
  bool watching_ = false;         // a waiting thread sleeps on the mailbox
  unsigned waiting_ = 0;          // threads asleep on changed_
  std::uint64_t generation_ = 0;  // bumped by changed()
};

// Holds a socket's call_lock for a scope, if it has one (thread-safe types).
class call_scope {
 public:
  explicit call_scope(call_lock* lock) : lock_(lock) {
    if (lock_ != nullptr) lock_->lock();
  }
  call_scope(const call_scope&) = delete;
  call_scope& operator=(const call_scope&) = delete;
  ~call_scope() {
    if (lock_ != nullptr) lock_->unlock();
  }

 private:
  call_lock* lock_;
};

}  // namespace ringmq::detail
