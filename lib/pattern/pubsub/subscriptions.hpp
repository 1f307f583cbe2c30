// The two subscription stores of rfc 29:
//  - subscription_filter (SUB/XSUB): which topics this socket wants, counting duplicates
//    (subscribing "A" twice needs two unsubscribes).
//  - subscription_map (PUB/XPUB): which peers want which topics. As in libzmq, a peer is
//    subscribed to a topic or not; the subscriber side does the counting, so a SUB that
//    subscribed twice sends one CANCEL after its second unsubscribe.
// Both are bounded in the total bytes of topics they hold.
#pragma once

#include "core/peer.hpp"
#include "pattern/pubsub/prefix_tree.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringmq::detail {

// Limit on the bytes of distinct topics a store keeps; further subscriptions are ignored.
inline constexpr std::size_t max_subscription_bytes = std::size_t{64} << 20;

class subscription_filter {
 public:
  // True when `topic` was not subscribed before.
  bool add(std::string_view topic);
  // True when the last subscription to `topic` went away.
  bool remove(std::string_view topic);
  [[nodiscard]] bool matches(std::string_view data);
  template <class Fn>
  void for_each(Fn&& fn) {
    tree_.for_each([&](std::string_view topic, std::uint32_t&) { fn(topic); });
  }

 private:
  prefix_tree<std::uint32_t> tree_;
  std::size_t bytes_ = 0;
};

class subscription_map {
 public:
  // True when `p` is the first peer subscribed to `topic`.
  bool add(std::string_view topic, peer& p);
  // True when `p` was the last peer subscribed to `topic`.
  bool remove(std::string_view topic, peer& p);
  // Forgets `p`; calls fn(topic) for each topic it was the last subscriber of.
  template <class Fn>
  void remove_peer(peer& p, Fn&& fn) {
    remove_peer_each(p, [&](std::string_view topic, bool last) {
      if (last) fn(topic);
    });
  }
  // Forgets `p`; calls fn(topic, last) for each topic it was subscribed to, `last` when no
  // other peer is subscribed to it any more (XPUB_VERBOSER reports them all).
  template <class Fn>
  void remove_peer_each(peer& p, Fn&& fn) {
    std::vector<std::pair<std::string, bool>> removed;
    tree_.for_each([&](std::string_view topic, std::vector<peer*>& peers) {
      if (std::erase(peers, &p) != 0) removed.emplace_back(topic, peers.empty());
    });
    for (const auto& [topic, last] : removed) {
      if (last) {
        tree_.erase(topic);
        bytes_ -= topic.size();
      }
      fn(std::string_view(topic), last);
    }
  }
  // Calls fn(peer&) for each peer subscribed to a prefix of `data` (possibly repeatedly).
  template <class Fn>
  void match(std::string_view data, Fn&& fn) {
    tree_.for_each_prefix_of(data, [&](std::vector<peer*>& peers) {
      for (peer* p : peers) fn(*p);
    });
  }

 private:
  prefix_tree<std::vector<peer*>> tree_;
  std::size_t bytes_ = 0;
};

}  // namespace ringmq::detail
