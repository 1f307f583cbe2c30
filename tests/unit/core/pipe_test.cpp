#include "core/pipe.hpp"

#include "core/message_access.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ringmq::detail {
namespace {

message text(const std::string& s) { return message(std::string_view(s)); }

TEST(pipe, credit_runs_out_after_hwm_whole_messages) {
  pipe p(3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(p.has_credit());
    p.write(text("a"), true);  // multipart messages count once
    p.write(text("b"), false);
  }
  EXPECT_FALSE(p.has_credit());
}

TEST(pipe, zero_hwm_means_no_limit) {
  pipe p(0);
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(p.has_credit());
    p.write(text("x"), false);
  }
}

TEST(pipe, reading_returns_credit_in_batches_and_answers_a_waiting_writer) {
  pipe p(4);  // credit comes back every (4 + 1) / 2 = 2 messages
  for (int i = 0; i < 4; ++i) p.write(text("m"), false);
  p.flush();
  ASSERT_FALSE(p.has_credit());  // the writer is now waiting
  message m;
  bool credit_returned = false;
  ASSERT_TRUE(p.read(m, credit_returned));
  EXPECT_FALSE(credit_returned);
  EXPECT_FALSE(p.has_credit());
  ASSERT_TRUE(p.read(m, credit_returned));
  EXPECT_TRUE(credit_returned);  // the reader tells the waiting writer
  EXPECT_TRUE(p.has_credit());
}

TEST(pipe, the_reader_sees_the_more_flag_of_each_frame) {
  pipe p(10);
  p.write(text("1"), true);
  p.write(text("2"), false);
  p.flush();
  message m;
  bool credit = false;
  ASSERT_TRUE(p.read(m, credit));
  EXPECT_TRUE(m.more());
  ASSERT_TRUE(p.read(m, credit));
  EXPECT_FALSE(m.more());
}

TEST(pipe, rollback_drops_an_unfinished_message_and_its_credit_is_kept) {
  pipe p(1);
  p.write(text("done"), false);
  EXPECT_FALSE(p.has_credit());
  pipe q(1);
  q.write(text("part"), true);
  EXPECT_EQ(q.rollback(), 1);
  EXPECT_TRUE(q.has_credit());
  q.flush();
  message m;
  bool credit = false;
  EXPECT_FALSE(q.read(m, credit));
}

TEST(pipe, the_closing_delimiter_needs_no_credit) {
  pipe p(1);
  p.write(text("x"), false);
  ASSERT_FALSE(p.has_credit());
  p.write_uncounted(message_access::make_delimiter());
  p.flush();
  message m;
  bool credit = false;
  ASSERT_TRUE(p.read(m, credit));
  ASSERT_TRUE(p.read(m, credit));
  EXPECT_TRUE(message_access::has(m, message_access::delimiter));
}

}  // namespace
}  // namespace ringmq::detail
