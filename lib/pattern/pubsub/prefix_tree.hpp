// prefix_tree: a radix tree from byte strings to values, the storage of subscriptions.
// Every operation is iterative — never recursion on a depth a peer controls (libzmq
// CVE-2021-20236) — and long keys cost one node, not one node per byte.
//
// Its heap use is bounded per key (key_cost_bound), so that whoever adds keys can be
// charged for what they make it hold: labels and child arrays are kept at their exact size
// (never the slack a std::string or std::vector keeps after shrinking), and nodes that no
// key needs any more are freed.
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

// What an allocation of `n` bytes costs the heap: glibc's malloc on 64-bit hands out
// 16-byte aligned chunks with an 8-byte header, 32 bytes at least. (Allocators with size
// classes, such as jemalloc, round large blocks up by as much as a quarter instead.)
constexpr std::size_t heap_block_bytes(std::size_t n) noexcept {
  if (n == 0) return 0;  // operator new(0) is never called for an empty label or array
  return std::max<std::size_t>(32, (n + 8 + 15) & ~std::size_t{15});
}

template <class V>
class prefix_tree {
 public:
  prefix_tree() = default;
  prefix_tree(const prefix_tree&) = delete;
  prefix_tree& operator=(const prefix_tree&) = delete;
  ~prefix_tree() { clear(); }

  // An upper bound on the heap bytes the tree holds for one key of `key_size` bytes (not
  // counting what V itself allocates): the tree's heap never exceeds the sum of this over
  // its keys. Why it holds:
  //  - every node but the root holds a value or has two children or more (insertions
  //    split at most one node, erase() prunes and merges), so there are at most two nodes
  //    per key: its own, and one value-less branch node. Give each branch node the
  //    smallest key under its second child: no key gets two, and both nodes a key pays for
  //    lie on its path, so their labels are disjoint pieces of it;
  //  - a node costs its block, and its slot in its parent's child array: arrays hold at
  //    most twice as many slots as children (erase_child shrinks them), so an array of s
  //    children costs at most max(32, 16 s + 23) bytes, under 48 per child;
  //  - a label up to 15 bytes lives inside std::string (no heap), a longer one costs
  //    heap_block_bytes(length + 1) <= length + 24 since labels are built at their size;
  //    two pieces of one key cost at most key_size + 48.
  static constexpr std::size_t key_cost_bound(std::size_t key_size) noexcept {
    constexpr std::size_t per_node = heap_block_bytes(sizeof(node)) + 48;
    constexpr std::size_t in_string = 15;  // libstdc++'s short-string capacity
    return 2 * per_node + (key_size > in_string ? key_size + 48 : 0);
  }

  // The value stored under exactly `key`, created (value-initialised) if absent.
  V& at(std::string_view key) {
    node* n = &root_;
    std::size_t pos = 0;
    for (;;) {
      if (pos == key.size()) break;
      auto it = child_for(*n, static_cast<unsigned char>(key[pos]));
      if (it == n->children.end()) {
        auto fresh = std::make_unique<node>(key.substr(pos));
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
      erase_child(*parent, index);
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
    std::vector<std::unique_ptr<node>>().swap(root_.children);  // its block too
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
    node() = default;
    // Constructed from a view, a std::string allocates exactly what it needs.
    explicit node(std::string_view l) : label(l) {}
    std::string label;  // bytes on the edge from the parent, at their exact size
    std::optional<V> value;
    std::vector<std::unique_ptr<node>> children;  // sorted by first label byte
  };
  using child_iter = typename std::vector<std::unique_ptr<node>>::iterator;

  // The child whose label starts with `first`, or end().
  static child_iter child_for(node& n, unsigned char first) {
    auto it = insertion_point(n, first);
    if (it != n.children.end() && static_cast<unsigned char>((*it)->label[0]) != first)
      return n.children.end();
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
    const std::string_view label = slot->label;
    auto upper = std::make_unique<node>(label.substr(0, at));
    replace_label(*slot, label.substr(at));
    upper->children.push_back(std::move(slot));
    slot = std::move(upper);
  }

  static void merge_with_only_child(node& n) {
    std::unique_ptr<node> child = std::move(n.children.front());
    n.children.clear();
    // Built at its final size: appending would leave up to twice that capacity.
    std::string joined(n.label.size() + child->label.size(), '\0');
    const auto tail = std::copy(n.label.begin(), n.label.end(), joined.begin());
    std::copy(child->label.begin(), child->label.end(), tail);
    joined.swap(n.label);
    n.value = std::move(child->value);
    n.children = std::move(child->children);
  }

  // Gives `n` a label of exactly `l`'s size (which may be a piece of its current one).
  // Assigning would keep the old heap block when the new label fits inside the string;
  // swapping hands it to the temporary, which frees it.
  static void replace_label(node& n, std::string_view l) { std::string(l).swap(n.label); }

  // Removes a child; an array left more than half empty is shrunk, so that arrays never
  // hold more than twice the slots they use (key_cost_bound).
  static void erase_child(node& n, std::size_t index) {
    n.children.erase(n.children.begin() + static_cast<std::ptrdiff_t>(index));
    if (n.children.capacity() > 2 * n.children.size()) n.children.shrink_to_fit();
  }

  node root_;
  std::size_t size_ = 0;
};

}  // namespace ringmq::detail
