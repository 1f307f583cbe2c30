#include "pattern/pubsub/prefix_tree.hpp"

#include "heap_counter.hpp"

#include <gtest/gtest.h>

#include <pthread.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace ringmq::detail {
namespace {

std::vector<int> prefixes_of(prefix_tree<int>& t, std::string_view data) {
  std::vector<int> found;
  t.for_each_prefix_of(data, [&](int& v) { found.push_back(v); });
  std::sort(found.begin(), found.end());
  return found;
}

TEST(prefix_tree, finds_exact_keys_and_every_prefix_of_a_message) {
  prefix_tree<int> t;
  t.at("") = 1;
  t.at("ab") = 2;
  t.at("abc") = 3;
  t.at("abd") = 4;
  t.at("b") = 5;
  EXPECT_EQ(*t.find("ab"), 2);
  EXPECT_EQ(t.find("a"), nullptr);
  EXPECT_EQ(prefixes_of(t, "abcdef"), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(prefixes_of(t, "abd"), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(prefixes_of(t, "a"), (std::vector<int>{1}));
  EXPECT_EQ(prefixes_of(t, "xyz"), (std::vector<int>{1}));
  EXPECT_EQ(t.size(), 5u);
}

TEST(prefix_tree, erasing_keeps_the_others_and_merges_nodes) {
  prefix_tree<int> t;
  t.at("abc") = 1;
  t.at("abd") = 2;
  t.at("ab") = 3;
  t.erase("ab");
  EXPECT_EQ(t.find("ab"), nullptr);
  EXPECT_EQ(*t.find("abc"), 1);
  t.erase("abc");
  EXPECT_EQ(*t.find("abd"), 2);
  EXPECT_EQ(prefixes_of(t, "abdx"), (std::vector<int>{2}));
  t.erase("abd");
  EXPECT_TRUE(t.empty());
  t.erase("not there");
}

TEST(prefix_tree, binary_keys_with_zero_and_high_bytes) {
  prefix_tree<int> t;
  const std::string a("\0\xff", 2);
  const std::string b("\0\x01", 2);
  t.at(a) = 1;
  t.at(b) = 2;
  EXPECT_EQ(*t.find(a), 1);
  EXPECT_EQ(*t.find(b), 2);
  EXPECT_EQ(prefixes_of(t, a + "rest"), (std::vector<int>{1}));
}

// Checks the tree against a std::map over random operations.
TEST(prefix_tree, behaves_like_a_map_of_prefixes_under_random_operations) {
  std::mt19937 rng(7);
  prefix_tree<int> t;
  std::map<std::string, int> model;
  const auto random_key = [&] {
    std::string k;
    const auto len = rng() % 5;
    for (unsigned i = 0; i < len; ++i) k.push_back(static_cast<char>('a' + rng() % 3));
    return k;
  };
  for (int step = 0; step < 20000; ++step) {
    const std::string k = random_key();
    if (rng() % 3 == 0) {
      t.erase(k);
      model.erase(k);
    } else {
      t.at(k) = step;
      model[k] = step;
    }
    const std::string probe = random_key() + random_key();
    std::vector<int> expected;
    for (const auto& [key, v] : model)
      if (probe.compare(0, key.size(), key) == 0) expected.push_back(v);
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(prefixes_of(t, probe), expected) << "step " << step;
    ASSERT_EQ(t.size(), model.size());
  }
  std::size_t visited = 0;
  t.for_each([&](std::string_view key, int& v) {
    ++visited;
    EXPECT_EQ(model.at(std::string(key)), v);
  });
  EXPECT_EQ(visited, model.size());
}

// Keys that share long prefixes and each other's beginnings, so that insertions split
// long labels and erasures merge them again.
std::vector<std::string> overlapping_keys(std::mt19937& rng, std::size_t count) {
  const std::string bases[] = {std::string(40, 'a'), std::string(20, 'a') + std::string(20, 'b'),
                               "0123456789abcdefghijklmnopqrstuvwxyzABCD"};
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < count; ++i) {
    std::string k = bases[rng() % 3].substr(0, rng() % 41);
    const auto tail = rng() % 4;
    for (unsigned j = 0; j < tail; ++j) k.push_back(static_cast<char>('a' + rng() % 2));
    keys.push_back(std::move(k));
  }
  return keys;
}

// Sums key_cost_bound over `keys`.
std::size_t bound_of(std::initializer_list<std::string_view> keys) {
  std::size_t sum = 0;
  for (auto k : keys) sum += prefix_tree<int>::key_cost_bound(k.size());
  return sum;
}

TEST(prefix_tree, a_node_that_lost_most_of_its_children_gives_their_slots_back) {
  // "p" with 256 children, 255 of which go: a 2 KiB array kept for one child would let a
  // peer hold far more than it is charged, a few keys at a time.
  std::vector<std::string> keys;
  for (int b = 0; b < 256; ++b) keys.push_back(std::string("p") + static_cast<char>(b));
  const std::size_t baseline = heap_in_use();
  prefix_tree<int> t;
  t.at("p") = 1;
  for (const auto& k : keys) t.at(k) = 1;
  for (std::size_t i = 1; i < keys.size(); ++i) t.erase(keys[i]);
  EXPECT_LE(heap_in_use() - baseline, bound_of({"p", keys[0]}));
}

TEST(prefix_tree, labels_cut_and_joined_again_keep_no_spare_capacity) {
  // Splitting a 1000-byte label leaves its lower part 1 byte long; joining it back after
  // the other key goes must not leave the 1000-byte block behind, nor a doubled one.
  const std::string a(1000, 'x');
  const std::string b = std::string(999, 'x') + "y";
  const std::size_t baseline = heap_in_use();
  prefix_tree<int> t;
  t.at(a) = 1;
  t.at(b) = 2;
  EXPECT_LE(heap_in_use() - baseline, bound_of({a, b}));
  t.erase(b);
  EXPECT_LE(heap_in_use() - baseline, bound_of({a}));
}

// key_cost_bound is what a subscriber is charged for a topic: the tree must never hold
// more than the sum over its keys, whatever order keys come and go in.
TEST(prefix_tree, never_holds_more_heap_than_the_bound_of_its_keys) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    const std::vector<std::string> keys = overlapping_keys(rng, 400);
    std::vector<std::pair<bool, std::size_t>> steps;  // (insert, key index), built before measuring
    for (int i = 0; i < 20000; ++i)                   // mostly insertions, then mostly erasures
      steps.emplace_back(rng() % 5 < (i < 10000 ? 3u : 1u), rng() % keys.size());
    const std::size_t baseline = heap_in_use();
    std::size_t bound = 0;
    {
      prefix_tree<int> t;
      for (const auto& [insert, index] : steps) {
        const std::string& k = keys[index];
        const bool present = t.find(k) != nullptr;
        if (insert && !present) {
          t.at(k) = 1;
          bound += prefix_tree<int>::key_cost_bound(k.size());
        } else if (!insert && present) {
          t.erase(k);
          bound -= prefix_tree<int>::key_cost_bound(k.size());
        }
        ASSERT_LE(heap_in_use() - baseline, bound) << "seed " << seed << ", " << t.size() << " keys";
      }
      for (const std::string& k : keys) t.erase(k);
      EXPECT_EQ(heap_in_use(), baseline) << "seed " << seed << ": an empty tree holds heap";
    }
  }
}

