// ringmq::monitor and socket::monitor(): the public face of monitor_queue.
#include "api/socket_access.hpp"
#include "core/monitor_queue.hpp"

#include <ringmq/monitor.hpp>
#include <ringmq/socket.hpp>

namespace ringmq {

monitor::monitor() noexcept = default;
monitor::monitor(std::shared_ptr<detail::monitor_queue> q) noexcept : queue_(std::move(q)) {}
monitor::monitor(monitor&&) noexcept = default;
monitor& monitor::operator=(monitor&& other) noexcept {
  if (this != &other) {
    stop();
    queue_ = std::move(other.queue_);
  }
  return *this;
}
monitor::~monitor() { stop(); }

std::optional<socket_event> monitor::next(std::chrono::milliseconds timeout) {
  if (!queue_) return std::nullopt;
  return queue_->pop(detail::deadline_after(timeout));
}

std::uint64_t monitor::dropped() const noexcept { return queue_ ? queue_->dropped() : 0; }

int monitor::fd() const {
  if (!queue_) throw error(make_error_code(errc::invalid_state), "monitor fd: monitor not started");
  return queue_->fd();
}

void monitor::stop() noexcept {
  if (queue_) queue_->stop();
}

monitor socket::monitor(monitor_event mask, std::size_t capacity) {
  if (impl_ == nullptr) throw error(make_error_code(errc::socket_closed), "monitor");
  if (capacity == 0) throw error(make_error_code(errc::invalid_option_value), "monitor: capacity 0");
  auto q = std::make_shared<detail::monitor_queue>(mask, capacity);
  impl_->events_hub()->attach(q);
  return ringmq::monitor(std::move(q));
}

}  // namespace ringmq
