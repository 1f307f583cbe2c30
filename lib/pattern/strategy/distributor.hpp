// distributor: rfc 29 fan-out for PUB and XPUB. A message goes to every matching peer that
// has credit for it; a peer at its high-water mark misses that message (or, with
// XPUB_NODROP, the send would-blocks until every matching peer has room).
#pragma once

#include "pattern/strategy/peer_set.hpp"

#include <ringmq/message.hpp>

#include <cstdint>
#include <system_error>
#include <vector>

namespace ringmq::detail {

class distributor {
 public:
  void attach(peer& p) { peers_.add(p); }
  void detach(peer& p);
  void write_activated(peer&) {}

  // The peers that the next message goes to. Cleared after its last frame.
  void add_target(peer& p);
  [[nodiscard]] bool has_targets() const noexcept { return !targets_.empty() || more_; }
  // Every matching peer has credit for a new message (XPUB_NODROP).
  [[nodiscard]] bool targets_have_credit();
  // Forgets the targets chosen for a message that will not be sent now.
  void clear_targets() noexcept;
  // Makes every attached peer a target (XSUB sending upstream).
  void target_all();
  // Makes the attached peers that are not targets the targets, and the others not
  // (INVERT_MATCHING).
  void invert_targets();

  // Sends one frame to the targets; the frame is consumed.
  void send(message& frame, bool more);
  [[nodiscard]] bool in_message() const noexcept { return more_; }
  // Messages dropped because a subscriber was at its high-water mark.
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }
  [[nodiscard]] std::size_t size() const noexcept { return peers_.size(); }
  [[nodiscard]] peer& operator[](std::size_t i) const noexcept { return peers_[i]; }

 private:
  peer_set peers_{&peer::dist_slot};
  std::vector<peer*> targets_;
  std::vector<peer*> spare_;  // invert_targets' buffer, kept to spare an allocation a message
  bool more_ = false;
  std::uint64_t dropped_ = 0;
};

}  // namespace ringmq::detail
