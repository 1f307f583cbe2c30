// message_slab: slices of one block behave as independent bodies, outlive the slab that
// carved them, and stay intact across blocks. The AddressSanitizer run of this suite turns
// any read of a freed block into a failure.
#include "core/message_slab.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using ringmq::message;
using ringmq::detail::message_slab;

void fill(message& m, char c) { std::memset(m.data(), c, m.size()); }

bool holds(const message& m, char c) { return m.to_string() == std::string(m.size(), c); }

TEST(message_slab, slices_are_separate_bodies_with_their_own_sharing) {
  message_slab slab;
  std::vector<message> slices;
  for (int i = 0; i < 20; ++i) {
    slices.push_back(slab.carve(64, std::size_t{20} * 66));
    fill(slices.back(), static_cast<char>('a' + i));
  }
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(slices[static_cast<std::size_t>(i)].size(), 64u);
    EXPECT_TRUE(holds(slices[static_cast<std::size_t>(i)], static_cast<char>('a' + i))) << "slice " << i;
    EXPECT_FALSE(slices[static_cast<std::size_t>(i)].shared());
  }
  const message copy = slices[3];
  EXPECT_TRUE(slices[3].shared());
  EXPECT_TRUE(copy.shared());
  EXPECT_FALSE(slices[4].shared()) << "a copy of one slice does not share its neighbours";
  EXPECT_EQ(copy.data(), slices[3].data());
}

TEST(message_slab, a_slice_outlives_the_slab_and_its_neighbours) {
  message kept;
  {
    message_slab slab;
    std::vector<message> others;
    for (int i = 0; i < 10; ++i) others.push_back(slab.carve(100, 1000));
    kept = slab.carve(200, 1000);
    fill(kept, 'k');
    for (auto& m : others) fill(m, 'o');
  }  // the slab and every other slice are gone
  EXPECT_TRUE(holds(kept, 'k'));
  fill(kept, 'w');  // still writable: the block lives as long as one slice does
  EXPECT_TRUE(holds(kept, 'w'));
}

TEST(message_slab, bodies_beyond_a_block_start_new_ones_without_touching_the_old) {
  message_slab slab;
  std::vector<message> slices;
  const std::size_t count = 3 * message_slab::max_block / message_slab::max_slice;
  for (std::size_t i = 0; i < count; ++i) {
    slices.push_back(slab.carve(message_slab::max_slice, 0));  // no hint: blocks fit one body
    fill(slices.back(), static_cast<char>('A' + i % 26));
  }
  slab.retire();
  for (std::size_t i = 0; i < count; ++i)
    EXPECT_TRUE(holds(slices[i], static_cast<char>('A' + i % 26))) << "slice " << i;
  slices.erase(slices.begin(), slices.begin() + static_cast<std::ptrdiff_t>(count / 2));
  for (std::size_t i = 0; i < slices.size(); ++i)
    EXPECT_TRUE(holds(slices[i], static_cast<char>('A' + (i + count / 2) % 26)));
}

TEST(message_slab, retiring_twice_or_empty_is_harmless) {
  message_slab slab;
  slab.retire();
  message m = slab.carve(50, 50);
  slab.retire();
  slab.retire();
  fill(m, 'z');
  EXPECT_TRUE(holds(m, 'z'));
}

}  // namespace
