#include "pattern/strategy/fair_queue.hpp"

#include "core/message_access.hpp"
#include "core/status.hpp"

namespace ringmq::detail {

void fair_queue::detach(peer& p) {
  if (source_ == &p) source_ = nullptr;
  peers_.remove(p);
  if (current_ >= peers_.active()) current_ = 0;
}

void fair_queue::retire(peer& p) {
  detach(p);
  host_.peer_closed(p);  // destroys p
}

std::error_code fair_queue::recv(message& frame, peer** from) {
  while (source_ != nullptr || peers_.active() > 0) {
    if (source_ == nullptr && current_ >= peers_.active()) current_ = 0;
    peer& p = source_ != nullptr ? *source_ : peers_[current_];
    // The last peer with messages: a blocked caller watches it briefly before sleeping.
    switch (p.end.read(frame, peers_.active() == 1 ? host_.patience() : read_patience{})) {
      case link_end::read_status::ok:
        if (from != nullptr) *from = &p;
        if (frame.more()) {
          source_ = &p;
        } else {
          source_ = nullptr;
          ++current_;
        }
        return no_error;
      case link_end::read_status::empty:
        // Multipart messages are published whole, so a peer never runs dry mid-message.
        source_ = nullptr;
        peers_.deactivate(p);
        break;
      case link_end::read_status::closed: retire(p); break;
    }
  }
  return would_block_code;
}

bool fair_queue::can_recv() {
  if (source_ != nullptr) return true;
  while (peers_.active() > 0) {
    peer& p = peers_[0];
    if (!p.end.check_read()) {
      peers_.deactivate(p);
      continue;
    }
    if (!message_access::has(p.end.get().in(p.end.side()).front(), message_access::delimiter)) return true;
    retire(p);  // only the end of the pipe is left
  }
  return false;
}

}  // namespace ringmq::detail
