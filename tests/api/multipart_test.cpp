// Multipart helpers over ranges, recv_multipart into output iterators, and receiving into a
// caller's buffer with truncation.
#include "spec/support.hpp"

#include <array>
#include <cstring>
#include <list>
#include <string>
#include <vector>

namespace ringmq_test {
namespace {

struct pipeline {
  ringmq::context ctx;
  ringmq::socket pull = make_socket(ctx, socket_type::pull);
  ringmq::socket push = make_socket(ctx, socket_type::push);
  pipeline() {
    pull.bind("inproc://parts");
    push.connect("inproc://parts");
  }
};

TEST(api_multipart, send_multipart_of_strings_and_recv_multipart_into_a_back_inserter) {
  pipeline p;
  const std::vector<std::string> parts{"first", "", std::string(100, 'x')};
  EXPECT_EQ(p.push.send_multipart(parts), 3u);
  std::vector<ringmq::message> got;
  EXPECT_EQ(p.pull.recv_multipart(std::back_inserter(got)), 3u);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(got[0].more());
  EXPECT_TRUE(got[1].more());
  EXPECT_FALSE(got[2].more());
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(got[i].view(), parts[i]);
}

TEST(api_multipart, send_multipart_of_messages_leaves_the_caller_s_messages_intact) {
  pipeline p;
  std::vector<ringmq::message> parts;
  parts.emplace_back(std::string_view("a"));
  parts.emplace_back(std::string(200, 'b'));
  EXPECT_EQ(p.push.send_multipart(parts), 2u);
  EXPECT_EQ(parts[0].view(), "a");
  EXPECT_EQ(parts[1].size(), 200u);
  std::list<ringmq::message> got;
  EXPECT_EQ(p.pull.recv_multipart(std::back_inserter(got)), 2u);
  EXPECT_EQ(got.front().view(), "a");
  EXPECT_EQ(got.back().data(), parts[1].data()) << "large parts are shared, not copied";
}

TEST(api_multipart, send_multipart_takes_views_arrays_and_byte_buffers) {
  pipeline p;
  const std::array<std::string_view, 2> views{"x", "y"};
  EXPECT_EQ(p.push.send_multipart(views), 2u);
  const std::vector<std::vector<std::byte>> buffers{{std::byte{1}, std::byte{2}}, {std::byte{3}}};
  EXPECT_EQ(p.push.send_multipart(buffers), 2u);
  const char* literals[] = {"l1", "l2", "l3"};
  EXPECT_EQ(p.push.send_multipart(literals), 3u);
  EXPECT_EQ(recv_parts(p.pull), (strings{"x", "y"}));
  EXPECT_EQ(recv_parts(p.pull), (strings{std::string("\x01\x02"), std::string("\x03")}));
  EXPECT_EQ(recv_parts(p.pull), (strings{"l1", "l2", "l3"}));
}

TEST(api_multipart, send_multipart_of_an_empty_range_sends_nothing) {
  pipeline p;
  EXPECT_EQ(p.push.send_multipart(std::vector<std::string>{}), 0u);
  EXPECT_TRUE(nothing_to_recv(p.pull));
}

TEST(api_multipart, send_multipart_that_would_block_sends_no_part) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.bind("inproc://small");
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  push.connect("inproc://small");
  const std::vector<std::string> parts{"a", "b", "c"};
  EXPECT_EQ(push.send_multipart(parts, send_flags::dontwait), 3u);
  EXPECT_EQ(push.send_multipart(parts, send_flags::dontwait), 3u);
  EXPECT_FALSE(push.send_multipart(parts, send_flags::dontwait));
  EXPECT_EQ(recv_parts(pull), parts);
  EXPECT_EQ(recv_parts(pull), parts);
  EXPECT_TRUE(nothing_to_recv(pull));
}

TEST(api_multipart, recv_multipart_into_a_plain_array) {
  pipeline p;
  ASSERT_TRUE(send_parts(p.push, {"1", "2", "3"}));
  std::array<ringmq::message, 3> got;
  EXPECT_EQ(p.pull.recv_multipart(got.begin()), 3u);
  EXPECT_EQ(got[2].view(), "3");
}

TEST(api_multipart, parts_can_also_be_sent_one_by_one_with_sndmore) {
  pipeline p;
  ASSERT_TRUE(p.push.send("a", send_flags::sndmore));
  ASSERT_TRUE(p.push.send("b", send_flags::sndmore));
  EXPECT_TRUE(nothing_to_recv(p.pull)) << "nothing is visible before the last part";
  ASSERT_TRUE(p.push.send("c"));
  EXPECT_EQ(recv_parts(p.pull), (strings{"a", "b", "c"}));
}

TEST(api_multipart, send_returns_the_body_size) {
  pipeline p;
  EXPECT_EQ(p.push.send("12345"), 5u);
  EXPECT_EQ(p.push.send(ringmq::message(std::size_t{1000})), 1000u);
  EXPECT_EQ(p.push.send(std::string_view{}), 0u);
  ringmq::message m;
  EXPECT_EQ(p.pull.recv(m), 5u);
  EXPECT_EQ(p.pull.recv(m), 1000u);
  EXPECT_EQ(p.pull.recv(m), 0u);
}

TEST(api_multipart, recv_into_a_buffer_reports_truncation) {
  pipeline p;
  ASSERT_TRUE(send_parts(p.push, {"0123456789", "abc", ""}));
  std::array<std::byte, 4> small{};
  auto r = p.pull.recv(std::span(small));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size, 4u);
  EXPECT_EQ(r->untruncated_size, 10u);
  EXPECT_TRUE(r->truncated());
  EXPECT_EQ(std::memcmp(small.data(), "0123", 4), 0);
  EXPECT_TRUE(p.pull.get(opt::rcvmore)) << "truncation does not swallow the next part";

  std::array<std::byte, 16> large{};
  r = p.pull.recv(std::span(large));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size, 3u);
  EXPECT_EQ(r->untruncated_size, 3u);
  EXPECT_FALSE(r->truncated());
  EXPECT_EQ(std::memcmp(large.data(), "abc", 3), 0);

  std::span<std::byte> none;
  r = p.pull.recv(none);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size, 0u);
  EXPECT_FALSE(r->truncated());
  EXPECT_FALSE(p.pull.get(opt::rcvmore));

  ASSERT_TRUE(p.push.send("zero-size buffer"));
  r = p.pull.recv(none);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size, 0u);
  EXPECT_EQ(r->untruncated_size, 16u);
  EXPECT_TRUE(r->truncated());
}

}  // namespace
}  // namespace ringmq_test
