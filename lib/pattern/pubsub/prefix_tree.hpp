// prefix_tree: a radix tree from byte strings to values, the storage of subscriptions.
// Every operation is iterative — never recursion on a depth a peer controls (libzmq
// CVE-2021-20236) — and long keys cost one node, not one node per byte.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringmq::detail {

template <class V>
class prefix_tree {
 public:
  prefix_tree() = default;
  prefix_tree(const prefix_tree&) = delete;
  prefix_tree& operator=(const prefix_tree&) = delete;
  ~prefix_tree() { clear(); }

  // The value stored under exactly `key`, created (value-initialised) if absent.
  V& at(std::string_view key) {
    node* n = &root_;
    std::size_t pos = 0;
    for (;;) {
      if (pos == key.size()) break;
      auto it = child_for(*n, static_cast<unsigned char>(key[pos]));
      if (it == n->children.end()) {
        auto fresh = std::make_unique<node>();
        fresh->label.assign(key.substr(pos));
        node* created = fresh.get();
        n->children.insert(insertion_point(*n, static_cast<unsigned char>(key[pos])), std::move(fresh));
        n = created;
        break;
      }
      node& child = **it;
      const std::size_t common = common_prefix(child.label, key.substr(pos));
      if (common < child.label.size()) split(*it, common);
      n = it->get();
      pos += common;
    }
    if (!n->value) {
      n->value.emplace();
      ++size_;
    }
    return *n->value;
  }

  // The value stored under exactly `key`, or null.
  V* find(std::string_view key) {
    node* n = &root_;
    std::size_t pos = 0;
    while (pos < key.size()) {
      auto it = child_for(*n, static_cast<unsigned char>(key[pos]));
      if (it == n->children.end()) return nullptr;
      const std::string& label = (*it)->label;
      if (key.substr(pos, label.size()) != label) return nullptr;
      n = it->get();
      pos += label.size();
    }
    return n->value ? &*n->value : nullptr;
  }

  // Removes the value under `key` (if any) and prunes the nodes it no longer needs.
  void erase(std::string_view key) {
    std::vector<std::pair<node*, std::size_t>> path;  // (parent, index of child)
    node* n = &root_;
    std::size_t pos = 0;
    while (pos < key.size()) {
      auto it = child_for(*n, static_cast<unsigned char>(key[pos]));
      if (it == n->children.end()) return;
      const std::string& label = (*it)->label;
      if (key.substr(pos, label.size()) != label) return;
      path.emplace_back(n, static_cast<std::size_t>(it - n->children.begin()));
      n = it->get();
      pos += label.size();
    }
    if (!n->value) return;
    n->value.reset();
    --size_;
    // Walk up: drop empty leaves, then merge a value-less node with its only child.
    while (!path.empty()) {
      auto [parent, index] = path.back();
      node* child = parent->children[index].get();
      if (child->value || !child->children.empty()) {
        if (!child->value && child->children.size() == 1) merge_with_only_child(*child);
        break;
      }
      parent->children.erase(parent->children.begin() + static_cast<std::ptrdiff_t>(index));
      path.pop_back();
      if (parent != &root_ && !parent->value && parent->children.size() == 1) {
        merge_with_only_child(*parent);
        break;
      }
      if (parent->value || !parent->children.empty()) break;
    }
  }

  // Calls fn(value) for every key that is a prefix of `data` (the empty key included).
  template <class Fn>
  void for_each_prefix_of(std::string_view data, Fn&& fn) {
    node* n = &root_;
    std::size_t pos = 0;
    for (;;) {
      if (n->value) fn(*n->value);
      if (pos == data.size()) return;
      auto it = child_for(*n, static_cast<unsigned char>(data[pos]));
      if (it == n->children.end()) return;
      const std::string& label = (*it)->label;
      if (data.substr(pos, label.size()) != label) return;
      n = it->get();
      pos += label.size();
    }
  }

  // Calls fn(key, value) for every entry, in no particular order.
  template <class Fn>
  void for_each(Fn&& fn) {
    std::vector<std::pair<node*, std::size_t>> stack{{&root_, 0}};  // (node, key length)
    std::string key;
    while (!stack.empty()) {
      auto [n, depth] = stack.back();
      stack.pop_back();
      key.resize(depth);
      key += n->label;
      if (n->value) fn(std::string_view(key), *n->value);
      for (auto& c : n->children) stack.emplace_back(c.get(), key.size());
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  void clear() {
    // Dismantle iteratively: a deep tree must not recurse in unique_ptr destructors.
    std::vector<std::unique_ptr<node>> pending;
    for (auto& c : root_.children) pending.push_back(std::move(c));
    root_.children.clear();
    root_.value.reset();
    while (!pending.empty()) {
      std::unique_ptr<node> n = std::move(pending.back());
      pending.pop_back();
      for (auto& c : n->children) pending.push_back(std::move(c));
      n->children.clear();
    }
    size_ = 0;
  }

 private:
  struct node {
    std::string label;  // bytes on the edge from the parent
    std::optional<V> value;
    std::vector<std::unique_ptr<node>> children;  // sorted by first label byte
  };
  using child_iter = typename std::vector<std::unique_ptr<node>>::iterator;

  // The child whose label starts with `first`, or end().
  static child_iter child_for(node& n, unsigned char first) {
    auto it = insertion_point(n, first);
    if (it != n.children.end() && static_cast<unsigned char>((*it)->label[0]) != first) return n.children.end();
    return it;
  }
  static child_iter insertion_point(node& n, unsigned char first) {
    return std::lower_bound(n.children.begin(), n.children.end(), first,
                            [](const std::unique_ptr<node>& c, unsigned char b) {
                              return static_cast<unsigned char>(c->label[0]) < b;
                            });
  }

  static std::size_t common_prefix(std::string_view a, std::string_view b) {
    const std::size_t n = std::min(a.size(), b.size());
    std::size_t i = 0;
    while (i < n && a[i] == b[i]) ++i;
    return i;
  }

  // Splits `slot`'s node after `at` label bytes; `slot` then holds the new upper node.
  static void split(std::unique_ptr<node>& slot, std::size_t at) {
    auto upper = std::make_unique<node>();
    upper->label = slot->label.substr(0, at);
    slot->label.erase(0, at);
    upper->children.push_back(std::move(slot));
    slot = std::move(upper);
  }

  static void merge_with_only_child(node& n) {
    std::unique_ptr<node> child = std::move(n.children.front());
    n.children.clear();
    n.label += child->label;
    n.value = std::move(child->value);
    n.children = std::move(child->children);
  }

  node root_;
  std::size_t size_ = 0;
};

}  // namespace ringmq::detail
