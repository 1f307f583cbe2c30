// load_balancer: rfc 28/30 outgoing routing for PUSH, DEALER and REQ. Each message goes to
// the next peer, round-robin, among peers with send credit; all parts of a multipart
// message go to the same peer.
#pragma once

#include "pattern/strategy/peer_set.hpp"

#include <ringmq/message.hpp>

#include <system_error>

namespace ringmq::detail {

class load_balancer {
 public:
  void attach(peer& p) { peers_.add(p); }
  void detach(peer& p);
  void write_activated(peer& p) { peers_.activate(p); }

  // Sends one frame. would-block (resource_unavailable_try_again) when no peer has credit
  // for a new message. `to`, if given, receives the chosen peer.
  std::error_code send(message& frame, bool more, peer** to = nullptr);
  [[nodiscard]] bool can_send();

 private:
  peer_set peers_{&peer::lb_slot};
  std::size_t current_ = 0;
  peer* target_ = nullptr;  // peer of the multipart message in progress
  bool more_ = false;       // in the middle of a multipart message
  bool dropping_ = false;   // its peer went away: drop the remaining parts
};

}  // namespace ringmq::detail
