#include "zmtp/heartbeat.hpp"

#include <algorithm>

namespace ringmq::zmtp {

namespace {

std::uint16_t to_deciseconds(std::chrono::milliseconds ttl) noexcept {
  if (ttl.count() <= 0) return 0;
  // rfc 37: "measured in tenths of seconds ... the maximum TTL is 6553.5 seconds".
  return static_cast<std::uint16_t>(std::min<std::chrono::milliseconds::rep>(ttl.count() / 100, 0xffff));
}

void earliest(std::optional<heartbeat::time_point>& best,
              const std::optional<heartbeat::time_point>& t) noexcept {
  if (t && (!best || *t < *best)) best = t;
}

}  // namespace

heartbeat::heartbeat(const heartbeat_config& config) noexcept
    : interval_(std::max(config.interval, std::chrono::milliseconds{0})),
      timeout_(config.timeout.count() < 0 ? interval_ : config.timeout),
      ping_ttl_(to_deciseconds(config.ttl)) {}

void heartbeat::start(time_point now) noexcept {
  if (interval_.count() > 0) next_ping_ = now + interval_;
}

void heartbeat::on_traffic() noexcept {
  timeout_at_.reset();
  ttl_at_.reset();
}

void heartbeat::on_ping(time_point now, std::uint16_t ttl_deciseconds) noexcept {
  if (ttl_deciseconds > 0 && !ttl_at_)
    ttl_at_ = now + std::chrono::milliseconds{std::int64_t{ttl_deciseconds} * 100};
}

std::optional<heartbeat::time_point> heartbeat::next_deadline() const noexcept {
  std::optional<time_point> best;
  earliest(best, next_ping_);
  earliest(best, timeout_at_);
  earliest(best, ttl_at_);
  return best;
}

heartbeat::action heartbeat::on_timer(time_point now) noexcept {
  if (timeout_at_ && now >= *timeout_at_) return action::timed_out;
  if (ttl_at_ && now >= *ttl_at_) return action::ttl_expired;
  if (next_ping_ && now >= *next_ping_) {
    next_ping_ = now + interval_;
    if (!timeout_at_ && timeout_.count() > 0) timeout_at_ = now + timeout_;
    return action::send_ping;
  }
  return action::none;
}

}  // namespace ringmq::zmtp
