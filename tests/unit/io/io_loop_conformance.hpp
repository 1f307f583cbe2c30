// The io_loop conformance suite's fixture and backend list, shared by its test files
// (streams, and the rest: listeners, connects, timers, posts). Every TYPED_TEST of
// io_loop_conformance runs on each backend below:
//   epoll                 the fallback;
//   io_uring              the default ring: multishot recv/accept, DEFER_TASKRUN;
//   io_uring_single_shot  what an older kernel gets: single-shot recv/accept, COOP_TASKRUN;
//   io_uring_tight        multishot with an 8-entry SQ, a 16-entry CQ and 8 × 2 KiB
//                         buffers: exercises full SQs, CQ overflow ending multishots, and
//                         -ENOBUFS re-arming.
#pragma once

#include "io/io_uring_loop.hpp"
#include "loop_test_support.hpp"

#include <optional>
#include <string>
#include <system_error>

namespace ringmq::detail::io::test {

struct epoll_backend {
  static constexpr const char* name = "epoll";
  static io_thread::loop_factory factory() {
    return [] { return make_loop(backend_choice::epoll); };
  }
  static std::optional<std::string> unavailable() { return std::nullopt; }
};

template <class Config>
struct uring_backend {
  static constexpr const char* name = Config::name;
  static io_thread::loop_factory factory() {
    return [] { return make_io_uring_loop(Config::make()); };
  }
  // Why io_uring cannot run here (probed once), or nullopt.
  static std::optional<std::string> unavailable() {
    static const std::optional<std::string> why = io_uring_unavailable(Config::make());
    return why;
  }
};

struct default_ring {
  static constexpr const char* name = "io_uring";
  static uring_config make() { return uring_config{}; }
};

struct single_shot_ring {
  static constexpr const char* name = "io_uring_single_shot";
  static uring_config make() {
    uring_config c;
    c.multishot = false;
    c.defer_taskrun = false;
    return c;
  }
};

struct tight_ring {
  static constexpr const char* name = "io_uring_tight";
  static uring_config make() {
    uring_config c;
    c.sq_entries = 8;
    c.cq_entries = 16;
    c.buffer_count = 8;
    c.buffer_size = 2048;
    return c;
  }
};

using backends = ::testing::Types<epoll_backend, uring_backend<default_ring>, uring_backend<single_shot_ring>,
                                  uring_backend<tight_ring>>;

struct backend_names {
  template <class B>
  static std::string GetName(int) {
    return B::name;
  }
};

template <class Backend>
class io_loop_conformance : public ::testing::Test {
 public:
  void SetUp() override {
    if (auto why = Backend::unavailable()) GTEST_SKIP() << "io_uring unavailable here: " << *why;
  }

  // Tests declare their handlers, buffers and fds before the thread, so that the loop
  // (destroyed first) never outlives what it points to.
  std::unique_ptr<io_thread> start(std::chrono::microseconds busy_poll = std::chrono::microseconds::zero()) {
    return std::make_unique<io_thread>(0, Backend::factory(), busy_poll);
  }
};

TYPED_TEST_SUITE(io_loop_conformance, backends, backend_names);

// Hands `fd` to the loop as a stream.
inline stream_id add_stream(io_thread& t, unique_fd& fd, stream_handler& h) {
  return on_loop(t, [&] { return t.loop().add_stream(fd.release(), h); });
}

// Closes a stream and waits for `done`.
inline void close_and_wait(io_thread& t, stream_id id) {
  std::promise<void> closed;
  on_loop(t, [&] { t.loop().close_stream(id, [&] { closed.set_value(); }); });
  ASSERT_EQ(closed.get_future().wait_for(patience), std::future_status::ready);
}

}  // namespace ringmq::detail::io::test
