// peer_set: the container under the strategies. Peers live in one vector whose first
// `active` entries are the ones that can currently be used; each peer records its own
// position (through a member pointer) so activation and removal are O(1).
#pragma once

#include "core/peer.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace ringmq::detail {

class peer_set {
 public:
  explicit peer_set(std::size_t peer::*slot) : slot_(slot) {}

  [[nodiscard]] std::size_t size() const noexcept { return peers_.size(); }
  [[nodiscard]] std::size_t active() const noexcept { return active_; }
  [[nodiscard]] peer& operator[](std::size_t i) const noexcept { return *peers_[i]; }
  [[nodiscard]] bool contains(const peer& p) const noexcept { return p.*slot_ != peer::no_slot; }
  [[nodiscard]] bool is_active(const peer& p) const noexcept { return contains(p) && p.*slot_ < active_; }

  // Adds `p` as active.
  void add(peer& p) {
    p.*slot_ = peers_.size();
    peers_.push_back(&p);
    activate(p);
  }
  void remove(peer& p) {
    if (!contains(p)) return;
    deactivate(p);
    const std::size_t last = peers_.size() - 1;
    swap_slots(p.*slot_, last);
    peers_.pop_back();
    p.*slot_ = peer::no_slot;
  }
  void activate(peer& p) {
    if (!contains(p) || p.*slot_ < active_) return;
    swap_slots(p.*slot_, active_);
    ++active_;
  }
  void deactivate(peer& p) {
    if (!is_active(p)) return;
    --active_;
    swap_slots(p.*slot_, active_);
  }

 private:
  void swap_slots(std::size_t a, std::size_t b) noexcept {
    if (a == b) return;
    std::swap(peers_[a], peers_[b]);
    peers_[a]->*slot_ = a;
    peers_[b]->*slot_ = b;
  }

  std::size_t peer::*slot_;
  std::vector<peer*> peers_;
  std::size_t active_ = 0;
};

}  // namespace ringmq::detail
