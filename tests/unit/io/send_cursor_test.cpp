#include "io/send_cursor.hpp"

#include <gtest/gtest.h>

#include <limits.h>

#include <string>
#include <vector>

namespace ringmq::detail::io {
namespace {

std::string gather(std::span<const iovec> v) {
  std::string out;
  for (const iovec& e : v) out.append(static_cast<const char*>(e.iov_base), e.iov_len);
  return out;
}

iovec piece(std::string& s) { return iovec{s.data(), s.size()}; }

TEST(send_cursor, whole_entries_point_into_the_callers_array) {
  std::string a = "hello ", b = "", c = "world";
  const std::vector<iovec> v = {piece(a), piece(b), piece(c)};
  send_cursor cur;
  cur.start(v);
  EXPECT_EQ(cur.total(), 11u);
  EXPECT_FALSE(cur.done());
  const auto next = cur.next();
  EXPECT_EQ(next.data(), v.data());  // no copy
  EXPECT_EQ(gather(next), "hello world");
  cur.advance(6);  // exactly the first entry
  EXPECT_EQ(cur.next().data(), v.data() + 2) << "the empty entry is skipped";
  cur.advance(5);
  EXPECT_TRUE(cur.done());
  EXPECT_EQ(cur.sent(), 11u);
}

TEST(send_cursor, resumes_mid_entry) {
  std::string a = "abcdef", b = "ghij";
  const std::vector<iovec> v = {piece(a), piece(b)};
  send_cursor cur;
  cur.start(v);
  cur.advance(4);
  EXPECT_EQ(gather(cur.next()), "efghij");
  cur.advance(3);
  EXPECT_EQ(gather(cur.next()), "hij");
  cur.advance(3);
  EXPECT_TRUE(cur.done());
}

TEST(send_cursor, offers_at_most_iov_max_entries) {
  std::string one = "x";
  const std::vector<iovec> v(2 * IOV_MAX + 5, piece(one));
  send_cursor cur;
  cur.start(v);
  std::size_t calls = 0;
  while (!cur.done()) {
    const auto next = cur.next();
    ASSERT_LE(next.size(), static_cast<std::size_t>(IOV_MAX));
    ASSERT_FALSE(next.empty());
    cur.advance(next.size() > 3 ? next.size() - 3 : next.size());  // short "sends" too
    ++calls;
  }
  EXPECT_EQ(cur.sent(), v.size());
  EXPECT_GE(calls, 3u);
}

TEST(send_cursor, empty_sends_are_done_at_once) {
  send_cursor cur;
  cur.start({});
  EXPECT_TRUE(cur.done());
  const std::vector<iovec> empties(3, iovec{nullptr, 0});
  cur.start(empties);
  EXPECT_TRUE(cur.done());
  EXPECT_EQ(cur.total(), 0u);
}

}  // namespace
}  // namespace ringmq::detail::io
