#include "io/slot_table.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq::detail::io {
namespace {

TEST(slot_table, ids_are_never_zero_and_stale_ids_miss_a_reused_slot) {
  slot_table<std::string> t;
  const auto a = t.insert("a");
  EXPECT_NE(a, 0u);
  ASSERT_NE(t.find(a), nullptr);
  EXPECT_EQ(t.at(a), "a");
  t.erase(a);
  EXPECT_EQ(t.find(a), nullptr);
  const auto b = t.insert("b");  // same slot, next generation
  EXPECT_EQ(b >> 32, a >> 32);
  EXPECT_NE(b, a);
  EXPECT_EQ(t.find(a), nullptr);
  EXPECT_EQ(t.at(b), "b");
  EXPECT_EQ(t.find(12345678), nullptr);
}

TEST(slot_table, entries_do_not_move_when_the_table_grows) {
  slot_table<int> t;
  const auto first = t.insert(1);
  int* p = t.find(first);
  for (int i = 0; i < 1000; ++i) t.insert(i);
  EXPECT_EQ(t.find(first), p);
  EXPECT_EQ(t.size(), 1001u);
}

TEST(slot_table, tags_carry_the_operation_and_the_id) {
  slot_table<int> t;
  t.insert(0);
  const auto id = t.insert(7);
  const auto tag = make_tag(op_kind::send, id);
  EXPECT_EQ(tag_op(tag), op_kind::send);
  EXPECT_EQ(tag_id(tag), id);
}

}  // namespace
}  // namespace ringmq::detail::io
