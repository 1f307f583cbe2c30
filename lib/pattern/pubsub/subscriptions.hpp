// The two subscription stores of rfc 29:
//  - subscription_filter (SUB/XSUB): which topics this socket wants, counting duplicates
//    (subscribing "A" twice needs two unsubscribes). Its topics come from its own
//    application, which it never refuses (nor does libzmq).
//  - subscription_map (PUB/XPUB): which peers want which topics. As in libzmq, a peer is
//    subscribed to a topic or not; the subscriber side does the counting, so a SUB that
//    subscribed twice sends one CANCEL after its second unsubscribe. Its topics come from
//    peers, so each peer is held to subscription_limits: the map never holds more than
//    (peers) x (limits.bytes), and a peer at its limits takes nothing from the others.
#pragma once

#include "core/peer.hpp"
#include "pattern/pubsub/prefix_tree.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringmq::detail {

// What one peer may subscribe to on a PUB/XPUB: how many distinct topics, and what they
// may cost in memory (subscription_map::cost, an upper bound on the heap they hold).
struct subscription_limits {
  // Memory allowed per allowed topic: the fixed cost of a topic (about 340 bytes, see
  // subscription_map::cost) and about 128 bytes of topic on average.
  static constexpr std::size_t bytes_per_topic = 512;
  // libzmq has no limit. 65536 topics is far more than subscribers use (a few to a few
  // thousand; a whole exchange's symbol list is tens of thousands), and the memory that
  // goes with it (32 MiB of bound; 8.5-11 MiB of heap measured for short topics) is in line
  // with what a connection may already hold in its pipes. The option XPUB_MAX_SUBSCRIPTIONS
  // changes it: a proxy's XPUB, whose peers may be proxies carrying all their own
  // subscribers' topics, may need more (an XSUB sends them all again when it reconnects,
  // so one over the limit would be dropped at every attempt).
  static constexpr std::size_t default_topics = 65536;

  static constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();

  std::size_t topics = default_topics;
  std::size_t bytes = default_topics * bytes_per_topic;

  // `topics` topics per peer with their memory; a negative count lifts both limits.
  static subscription_limits for_topics(std::int64_t topics) noexcept {
    if (topics < 0) return {unlimited, unlimited};
    const auto n = static_cast<std::size_t>(topics);
    return {n, n > unlimited / bytes_per_topic ? unlimited : n * bytes_per_topic};
  }
};

// What one peer's subscriptions on a PUB/XPUB cost: its distinct topics and their memory
// (subscription_map::cost each). The pattern keeps it with the peer; subscription_map
// charges and refunds it, and holds the peer to subscription_limits with it.
struct subscription_usage {
  std::size_t topics = 0;
  std::size_t bytes = 0;
};

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
};

class subscription_map {
 public:
  enum class add_result {
    first,        // `p` is the first peer subscribed to the topic
    added,        // others were subscribed already
    already,      // `p` was subscribed already: nothing changed
    over_topics,  // refused: `p` holds limits().topics topics
    over_memory,  // refused: the topic would take `p` over limits().bytes
  };

  // What one peer's subscription to a topic of `topic_size` bytes is charged: an upper
  // bound on the heap the map holds for it, i.e. the tree's bound for the key and the
  // peer's slot in the topic's peer list (lists hold at most twice the slots they use, so
  // a list of s peers costs at most max(32, 16 s + 23) bytes, under 48 per peer). Each
  // subscriber of a topic is charged in full, so the map's heap never exceeds what its
  // peers are charged in total.
  static constexpr std::size_t cost(std::size_t topic_size) noexcept {
    return prefix_tree<std::vector<peer*>>::key_cost_bound(topic_size) + 48;
  }

  void set_limits(subscription_limits limits) noexcept { limits_ = limits; }
  [[nodiscard]] const subscription_limits& limits() const noexcept { return limits_; }

  // Subscribes `p` to `topic` unless that takes it over its limits (already subscribed
  // topics stay; a lowered limit applies to new subscriptions only).
  // `usage` is `p`'s, charged on success.
  add_result add(std::string_view topic, peer& p, subscription_usage& usage);
  // True when `p` was the last peer subscribed to `topic`.
  bool remove(std::string_view topic, peer& p, subscription_usage& usage);
  // Forgets `p`; calls fn(topic) for each topic it was the last subscriber of.
  template <class Fn>
  void remove_peer(peer& p, subscription_usage& usage, Fn&& fn) {
    remove_peer_each(p, usage, [&](std::string_view topic, bool last) {
      if (last) fn(topic);
    });
  }
  // Forgets `p`; calls fn(topic, last) for each topic it was subscribed to, `last` when no
  // other peer is subscribed to it any more (XPUB_VERBOSER reports them all).
  template <class Fn>
  void remove_peer_each(peer& p, subscription_usage& usage, Fn&& fn) {
    if (usage.topics == 0) return;  // no need to walk the tree
    std::vector<std::pair<std::string, bool>> removed;
    tree_.for_each([&](std::string_view topic, std::vector<peer*>& peers) {
      if (erase_from(peers, p)) removed.emplace_back(topic, peers.empty());
    });
    usage = {};
    for (const auto& [topic, last] : removed) {
      if (last) tree_.erase(topic);
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
  // Takes `p` out of a topic's peer list, shrinking a list left more than half empty
  // (cost() relies on it). False if it was not in the list.
  static bool erase_from(std::vector<peer*>& peers, peer& p);

  prefix_tree<std::vector<peer*>> tree_;
  subscription_limits limits_;
};

}  // namespace ringmq::detail
