#include "transport/stream/read_lease.hpp"

#include "transport/stream/stream_session.hpp"

#include <memory>
#include <new>
#include <span>

namespace ringmq::detail {

namespace {

// What one direct read takes from the kernel: the decoder copies out what it keeps, so one
// buffer per thread serves every lease the thread borrows. 256 KiB: ipc 64 KiB throughput
// 56-57 k msg/s against 51-53 k with 64 KiB (fewer system calls); 1 MiB gained nothing more.
constexpr std::size_t read_buffer_size = std::size_t{256} * 1024;

std::span<std::byte> thread_read_buffer() {
  thread_local std::unique_ptr<std::byte[]> buffer;
  if (!buffer) buffer = std::make_unique_for_overwrite<std::byte[]>(read_buffer_size);
  return {buffer.get(), read_buffer_size};
}

}  // namespace

// ---- I/O thread ----

void read_lease::lend(int fd) noexcept {
  fd_.store(fd, std::memory_order_relaxed);
  // release: the borrower's CAS into `reading` sees the session as this thread left it.
  state_.store(lent_idle, std::memory_order_seq_cst);
}

bool read_lease::take_back() noexcept {
  for (;;) {
    std::uint8_t s = state_.load(std::memory_order_acquire);
    if (s == io) break;  // the borrower handed it back itself; its reclaim is posted
    if (s == lent_idle &&
        state_.compare_exchange_weak(s, io, std::memory_order_seq_cst, std::memory_order_relaxed))
      break;
    __builtin_ia32_pause();  // a read in progress: one recv and its decoding
  }
  return waiting_.load(std::memory_order_seq_cst);
}

read_lease::borrower read_lease::look_at_borrower() noexcept {
  if (state_.load(std::memory_order_acquire) == io) return borrower::away;  // returned, its reclaim lost
  const std::uint32_t waits = waits_.load(std::memory_order_relaxed);
  const bool same_wait = waits == waits_seen_;
  waits_seen_ = waits;
  if (!same_wait) return borrower::active;
  return waiting_.load(std::memory_order_relaxed) ? borrower::asleep : borrower::away;
}

bool read_lease::park_check() noexcept {
  check_parked_.store(true, std::memory_order_seq_cst);
  if (waiting_.load(std::memory_order_seq_cst)) return true;  // its leave_wait will see the park
  // It left meanwhile. Whoever clears the park resumes the looks: if it was the borrower,
  // its resume is posted already.
  return !check_parked_.exchange(false, std::memory_order_relaxed);
}

// ---- socket thread ----

void read_lease::ask() noexcept {
  if (asked_.exchange(true, std::memory_order_relaxed)) return;
  try {
    loop_.post([self = shared_from_this()] {
      self->asked_.store(false, std::memory_order_relaxed);
      if (self->session_ != nullptr) self->session_->lend_read_side();
    });
  } catch (...) {
    asked_.store(false, std::memory_order_relaxed);  // out of memory: asked again later
  }
}

void read_lease::enter_wait() noexcept {
  waits_.fetch_add(1, std::memory_order_relaxed);
  waiting_.store(true, std::memory_order_seq_cst);
}

void read_lease::leave_wait() noexcept {
  waiting_.store(false, std::memory_order_seq_cst);
  if (check_parked_.load(std::memory_order_seq_cst) &&
      check_parked_.exchange(false, std::memory_order_relaxed))
    post_resume_check();
}

direct_source::read_result read_lease::read() noexcept {
  std::uint8_t expected = lent_idle;
  if (!state_.compare_exchange_strong(expected, reading, std::memory_order_seq_cst,
                                      std::memory_order_relaxed))
    return read_result::unavailable;
  stream_session::direct_read r = stream_session::direct_read::hand_back;
  try {
    r = session_->read_directly(thread_read_buffer());
  } catch (const std::bad_alloc&) {
    // Nothing was consumed from the kernel: the I/O thread reads it instead.
  }
  switch (r) {
    case stream_session::direct_read::progress:
      state_.store(lent_idle, std::memory_order_release);
      return read_result::progress;
    case stream_session::direct_read::empty:
      state_.store(lent_idle, std::memory_order_release);
      return read_result::empty;
    case stream_session::direct_read::hand_back: break;
  }
  state_.store(io, std::memory_order_release);
  post_reclaim();
  return read_result::progress;  // frames decoded before the hand-back may wait in the link
}

void read_lease::give_back() noexcept {
  std::uint8_t expected = lent_idle;
  if (state_.compare_exchange_strong(expected, io, std::memory_order_seq_cst, std::memory_order_relaxed))
    post_reclaim();
}

void read_lease::post_resume_check() noexcept {
  try {
    loop_.post([self = shared_from_this()] {
      if (self->session_ != nullptr) self->session_->resume_borrower_check();
    });
  } catch (...) {
    // Out of memory: parked again, so the borrower's next leave_wait tries once more.
    check_parked_.store(true, std::memory_order_seq_cst);
  }
}

void read_lease::post_reclaim() noexcept {
  try {
    loop_.post([self = shared_from_this()] {
      if (self->session_ != nullptr) self->session_->reclaim_read_side();
    });
  } catch (...) {
    // Out of memory: the session's next look at the lease (its periodic check, a timer,
    // the end of the connection) finds it returned and reclaims it.
  }
}

}  // namespace ringmq::detail
