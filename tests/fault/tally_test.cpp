// The checker recognises each kind of damage the fault suite counts: a test that could not
// tell a merged or partial message from a whole one would pass whatever the library did.
#include "fault/tally.hpp"

#include "fault/numbered_message.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace fault {
namespace {

using bytes = std::vector<std::byte>;

// Part `index` of message (producer, seq) with `count` parts, `length` bytes long.
bytes part(std::uint32_t producer, std::uint64_t seq, std::uint16_t index, std::uint16_t count,
           std::size_t length = 60) {
  bytes b(length);
  fill_part(b, producer, seq, index, count);
  return b;
}

// The parts of a whole message.
std::vector<bytes> message(std::uint32_t producer, std::uint64_t seq, std::uint16_t count = 3) {
  std::vector<bytes> parts;
  for (std::uint16_t i = 0; i < count; ++i)
    parts.push_back(part(producer, seq, i, count, 40 + 13 * std::size_t{i}));
  return parts;
}

verdict check(tally& t, const std::vector<bytes>& parts, std::uint64_t connection = 0) {
  std::vector<std::span<const std::byte>> views(parts.begin(), parts.end());
  return t.check(views, connection);
}

TEST(tally, a_whole_message_counts_once_and_again_as_a_duplicate) {
  tally t(1024);
  EXPECT_EQ(check(t, message(1, 0)), verdict::whole);
  EXPECT_EQ(check(t, message(1, 1)), verdict::whole);
  EXPECT_EQ(check(t, message(1, 0)), verdict::duplicate);
  EXPECT_EQ(t.get(global::unique), 2U);
  EXPECT_EQ(t.get(global::duplicated), 1U);
  EXPECT_EQ(t.get(1, per_producer::unique), 2U);
  EXPECT_EQ(t.get(global::reordered), 0U);
}

TEST(tally, stale_first_frames_glued_to_the_next_message_are_merged) {
  // [A1, B1, B2, B3]: what a connecting PULL delivers when the rest of A was cut off.
  tally t(1024);
  std::vector<bytes> parts;
  parts.push_back(part(2, 7, 0, 3));
  for (auto& p : message(2, 8)) parts.push_back(std::move(p));
  EXPECT_EQ(check(t, parts), verdict::merged);
  EXPECT_EQ(t.get(global::merged), 1U);
  EXPECT_EQ(t.get(global::unique), 0U);
}

TEST(tally, one_message_twice_in_one_is_merged) {
  tally t(1024);
  auto parts = message(0, 3, 2);
  for (auto& p : message(0, 3, 2)) parts.push_back(std::move(p));
  EXPECT_EQ(check(t, parts), verdict::merged);
}

TEST(tally, missing_parts_are_partial) {
  tally t(1024);
  auto head = message(0, 4);
  head.pop_back();
  EXPECT_EQ(check(t, head), verdict::partial);
  auto tail = message(0, 5);
  tail.erase(tail.begin());
  EXPECT_EQ(check(t, tail), verdict::partial);
  EXPECT_EQ(t.get(global::partial), 2U);
}

TEST(tally, a_changed_or_shortened_part_is_corrupted) {
  tally t(1024);
  auto flipped = message(0, 6);
  flipped[1][flipped[1].size() - 1] ^= std::byte{1};
  EXPECT_EQ(check(t, flipped), verdict::corrupted);
  auto shortened = message(0, 7);
  shortened[2].pop_back();
  EXPECT_EQ(check(t, shortened), verdict::corrupted);
  auto header_hit = message(0, 8);
  header_hit[0][9] ^= std::byte{0x40};  // the sequence number
  EXPECT_EQ(check(t, header_hit), verdict::corrupted);
  EXPECT_EQ(check(t, {bytes(3)}), verdict::corrupted);
  EXPECT_EQ(t.get(global::corrupted), 4U);
}

TEST(tally, an_older_message_after_a_newer_one_is_reordered) {
  tally t(1024);
  EXPECT_EQ(check(t, message(3, 7)), verdict::whole);
  EXPECT_EQ(check(t, message(3, 5)), verdict::whole);
  EXPECT_EQ(check(t, message(3, 8)), verdict::whole);
  EXPECT_EQ(t.get(global::reordered), 1U);
  EXPECT_EQ(t.get(3, per_producer::next_expected), 9U);
  EXPECT_EQ(t.get(3, per_producer::first_received), 8U);
}

TEST(tally, an_old_connections_tail_among_a_new_ones_messages_is_interleaved_not_reordered) {
  // Connection 1 still delivers 10, 11, 12 while connection 2 (the sender reconnected) has
  // started with 20, 21.
  tally t(1024);
  for (auto [seq, conn] : {std::pair{10, 1}, {20, 2}, {11, 1}, {21, 2}, {12, 1}})
    EXPECT_EQ(check(t, message(0, static_cast<std::uint64_t>(seq)), static_cast<std::uint64_t>(conn)),
              verdict::whole);
  EXPECT_EQ(t.get(global::reordered), 0U);
  EXPECT_EQ(t.get(global::interleaved), 2U);
  EXPECT_EQ(t.get(global::connections), 2U);
}

TEST(tally, backwards_on_one_connection_is_reordered_whatever_else_arrives) {
  tally t(1024);
  EXPECT_EQ(check(t, message(0, 20), 2), verdict::whole);
  EXPECT_EQ(check(t, message(0, 10), 1), verdict::whole);  // another connection: fine
  EXPECT_EQ(check(t, message(0, 19), 2), verdict::whole);  // behind 20 on connection 2
  EXPECT_EQ(t.get(global::reordered), 1U);
  EXPECT_EQ(t.get(global::interleaved), 1U);
}

TEST(tally, producers_are_counted_apart) {
  tally t(1024);
  EXPECT_EQ(check(t, message(0, 1)), verdict::whole);
  EXPECT_EQ(check(t, message(1, 0)), verdict::whole);  // not reordered: another producer
  EXPECT_EQ(t.get(global::reordered), 0U);
}

TEST(tally, a_sequence_beyond_the_capacity_is_foreign) {
  tally t(64);
  EXPECT_EQ(check(t, message(0, 64)), verdict::foreign);
  EXPECT_EQ(check(t, message(0, 63)), verdict::whole);
}

TEST(tally, one_byte_messages_must_follow_each_other) {
  tally t(64);
  for (int v : {0, 1, 2, 4, 5}) {
    const bytes b{static_cast<std::byte>(v)};
    t.check_tiny(b);
  }
  EXPECT_EQ(t.get(global::tiny_received), 5U);
  EXPECT_EQ(t.get(global::tiny_out_of_order), 1U);
}

TEST(tally, a_successor_process_sees_what_its_predecessor_received) {
  char dir[] = "/tmp/fault-tally-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/t";
  {
    tally first(path, 1000);
    EXPECT_EQ(first.reserve(2), 0U);
    EXPECT_EQ(first.reserve(2), 1U);
    EXPECT_EQ(check(first, message(2, 0)), verdict::whole);
  }
  {
    tally second(path, 5);  // an existing file keeps its capacity
    EXPECT_EQ(second.reserve(2), 2U);
    EXPECT_EQ(check(second, message(2, 0)), verdict::duplicate);
    EXPECT_EQ(check(second, message(2, 999)), verdict::whole);
    EXPECT_EQ(second.get(global::starts), 2U);
  }
  ::unlink(path.c_str());
  ::rmdir(dir);
}

TEST(numbered_message, shapes_are_a_function_of_producer_and_sequence) {
  shape_settings s;
  s.large_every = 10;
  for (std::uint64_t seq = 0; seq < 100; ++seq) {
    const auto a = shape_of(s, 1, seq);
    const auto b = shape_of(s, 1, seq);
    ASSERT_EQ(a.parts, b.parts);
    ASSERT_GE(a.parts, s.min_parts);
    ASSERT_LE(a.parts, s.max_parts);
    bool large = false;
    for (unsigned i = 0; i < a.parts; ++i) {
      ASSERT_EQ(a.lengths[i], b.lengths[i]);
      ASSERT_GE(a.lengths[i], header_size);
      large = large || a.lengths[i] == s.large_size;
    }
    EXPECT_EQ(large, seq % 10 == 9) << seq;
  }
}

}  // namespace
}  // namespace fault
