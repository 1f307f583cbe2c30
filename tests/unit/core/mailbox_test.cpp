#include "core/mailbox.hpp"

#include <gtest/gtest.h>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

namespace ringmq::detail {
namespace {

using namespace std::chrono_literals;

bool fd_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(mailbox, commands_are_taken_in_the_order_posted) {
  mailbox box;
  for (int i = 0; i < 3; ++i) {
    command c;
    c.what = command::kind::call;
    c.side = i;
    box.post(std::move(c));
  }
  ASSERT_TRUE(box.pending());
  std::vector<command> out;
  box.take(out);
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i)].side, i);
  EXPECT_FALSE(box.pending());
}

TEST(mailbox, wait_times_out_when_nothing_arrives) {
  mailbox box;
  const auto start = steady_clock::now();
  EXPECT_EQ(box.wait(start + 20ms, 0ns), mailbox::wake::deadline);
  EXPECT_GE(steady_clock::now() - start, 20ms);
}

TEST(mailbox, a_post_from_another_thread_wakes_a_sleeping_owner) {
  mailbox box;
  std::promise<void> about_to_wait;
  std::thread poster([&] {
    about_to_wait.get_future().wait();
    box.post(command{});
  });
  about_to_wait.set_value();
  EXPECT_EQ(box.wait(steady_clock::now() + 10s, 0ns), mailbox::wake::work);  // bounded only as a safety net
  poster.join();
}

TEST(mailbox, wait_readable_returns_when_the_watched_descriptor_becomes_readable) {
  mailbox box;
  ASSERT_TRUE(box.can_wait_readable());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] { EXPECT_EQ(::write(fds[1], "x", 1), 1); });
  EXPECT_EQ(box.wait_readable(fds[0], steady_clock::now() + 10s), mailbox::wake::work);
  EXPECT_TRUE(fd_readable(fds[0]));
  EXPECT_FALSE(box.pending());
  writer.join();
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(mailbox, wait_readable_returns_when_a_command_arrives) {
  mailbox box;
  ASSERT_TRUE(box.can_wait_readable());
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread poster([&] { box.post(command{}); });
  EXPECT_EQ(box.wait_readable(fds[0], steady_clock::now() + 10s), mailbox::wake::work);
  poster.join();
  EXPECT_TRUE(box.pending());
  EXPECT_FALSE(fd_readable(fds[0]));
  // Times out when neither happens.
  std::vector<command> taken;
  box.take(taken);
  const auto start = steady_clock::now();
  EXPECT_EQ(box.wait_readable(fds[0], start + 20ms), mailbox::wake::deadline);
  EXPECT_GE(steady_clock::now() - start, 20ms);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(mailbox, spinning_sees_a_post_without_sleeping) {
  mailbox box;
  std::thread poster([&] { box.post(command{}); });
  EXPECT_EQ(box.wait(steady_clock::now() + 10s, 1ms), mailbox::wake::work);
  poster.join();
}

TEST(mailbox, the_fd_is_readable_while_a_command_is_pending) {
  mailbox box;
  const int fd = box.fd();
  EXPECT_FALSE(fd_readable(fd));
  box.post(command{});
  EXPECT_TRUE(fd_readable(fd));
  std::vector<command> out;
  box.take(out);
  EXPECT_TRUE(fd_readable(fd));  // stays until the owner says nothing is ready
  box.update_fd(false);
  EXPECT_FALSE(fd_readable(fd));
}

TEST(mailbox, the_fd_stays_readable_while_the_owner_reports_ready) {
  mailbox box;
  const int fd = box.fd();
  box.update_fd(true);
  EXPECT_TRUE(fd_readable(fd));
  box.update_fd(true);
  EXPECT_TRUE(fd_readable(fd));
}

TEST(mailbox, clearing_the_fd_keeps_it_set_if_a_command_is_pending) {
  mailbox box;
  const int fd = box.fd();
  box.post(command{});
  box.update_fd(false);  // the command is still there
  EXPECT_TRUE(fd_readable(fd));
}

TEST(mailbox, a_closed_mailbox_drops_posts_and_closes_offered_connections) {
  auto box = std::make_shared<mailbox>();
  box->close();
  auto l = link::create(10, 10);
  command c;
  c.what = command::kind::attach;
  c.target = l;
  c.side = 1;
  box->post(std::move(c));
  EXPECT_FALSE(box->pending());
  EXPECT_TRUE(l->closed(1));  // the other end will read a delimiter
  link_end other(l, 0);
  message m;
  EXPECT_EQ(other.read(m), link_end::read_status::closed);
}

TEST(mailbox, closing_closes_connections_still_waiting_in_it) {
  mailbox box;
  auto l = link::create(10, 10);
  command c;
  c.what = command::kind::attach;
  c.target = l;
  c.side = 1;
  box.post(std::move(c));
  box.close();
  EXPECT_TRUE(l->closed(1));
}

}  // namespace
}  // namespace ringmq::detail
