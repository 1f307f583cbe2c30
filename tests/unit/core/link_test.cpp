#include "core/link.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace ringmq::detail {
namespace {

struct recording_listener final : link_listener {
  std::vector<int> readable;
  std::vector<int> writable;
  void on_readable(link&, int side) noexcept override { readable.push_back(side); }
  void on_writable(link&, int side) noexcept override { writable.push_back(side); }
};

struct link_fixture : ::testing::Test {
  std::shared_ptr<link> l = link::create(2, 2);
  std::shared_ptr<recording_listener> listener0 = std::make_shared<recording_listener>();
  std::shared_ptr<recording_listener> listener1 = std::make_shared<recording_listener>();
  link_end a{l, 0};
  link_end b{l, 1};
  void SetUp() override {
    l->set_listener(0, listener0);
    l->set_listener(1, listener1);
  }
};

TEST_F(link_fixture, a_flush_into_a_sleeping_reader_notifies_its_owner_once) {
  message m;
  EXPECT_EQ(b.read(m), link_end::read_status::empty);  // b sleeps
  ASSERT_TRUE(a.can_write());
  a.write(message(std::string_view("hi")), false);
  a.flush();
  a.write(message(std::string_view("again")), false);
  a.flush();
  EXPECT_EQ(listener1->readable, std::vector<int>{1});
  EXPECT_TRUE(listener0->readable.empty());
}

TEST_F(link_fixture, no_notification_while_the_reader_is_awake) {
  a.write(message(std::string_view("hi")), false);
  a.flush();
  EXPECT_TRUE(listener1->readable.empty());
}

// The reader watches its empty pipe instead of sleeping on it at once; whether the flush
// lands before or during that watch, the writer never has to wake it.
void expect_patient_read_without_wake_up(bool between_sockets, unsigned pauses_between_looks) {
  auto l = link::create(2, 2, between_sockets);
  auto listener = std::make_shared<recording_listener>();
  l->set_listener(1, listener);
  link_end a{l, 0};
  link_end b{l, 1};
  std::thread writer([&a] {
    a.write(message(std::string_view("late")), false);
    a.flush();
  });
  message m;
  const auto status = b.read(m, read_patience{std::chrono::seconds(30), pauses_between_looks});
  writer.join();
  ASSERT_EQ(status, link_end::read_status::ok);
  EXPECT_EQ(m.view(), "late");
  EXPECT_TRUE(listener->readable.empty());
}

TEST(link, a_patient_reader_takes_what_the_writer_flushes_meanwhile_without_a_wake_up) {
  expect_patient_read_without_wake_up(false, 1);
}

TEST(link, a_consumer_of_another_socket_looking_seldom_takes_it_without_a_wake_up_too) {
  expect_patient_read_without_wake_up(true, 64);
}

TEST_F(link_fixture, a_patient_reader_that_finds_nothing_sleeps_like_any_other) {
  message m;
  EXPECT_EQ(b.read(m, read_patience{std::chrono::microseconds(50), 1}), link_end::read_status::empty);
  a.write(message(std::string_view("hi")), false);
  a.flush();
  EXPECT_EQ(listener1->readable, std::vector<int>{1});
}

TEST_F(link_fixture, a_writer_at_its_limit_is_told_when_credit_returns) {
  a.write(message(std::string_view("1")), false);
  a.write(message(std::string_view("2")), false);
  a.flush();
  EXPECT_FALSE(a.can_write());
  EXPECT_TRUE(listener0->writable.empty());
  message m;
  ASSERT_EQ(b.read(m), link_end::read_status::ok);  // lwm = (2 + 1) / 2 = 1
  EXPECT_EQ(listener0->writable, std::vector<int>{0});
  EXPECT_TRUE(a.can_write());
}

// A writer that would drop what does not fit (ROUTER, PUB) lets the other end move the
// pipe out first, on the writer's thread; a sleeping session writes it to the kernel.
struct draining_listener final : link_listener {
  link_end* reader = nullptr;  // not owned: an owning end would make the link own itself
  int drains = 0;
  void on_readable(link&, int) noexcept override {}
  void on_writable(link&, int) noexcept override {}
  bool drain_now(link&, int) noexcept override {
    ++drains;
    message m;
    while (reader->read(m) == link_end::read_status::ok) {
    }
    return true;
  }
};

TEST_F(link_fixture, a_full_pipe_is_drained_by_a_listener_that_can) {
  auto drainer = std::make_shared<draining_listener>();
  drainer->reader = &b;
  l->set_listener(1, drainer);
  a.write(message(std::string_view("1")), false);
  a.write(message(std::string_view("2")), false);
  a.flush();
  ASSERT_FALSE(a.can_write());
  EXPECT_TRUE(a.can_write_or_drain());
  EXPECT_EQ(drainer->drains, 1);
  EXPECT_TRUE(a.can_write_or_drain());  // room now: no second drain
  EXPECT_EQ(drainer->drains, 1);
}

TEST_F(link_fixture, a_full_pipe_stays_full_with_a_listener_that_cannot_drain) {
  a.write(message(std::string_view("1")), false);
  a.write(message(std::string_view("2")), false);
  a.flush();
  EXPECT_FALSE(a.can_write_or_drain());  // an inproc peer's mailbox: nothing to do now
}

TEST_F(link_fixture, the_closing_end_leaves_its_linger_for_the_other) {
  EXPECT_EQ(l->linger(0), std::chrono::milliseconds(0));
  a.close(std::chrono::milliseconds(250));
  EXPECT_TRUE(b.peer_closed());
  EXPECT_EQ(l->linger(0), std::chrono::milliseconds(250));
}

TEST_F(link_fixture, closing_delivers_what_was_flushed_then_the_end) {
  a.write(message(std::string_view("last words")), false);
  a.flush();
  a.close();
  EXPECT_FALSE(a);
  message m;
  ASSERT_EQ(b.read(m), link_end::read_status::ok);
  EXPECT_EQ(m.view(), "last words");
  EXPECT_EQ(b.read(m), link_end::read_status::closed);
  EXPECT_TRUE(b.peer_closed());
  EXPECT_FALSE(b.can_write());
}

TEST_F(link_fixture, closing_drops_an_unfinished_multipart_message) {
  a.write(message(std::string_view("part 1")), true);
  a.close();
  message m;
  EXPECT_EQ(b.read(m), link_end::read_status::closed);
}

TEST_F(link_fixture, closing_wakes_a_writer_waiting_for_credit) {
  b.write(message(std::string_view("1")), false);
  b.write(message(std::string_view("2")), false);
  b.flush();
  ASSERT_FALSE(b.can_write());
  a.close();
  EXPECT_EQ(listener1->writable, std::vector<int>{1});
}

TEST_F(link_fixture, peer_info_is_visible_once_published) {
  EXPECT_EQ(b.peer(), nullptr);
  l->publish_info(0, {socket_type::dealer, "id-a"});
  ASSERT_NE(b.peer(), nullptr);
  EXPECT_EQ(b.peer()->routing_id, "id-a");
  EXPECT_EQ(b.peer()->type, socket_type::dealer);
}

}  // namespace
}  // namespace ringmq::detail
