// RINGMQ_INVARIANT: evaluates its condition once, in every build type; says nothing while the
// condition holds and otherwise aborts naming the place, the reason and the condition.
#include "core/invariant.hpp"

#include <gtest/gtest.h>

namespace {

int evaluations = 0;

bool counted(bool value) {
  ++evaluations;
  return value;
}

TEST(invariant, a_holding_condition_is_evaluated_once_and_does_nothing) {
  evaluations = 0;
  RINGMQ_INVARIANT(counted(true), "never printed");
  EXPECT_EQ(evaluations, 1);
}

TEST(invariant_death, a_broken_condition_aborts_with_file_line_reason_and_condition) {
  const int two = 2;
  EXPECT_DEATH(
      RINGMQ_INVARIANT(two + 1 == 4, "arithmetic broke"),
      "ringmq: invariant broken at .*invariant_test\\.cpp:[0-9]+: arithmetic broke \\(two \\+ 1 == 4\\)");
}

}  // namespace
