#include "io/io_thread.hpp"

#include "loop_test_support.hpp"

#include <gtest/gtest.h>

#include <pthread.h>

#include <stdexcept>
#include <string>

namespace ringmq::detail::io::test {
namespace {

TEST(io_thread, names_its_thread_and_runs_posted_work_there) {
  io_thread t(7, backend_choice::epoll);
  EXPECT_EQ(t.backend(), "epoll");
  const auto [name, id] = on_loop(t, [] {
    char buf[32] = {};
    ::pthread_getname_np(::pthread_self(), buf, sizeof buf);
    return std::pair{std::string(buf), std::this_thread::get_id()};
  });
  EXPECT_EQ(name, "ringmq-io-7");
  EXPECT_EQ(id, t.id());
}

TEST(io_thread, startup_failure_is_rethrown_to_the_constructor) {
  try {
    io_thread t(0, io_thread::loop_factory(
                       []() -> std::unique_ptr<io_loop> { throw std::runtime_error("no loop for you"); }));
    FAIL() << "expected the factory's exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "no loop for you");
  }
}

TEST(io_thread, the_loop_is_built_on_the_io_thread) {
  std::thread::id built_on;
  io_thread t(0, io_thread::loop_factory([&] {
                built_on = std::this_thread::get_id();
                return make_loop(backend_choice::automatic);
              }));
  EXPECT_EQ(built_on, t.id());
}

TEST(io_thread, a_stray_stop_does_not_end_the_thread) {
  io_thread t(0);
  t.loop().stop();
  EXPECT_EQ(on_loop(t, [] { return 42; }), 42);
}

}  // namespace
}  // namespace ringmq::detail::io::test
