#include "pattern/pubsub/subscriptions.hpp"

#include <algorithm>

namespace ringmq::detail {

bool subscription_filter::add(std::string_view topic) {
  if (std::uint32_t* count = tree_.find(topic)) {
    ++*count;
    return false;
  }
  if (bytes_ + topic.size() > max_subscription_bytes) return false;
  bytes_ += topic.size();
  tree_.at(topic) = 1;
  return true;
}

bool subscription_filter::remove(std::string_view topic) {
  std::uint32_t* count = tree_.find(topic);
  if (count == nullptr) return false;
  if (--*count != 0) return false;
  tree_.erase(topic);
  bytes_ -= topic.size();
  return true;
}

bool subscription_filter::matches(std::string_view data) {
  bool found = false;
  tree_.for_each_prefix_of(data, [&](std::uint32_t&) { found = true; });
  return found;
}

bool subscription_map::add(std::string_view topic, peer& p) {
  std::vector<peer*>* peers = tree_.find(topic);
  if (peers == nullptr) {
    if (bytes_ + topic.size() > max_subscription_bytes) return false;
    bytes_ += topic.size();
    peers = &tree_.at(topic);
  }
  if (std::find(peers->begin(), peers->end(), &p) != peers->end()) return false;
  peers->push_back(&p);
  return peers->size() == 1;
}

bool subscription_map::remove(std::string_view topic, peer& p) {
  std::vector<peer*>* peers = tree_.find(topic);
  if (peers == nullptr || std::erase(*peers, &p) == 0 || !peers->empty()) return false;
  tree_.erase(topic);
  bytes_ -= topic.size();
  return true;
}

}  // namespace ringmq::detail
