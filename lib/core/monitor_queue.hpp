// monitor_queue and monitor_hub: how connection events reach a socket's monitor.
//
// Every socket owns a hub; transports keep a reference to it and emit() events from any
// thread. The hub forwards to the queue of the current monitor, if any, filtered by its
// mask. A queue is bounded: emit() never waits for the reader — when the queue is full the
// event is dropped and counted, and the next event that gets through carries the count.
#pragma once

#include "core/clock.hpp"

#include <ringmq/monitor.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace ringmq::detail {

class monitor_queue {
 public:
  monitor_queue(monitor_event mask, std::size_t capacity) : mask_(mask), capacity_(capacity) {}
  monitor_queue(const monitor_queue&) = delete;
  monitor_queue& operator=(const monitor_queue&) = delete;
  ~monitor_queue();

  // Any thread; never blocks on the reader.
  void push(monitor_event type, std::int64_t value, std::string_view endpoint,
            std::string_view peer) noexcept;
  // Reader: the next event, waiting until `deadline` (none: forever).
  std::optional<socket_event> pop(std::optional<time_point> deadline);
  // Ends the stream with monitor_stopped; later pushes are ignored.
  void stop() noexcept;
  [[nodiscard]] std::uint64_t dropped() const noexcept {
    return dropped_total_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] monitor_event mask() const noexcept { return mask_; }
  int fd();

 private:
  void push_locked(socket_event&& e);

  const monitor_event mask_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::deque<socket_event> events_;
  bool stopped_ = false;
  std::uint64_t dropped_pending_ = 0;  // dropped since the last queued event
  std::atomic<std::uint64_t> dropped_total_{0};
  std::atomic<std::uint32_t> seq_{0};  // futex word
  int efd_ = -1;
};

class monitor_hub {
 public:
  // Any thread. Cheap when nobody monitors.
  void emit(monitor_event type, std::int64_t value, std::string_view endpoint,
            std::string_view peer = {}) noexcept {
    if ((static_cast<std::uint32_t>(type) & mask_.load(std::memory_order_relaxed)) == 0) return;
    emit_slow(type, value, endpoint, peer);
  }
  // Socket thread: replaces the current monitor (stopping the old one).
  void attach(std::shared_ptr<monitor_queue> q);
  void detach() noexcept;

 private:
  void emit_slow(monitor_event type, std::int64_t value, std::string_view endpoint,
                 std::string_view peer) noexcept;

  std::atomic<std::uint32_t> mask_{0};
  std::mutex mutex_;
  std::shared_ptr<monitor_queue> queue_;
};

}  // namespace ringmq::detail
