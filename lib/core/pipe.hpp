// pipe: one direction of a link. A spsc_queue of message frames plus high-water-mark credit
// counted in whole messages (frames with MORE count once, with their final part).
//
// The writer checks credit before the first frame of a message; the reader returns credit
// in batches of `lwm` messages through a shared counter, and wakes a writer only if the
// writer said it is waiting for credit.
#pragma once

#include "core/message_access.hpp"
#include "core/spsc_queue.hpp"

#include <ringmq/message.hpp>

#include <atomic>
#include <cstdint>
#include <utility>

namespace ringmq::detail {

class pipe {
 public:
  // hwm <= 0 means no limit.
  explicit pipe(std::int64_t hwm) { set_hwm(hwm); }

  // Either thread: changes the limit (inproc recomputes it when the late side appears).
  // Credit goes back every lwm = (hwm + 1) / 2 messages.
  void set_hwm(std::int64_t hwm) noexcept {
    lwm_.store(hwm <= 0 ? 1024 : (hwm + 1) / 2, std::memory_order_relaxed);
    hwm_.store(hwm, std::memory_order_relaxed);
  }
  [[nodiscard]] std::int64_t hwm() const noexcept { return hwm_.load(std::memory_order_relaxed); }

  // Writer: may a new message start? When not, the writer is registered as waiting and
  // the reader will report credit (reader_must_notify_writer).
  bool has_credit() noexcept {
    const std::int64_t limit = hwm_.load(std::memory_order_relaxed);
    if (limit <= 0 || written_ - read_shared_.load(std::memory_order_acquire) < limit) return true;
    return wait_for_credit(limit);
  }
  // Writer: how many messages the reader has given credit back for so far (it moves in
  // steps of lwm): whether the reader made progress since an earlier look.
  [[nodiscard]] std::int64_t credit_returned() const noexcept {
    return read_shared_.load(std::memory_order_acquire);
  }
  // Writer: appends a frame; `more` frames are published with the final frame.
  void write(message&& frame, bool more) {
    // The reader learns "more parts follow" from the frame itself.
    message_access::set(frame, message_access::more, more);
    if (!more) ++written_;
    queue_.write(std::move(frame), more);
  }
  // Writer: appends a frame that does not count against the limit (the closing delimiter).
  void write_uncounted(message&& frame) { queue_.write(std::move(frame), false); }
  // Writer: drops the frames of an unfinished message. Returns how many were dropped.
  int rollback() noexcept;
  // Writer: publishes complete messages; false if the reader slept and must be woken.
  bool flush() { return queue_.flush(); }

  // Reader: the next frame, or false when none is ready (the reader is then asleep on this
  // pipe and the writer's next flush will report it). `credit_returned` is set when the
  // writer was waiting for the credit this read released and must be woken.
  bool read(message& frame, bool& credit_returned) {
    credit_returned = false;
    if (!queue_.read(frame)) return false;
    ++run_;
    if (message_access::has(frame, message_access::more)) return true;
    // A waiting writer is at the limit, so at least lwm unread messages stand between it and
    // us: it is always answered here.
    if (++read_ - read_published_ >= lwm_.load(std::memory_order_relaxed)) credit_returned = return_credit();
    return true;
  }
  // Reader: whether a frame is ready, neither consuming it nor marking the reader asleep.
  [[nodiscard]] bool probe() const noexcept { return queue_.probe(); }
  // Reader: frames read since the last call (a reader calls it when it ran dry: the length
  // of the run it just read).
  std::uint32_t take_run() noexcept { return std::exchange(run_, 0); }
  // Reader: whether a frame is ready, without consuming it.
  bool check_read() { return queue_.check_read(); }
  message& front() { return queue_.front(); }

 private:
  bool wait_for_credit(std::int64_t limit) noexcept;
  bool return_credit() noexcept;

  spsc_queue<message, 64> queue_;
  alignas(64) std::atomic<std::int64_t> hwm_{0};  // read-mostly
  std::atomic<std::int64_t> lwm_{1024};
  // Writer-owned.
  alignas(64) std::int64_t written_ = 0;
  // Reader-owned.
  alignas(64) std::int64_t read_ = 0;
  std::int64_t read_published_ = 0;
  std::uint32_t run_ = 0;
  // Shared: credit returned by the reader, and the writer's request to be told about it.
  alignas(64) std::atomic<std::int64_t> read_shared_{0};
  std::atomic<bool> writer_waiting_{false};
};

}  // namespace ringmq::detail
