#include "pattern/strategy/load_balancer.hpp"

#include "core/status.hpp"

namespace ringmq::detail {

void load_balancer::detach(peer& p) {
  // The peer of an unfinished multipart message is gone: the rest of it is dropped.
  if (more_ && target_ == &p) {
    dropping_ = true;
    target_ = nullptr;
  }
  peers_.remove(p);
  if (current_ >= peers_.active()) current_ = 0;
}

std::error_code load_balancer::send(message& frame, bool more, peer** to) {
  if (dropping_) {
    more_ = more;
    dropping_ = more;
    frame.reset();
    return no_error;
  }
  if (!more_) {
    // A new message: find a peer with credit, deactivating the full ones (they come back
    // with write_activated).
    while (peers_.active() > 0) {
      if (current_ >= peers_.active()) current_ = 0;
      peer& candidate = peers_[current_];
      if (candidate.end.can_write()) break;
      peers_.deactivate(candidate);
    }
    if (peers_.active() == 0) return would_block_code;
    target_ = &peers_[current_];
  }
  peer& target = *target_;
  if (to != nullptr) *to = &target;
  target.end.write(std::move(frame), more);
  more_ = more;
  if (!more) {
    target.end.flush();
    target_ = nullptr;
    if (++current_ >= peers_.active()) current_ = 0;
  }
  return no_error;
}

bool load_balancer::can_send() {
  if (more_) return true;
  for (std::size_t i = 0; i < peers_.active();) {
    peer& p = peers_[i];
    if (p.end.can_write()) return true;
    peers_.deactivate(p);  // swaps another peer into slot i
  }
  return false;
}

}  // namespace ringmq::detail