TEST(prefix_tree, many_short_keys_stay_within_their_bound) {
  // 65536 distinct 4-byte keys, as a subscriber at its limit could send: what they really
  // cost, against what they are charged.
  std::vector<std::string> keys;
  for (std::uint32_t i = 0; i < 65536; ++i) keys.push_back(std::string(reinterpret_cast<const char*>(&i), 4));
  const std::size_t baseline = heap_in_use();
  prefix_tree<int> t;
  for (const auto& k : keys) t.at(k) = 1;
  const double per_key = static_cast<double>(heap_in_use() - baseline) / static_cast<double>(keys.size());
  EXPECT_LE(per_key, static_cast<double>(prefix_tree<int>::key_cost_bound(4)));
  t.clear();
  EXPECT_EQ(heap_in_use(), baseline);
  RecordProperty("heap_bytes_per_key", std::to_string(per_key));
  RecordProperty("bound_per_key", std::to_string(prefix_tree<int>::key_cost_bound(4)));
}

// Runs `fn` on a thread with a 256 KiB stack: code that recursed once per tree level would
// overflow it.
void run_with_small_stack(std::function<void()> fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, std::size_t{256} * 1024);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, &fn), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// CVE-2021-20236 class: a peer chooses the depth. 4,000 nested keys ("a", "aa", ...)
// are built, matched, erased and destroyed on a small stack.
TEST(prefix_tree, deep_trees_never_recurse) {
  run_with_small_stack([] {
    prefix_tree<int> t;
    std::string key;
    for (int i = 0; i < 4000; ++i) {
      key.push_back('a');
      t.at(key) = i;
    }
    int count = 0;
    t.for_each_prefix_of(key, [&](int&) { ++count; });
    EXPECT_EQ(count, 4000);
    std::size_t total = 0;
    t.for_each([&](std::string_view, int&) { ++total; });
    EXPECT_EQ(total, 4000u);
    for (int i = 0; i < 2000; ++i) {
      t.erase(key);
      key.pop_back();
    }
    EXPECT_EQ(t.size(), 2000u);
  });  // destruction happens on the small stack too
}

TEST(prefix_tree, a_megabyte_topic_is_one_node) {
  prefix_tree<int> t;
  const std::string topic(1 << 20, 'x');
  t.at(topic) = 1;
  EXPECT_EQ(prefixes_of(t, topic + "y"), (std::vector<int>{1}));
  t.erase(topic);
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace ringmq::detail
