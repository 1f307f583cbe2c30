#include "core/message_access.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

namespace ringmq::detail {
namespace {

TEST(message, bodies_up_to_the_inline_capacity_need_no_shared_block) {
  const std::string small(message::inline_capacity, 'x');
  message m(std::string_view{small});
  message copy(m);
  EXPECT_EQ(copy.view(), small);
  EXPECT_NE(copy.data(), m.data());  // copied by value
  EXPECT_FALSE(m.shared());
}

TEST(message, copies_of_large_bodies_share_the_bytes) {
  const std::string big(message::inline_capacity + 1, 'y');
  message m(std::string_view{big});
  EXPECT_FALSE(m.shared());
  message copy(m);
  EXPECT_EQ(copy.data(), m.data());
  EXPECT_TRUE(m.shared());
  EXPECT_TRUE(copy.shared());
  copy.reset();
  EXPECT_FALSE(m.shared());
}

TEST(message, moving_leaves_the_source_empty) {
  message m(std::string_view("some bytes that are long enough to be shared, really"));
  const void* body = m.data();
  message moved(std::move(m));
  EXPECT_EQ(moved.data(), body);
  EXPECT_TRUE(m.empty());  // NOLINT(bugprone-use-after-move): the documented state
}

struct free_counter {
  std::atomic<int> calls{0};
  std::atomic<void*> data{nullptr};
};

void count_free(void* data, void* hint) noexcept {
  auto* c = static_cast<free_counter*>(hint);
  c->data.store(data);
  c->calls.fetch_add(1);
}

TEST(message, zero_copy_bodies_are_freed_once_by_the_last_copy) {
  free_counter counter;
  char buffer[100] = "zero copy";
  {
    message m(buffer, sizeof buffer, &count_free, &counter);
    EXPECT_EQ(m.data(), buffer);
    message a(m);
    message b(a);
    m.reset();
    a.reset();
    EXPECT_EQ(counter.calls.load(), 0);
  }
  EXPECT_EQ(counter.calls.load(), 1);
  EXPECT_EQ(counter.data.load(), buffer);
}

TEST(message, zero_copy_without_a_free_function_leaves_the_bytes_to_the_caller) {
  char buffer[64] = "caller owned";
  {
    message m(buffer, sizeof buffer, nullptr);
    message copy(m);
    EXPECT_EQ(copy.data(), buffer);
  }
  EXPECT_STREQ(buffer, "caller owned");
}

TEST(message, the_last_copy_may_die_on_another_thread) {
  free_counter counter;
  static char buffer[16];
  message m(buffer, sizeof buffer, &count_free, &counter);
  message copy(m);
  m.reset();
  std::thread([c = std::move(copy)]() mutable { c.reset(); }).join();
  EXPECT_EQ(counter.calls.load(), 1);
}

TEST(message, constant_bodies_are_never_freed_or_copied) {
  static const char text[] = "constant";
  message m = message::constant(text, sizeof text - 1);
  EXPECT_EQ(m.data(), text);
  message copy(m);
  EXPECT_EQ(copy.data(), text);
}

TEST(message, properties_come_from_attached_metadata_case_insensitively) {
  message m(std::string_view("x"));
  EXPECT_FALSE(m.property("Socket-Type"));
  metadata* md = metadata::create({{"Socket-Type", "DEALER"}, {"X-Tag", "7"}});
  message_access::set_meta(m, md);
  md->release();  // the message holds its own reference
  EXPECT_EQ(m.property("socket-type"), "DEALER");
  EXPECT_EQ(m.property("X-TAG"), "7");
  EXPECT_FALSE(m.property("User-Id"));
  message copy(m);
  m.reset();
  EXPECT_EQ(copy.property("Socket-Type"), "DEALER");
}

TEST(message, uninitialised_bodies_of_any_size_are_writable) {
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, message::inline_capacity,
                           message::inline_capacity + 1, std::size_t{1} << 20}) {
    message m(size);
    ASSERT_EQ(m.size(), size);
    if (size != 0) std::memset(m.data(), 0xab, size);
  }
}

TEST(message, equality_compares_bytes) {
  EXPECT_EQ(message(std::string_view("abc")), message(std::string_view("abc")));
  EXPECT_FALSE(message(std::string_view("abc")) == message(std::string_view("abd")));
}

}  // namespace
}  // namespace ringmq::detail
