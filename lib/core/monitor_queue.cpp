#include "core/monitor_queue.hpp"

#include "core/futex.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <system_error>
#include <utility>

namespace ringmq {

std::string_view to_string(monitor_event e) noexcept {
  static constexpr std::array<std::string_view, 16> names{"CONNECTED",
                                                          "CONNECT_DELAYED",
                                                          "CONNECT_RETRIED",
                                                          "LISTENING",
                                                          "BIND_FAILED",
                                                          "ACCEPTED",
                                                          "ACCEPT_FAILED",
                                                          "CLOSED",
                                                          "CLOSE_FAILED",
                                                          "DISCONNECTED",
                                                          "MONITOR_STOPPED",
                                                          "HANDSHAKE_FAILED_NO_DETAIL",
                                                          "HANDSHAKE_SUCCEEDED",
                                                          "HANDSHAKE_FAILED_PROTOCOL",
                                                          "HANDSHAKE_FAILED_AUTH",
                                                          "LIMIT_EXCEEDED"};
  const auto bits = static_cast<std::uint32_t>(e);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (bits == (1u << i)) return names[i];
  return "UNKNOWN";
}

}  // namespace ringmq

namespace ringmq::detail {

monitor_queue::~monitor_queue() {
  if (efd_ >= 0) ::close(efd_);
}

void monitor_queue::push_locked(socket_event&& e) {
  if (events_.size() >= capacity_) {
    ++dropped_pending_;
    dropped_total_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  e.dropped_before = dropped_pending_;
  dropped_pending_ = 0;
  events_.push_back(std::move(e));
  // release: a reader that sees the new sequence number finds the event under the mutex.
  seq_.fetch_add(1, std::memory_order_release);
  futex_wake_all(seq_);
  if (efd_ >= 0) ::eventfd_write(efd_, 1);
}

void monitor_queue::push(monitor_event type, std::int64_t value, std::string_view endpoint,
                         std::string_view peer) noexcept {
  if ((static_cast<std::uint32_t>(type) & static_cast<std::uint32_t>(mask_)) == 0) return;
  try {
    socket_event e{type, value, std::string(endpoint), std::string(peer), 0};
    std::lock_guard lock(mutex_);
    if (!stopped_) push_locked(std::move(e));
  } catch (...) {
    dropped_total_.fetch_add(1, std::memory_order_relaxed);  // out of memory: counted as lost
  }
}

std::optional<socket_event> monitor_queue::pop(std::optional<time_point> deadline) {
  for (;;) {
    std::uint32_t seen = 0;
    {
      std::lock_guard lock(mutex_);
      if (!events_.empty()) {
        socket_event e = std::move(events_.front());
        events_.pop_front();
        if (events_.empty() && efd_ >= 0) {
          eventfd_t drained = 0;
          ::eventfd_read(efd_, &drained);
        }
        return e;
      }
      if (stopped_) return std::nullopt;
      seen = seq_.load(std::memory_order_relaxed);
    }
    if (deadline && steady_clock::now() >= *deadline) return std::nullopt;
    futex_wait(seq_, seen, deadline);
  }
}

void monitor_queue::stop() noexcept {
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  // The final event gets through even when the queue is full.
  socket_event e{monitor_event::monitor_stopped, 0, {}, {}, dropped_pending_};
  dropped_pending_ = 0;
  events_.push_back(std::move(e));
  stopped_ = true;
  seq_.fetch_add(1, std::memory_order_release);
  futex_wake_all(seq_);
  if (efd_ >= 0) ::eventfd_write(efd_, 1);
}

int monitor_queue::fd() {
  std::lock_guard lock(mutex_);
  if (efd_ < 0) {
    efd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    if (!events_.empty()) ::eventfd_write(efd_, 1);
  }
  return efd_;
}

void monitor_hub::attach(std::shared_ptr<monitor_queue> q) {
  std::shared_ptr<monitor_queue> old;
  {
    std::lock_guard lock(mutex_);
    old = std::exchange(queue_, std::move(q));
    mask_.store(queue_ ? static_cast<std::uint32_t>(queue_->mask()) : 0, std::memory_order_relaxed);
  }
  if (old) old->stop();
}

void monitor_hub::detach() noexcept { attach(nullptr); }

void monitor_hub::emit_slow(monitor_event type, std::int64_t value, std::string_view endpoint,
                            std::string_view peer) noexcept {
  std::shared_ptr<monitor_queue> q;
  {
    std::lock_guard lock(mutex_);
    q = queue_;
  }
  if (q) q->push(type, value, endpoint, peer);
}

}  // namespace ringmq::detail
