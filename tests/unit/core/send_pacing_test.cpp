// send_pacing: which sends an application thread writes itself (lone messages, answers)
// and which it leaves to the I/O thread to batch. The state is per thread: each test runs
// on a fresh thread.
#include "core/send_pacing.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace ringmq::detail {
namespace {

template <class F>
void on_fresh_thread(F fn) {
  std::thread t(fn);
  t.join();
}

TEST(send_pacing, an_answer_to_a_message_the_thread_waited_for_is_lone_however_soon_it_follows) {
  on_fresh_thread([] {
    EXPECT_TRUE(send_pacing::lone_message());  // the first send of a quiet thread
    // Busy-polling peers answer within a few microseconds: the wait tells it is an answer.
    for (int i = 0; i < 1000; ++i) {
      send_pacing::note_received(true);
      ASSERT_TRUE(send_pacing::lone_message()) << "answer " << i;
    }
  });
}

TEST(send_pacing, answers_worked_off_a_backlog_are_batched) {
  on_fresh_thread([] {
    (void)send_pacing::lone_message();
    // Messages that were already there when received, answered at once: a backlog. (An
    // answer more than a round trip after the previous send counts as lone; a thousand
    // in a row that slow would take a thousand preemptions.)
    bool batched = false;
    for (int i = 0; i < 1000 && !batched; ++i) {
      send_pacing::note_received(false);
      batched = !send_pacing::lone_message();
    }
    EXPECT_TRUE(batched);
  });
}

TEST(send_pacing, a_thread_that_sent_awaits_an_answer_until_it_receives) {
  on_fresh_thread([] {
    EXPECT_FALSE(send_pacing::awaiting_answer());
    send_pacing::note_sent();
    EXPECT_TRUE(send_pacing::awaiting_answer());
    send_pacing::note_received(true);
    EXPECT_FALSE(send_pacing::awaiting_answer());
  });
}

}  // namespace
}  // namespace ringmq::detail
