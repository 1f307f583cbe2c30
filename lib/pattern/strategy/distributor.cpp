#include "pattern/strategy/distributor.hpp"

#include <algorithm>

namespace ringmq::detail {

void distributor::detach(peer& p) {
  std::erase(targets_, &p);
  p.matching = false;
  peers_.remove(p);
}

void distributor::add_target(peer& p) {
  if (p.matching) return;
  p.matching = true;
  targets_.push_back(&p);
}

bool distributor::targets_have_credit() {
  return std::all_of(targets_.begin(), targets_.end(), [](peer* p) { return p->end.can_write(); });
}

void distributor::clear_targets() noexcept {
  for (peer* p : targets_) p->matching = false;
  targets_.clear();
}

void distributor::target_all() {
  for (std::size_t i = 0; i < peers_.size(); ++i) add_target(peers_[i]);
}

void distributor::invert_targets() {
  spare_.clear();
  for (std::size_t i = 0; i < peers_.size(); ++i)
    if (!peers_[i].matching) spare_.push_back(&peers_[i]);
  clear_targets();
  targets_.swap(spare_);
  for (peer* p : targets_) p->matching = true;
}

void distributor::send(message& frame, bool more) {
  if (!more_) {
    // First frame: peers without credit miss the whole message.
    std::erase_if(targets_, [this](peer* p) {
      if (p->end.can_write_or_drain()) return false;
      p->matching = false;
      ++dropped_;
      return true;
    });
  }
  const std::size_t n = targets_.size();
  for (std::size_t i = 0; i < n; ++i) {
    peer& p = *targets_[i];
    // The last target takes the frame itself; the others share its body. Only the last
    // iteration moves, so no copy reads a moved-from frame.
    p.end.write(i + 1 == n ? std::move(frame) : message(frame), more);  // NOLINT(bugprone-use-after-move)
    if (!more) p.end.flush();
  }
  frame.reset();
  more_ = more;
  if (!more) clear_targets();
}

}  // namespace ringmq::detail
