#include "pattern/pubsub/prefix_tree.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <functional>
#include <pthread.h>
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

// Runs `fn` on a thread with a 256 KiB stack: code that recursed once per tree level would
// overflow it.
void run_with_small_stack(std::function<void()> fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
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
