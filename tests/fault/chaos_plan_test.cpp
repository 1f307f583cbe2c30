// The chaos proxy's plan is a function of its seed: a failing run can be replayed.
#include "fault/chaos_plan.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fault {
namespace {

chaos_settings everything() {
  chaos_settings s;
  s.cut = s.reset = s.split = s.coalesce = s.delay = true;
  return s;
}

std::vector<std::uint64_t> trace(flow_plan p) {
  std::vector<std::uint64_t> out{p.cut_at(), p.cut_is_reset() ? 1U : 0U};
  std::uint64_t off = 0;
  for (int i = 0; i < 50; ++i) {
    const auto e = p.next_event(off);
    out.insert(out.end(),
               {e.at, static_cast<std::uint64_t>(e.action), e.length, e.hold_us, e.stall_ms, p.chunk()});
    off = e.at + e.length;
  }
  return out;
}

TEST(chaos_plan, the_same_seed_gives_the_same_plan) {
  EXPECT_EQ(trace(flow_plan(everything(), 42, 3, 0)), trace(flow_plan(everything(), 42, 3, 0)));
  EXPECT_NE(trace(flow_plan(everything(), 42, 3, 0)), trace(flow_plan(everything(), 43, 3, 0)));
  EXPECT_NE(trace(flow_plan(everything(), 42, 3, 0)), trace(flow_plan(everything(), 42, 4, 0)));
  EXPECT_NE(trace(flow_plan(everything(), 42, 3, 0)), trace(flow_plan(everything(), 42, 3, 1)));
}

TEST(chaos_plan, cuts_fall_in_their_range_and_both_kinds_occur) {
  auto s = everything();
  s.cut_min = 100;
  s.cut_max = 200;
  unsigned resets = 0;
  for (std::uint64_t link = 0; link < 200; ++link) {
    flow_plan p(s, 7, link, 0);
    ASSERT_GE(p.cut_at(), 100U);
    ASSERT_LE(p.cut_at(), 200U);
    resets += p.cut_is_reset() ? 1U : 0U;
  }
  EXPECT_GT(resets, 50U);
  EXPECT_LT(resets, 150U);
}

TEST(chaos_plan, events_move_forward_and_respect_their_bounds) {
  auto s = everything();
  flow_plan p(s, 9, 0, 1);
  std::uint64_t off = 0;
  unsigned seen[4] = {};
  for (int i = 0; i < 300; ++i) {
    const auto e = p.next_event(off);
    ASSERT_GE(e.at, off + s.gap_min);
    ASSERT_LE(e.at, off + s.gap_max);
    ++seen[static_cast<int>(e.action)];
    if (e.action == byte_action::split) {
      ASSERT_LE(e.length, s.split_max_length);
    }
    if (e.action == byte_action::stall) {
      ASSERT_LE(e.stall_ms, s.delay_max_ms);
    }
    off = e.at + e.length;
    const auto c = p.chunk();
    ASSERT_GE(c, 1U);
    ASSERT_LE(c, s.split_max_chunk);
  }
  EXPECT_EQ(seen[0], 0U);
  EXPECT_GT(seen[1], 0U);
  EXPECT_GT(seen[2], 0U);
  EXPECT_GT(seen[3], 0U);
}

TEST(chaos_plan, no_faults_means_no_cut_and_no_event) {
  flow_plan p(chaos_settings{}, 1, 0, 0);
  EXPECT_EQ(p.cut_at(), flow_plan::never);
  EXPECT_EQ(p.next_event(0).action, byte_action::none);
}

}  // namespace
}  // namespace fault
