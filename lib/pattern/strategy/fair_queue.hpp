// fair_queue: rfc 28/30 incoming routing for PULL, DEALER, SUB, ... Reads round-robin from
// the peers that have messages; all parts of a multipart message come from one peer.
// A peer whose pipe ends (the other side closed) is handed to the host as closed.
#pragma once

#include "core/pattern.hpp"
#include "pattern/strategy/peer_set.hpp"

#include <ringmq/message.hpp>

#include <system_error>

namespace ringmq::detail {

class fair_queue {
 public:
  explicit fair_queue(pattern_host& host) : host_(host) {}

  void attach(peer& p) { peers_.add(p); }
  void detach(peer& p);
  void read_activated(peer& p) { peers_.activate(p); }

  // Reads one frame; `from`, if given, receives its peer. would-block when nothing is ready.
  std::error_code recv(message& frame, peer** from = nullptr);
  [[nodiscard]] bool can_recv();

 private:
  // The peer's pipe ended: forget it and let the host destroy it.
  void retire(peer& p);

  pattern_host& host_;
  peer_set peers_{&peer::fq_slot};
  std::size_t current_ = 0;
  peer* source_ = nullptr;  // peer of the multipart message being read
};

}  // namespace ringmq::detail
