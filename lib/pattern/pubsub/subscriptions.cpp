#include "pattern/pubsub/subscriptions.hpp"

#include <algorithm>

namespace ringmq::detail {

bool subscription_filter::add(std::string_view topic) {
  if (std::uint32_t* count = tree_.find(topic)) {
    ++*count;
    return false;
  }
  tree_.at(topic) = 1;
  return true;
}

bool subscription_filter::remove(std::string_view topic) {
  std::uint32_t* count = tree_.find(topic);
  if (count == nullptr) return false;
  if (--*count != 0) return false;
  tree_.erase(topic);
  return true;
}

bool subscription_filter::matches(std::string_view data) {
  bool found = false;
  tree_.for_each_prefix_of(data, [&](std::uint32_t&) { found = true; });
  return found;
}

subscription_map::add_result subscription_map::add(std::string_view topic, peer& p,
                                                   subscription_usage& usage) {
  std::vector<peer*>* peers = tree_.find(topic);
  if (peers != nullptr && std::find(peers->begin(), peers->end(), &p) != peers->end())
    return add_result::already;
  // Checked before anything is allocated for the topic.
  if (usage.topics >= limits_.topics) return add_result::over_topics;
  const std::size_t charge = cost(topic.size());
  if (usage.bytes > limits_.bytes || charge > limits_.bytes - usage.bytes) return add_result::over_memory;
  if (peers == nullptr) peers = &tree_.at(topic);
  peers->push_back(&p);
  ++usage.topics;
  usage.bytes += charge;
  return peers->size() == 1 ? add_result::first : add_result::added;
}

bool subscription_map::remove(std::string_view topic, peer& p, subscription_usage& usage) {
  std::vector<peer*>* peers = tree_.find(topic);
  if (peers == nullptr || !erase_from(*peers, p)) return false;
  --usage.topics;
  usage.bytes -= cost(topic.size());
  if (!peers->empty()) return false;
  tree_.erase(topic);
  return true;
}

bool subscription_map::erase_from(std::vector<peer*>& peers, peer& p) {
  if (std::erase(peers, &p) == 0) return false;
  if (peers.capacity() > 2 * peers.size()) peers.shrink_to_fit();
  return true;
}

}  // namespace ringmq::detail
