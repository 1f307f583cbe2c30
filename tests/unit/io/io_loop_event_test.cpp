// io_loop conformance, everything but stream data: accepting, connecting, timers, posts
// from other threads and their wake-ups, brief watches, busy polling.
#include "io_loop_conformance.hpp"

#include <dirent.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace ringmq::detail::io::test {
namespace {

int highest_open_fd() {
  int highest = -1;
  DIR* dir = ::opendir("/proc/self/fd");
  check_sys(dir != nullptr, "opendir(/proc/self/fd)");
  const int own = ::dirfd(dir);
  while (const dirent* e = ::readdir(dir)) {
    const int fd = std::atoi(e->d_name);
    if (e->d_name[0] != '.' && fd != own) highest = std::max(highest, fd);
  }
  ::closedir(dir);
  return highest;
}

// The scheduler state ('R', 'S', ...) of one of this process's threads.
char thread_state(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(in, line);
  const auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ? '?' : line[paren + 2];
}

// Polls (with a deadline) until the loop thread is blocked in the kernel: its sleeping
// flag is set then, so a post from here must signal it.
bool wait_until_asleep(pid_t tid) {
  const auto limit = std::chrono::steady_clock::now() + patience;
  while (thread_state(tid) != 'S') {
    if (std::chrono::steady_clock::now() > limit) return false;
    std::this_thread::sleep_for(200us);
  }
  return true;
}

pid_t loop_tid(io_thread& t) {
  return on_loop(t, [] { return static_cast<pid_t>(::syscall(SYS_gettid)); });
}

TYPED_TEST(io_loop_conformance, accepts_many_connections) {
  sockaddr_in addr{};
  unique_fd listen_fd = tcp_listener(addr, 512);
  accept_recorder acc;
  std::vector<unique_fd> clients;
  auto t = this->start();
  const listener_id lid = on_loop(*t, [&] { return t->loop().add_listener(listen_fd.release(), acc); });
  constexpr std::size_t count = 200;
  for (std::size_t i = 0; i < count; ++i) clients.push_back(tcp_client(addr));
  ASSERT_TRUE(acc.box.wait([&] { return acc.fds.size() >= count; }));
  EXPECT_TRUE(acc.box.read([&] { return acc.errors.empty(); }));
  for (const unique_fd& fd : acc.fds) {
    EXPECT_NE(::fcntl(fd.get(), F_GETFL) & O_NONBLOCK, 0) << "accepted fds are non-blocking";
    EXPECT_NE(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0) << "accepted fds are close-on-exec";
  }
  std::promise<void> removed;
  on_loop(*t, [&] { t->loop().remove_listener(lid, [&] { removed.set_value(); }); });
  ASSERT_EQ(removed.get_future().wait_for(patience), std::future_status::ready);
  // remove_listener closed the listening socket.
  unique_fd late(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_NE(::connect(late.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  EXPECT_EQ(errno, ECONNREFUSED);
}

TYPED_TEST(io_loop_conformance, accepting_goes_on_after_running_out_of_descriptors) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizer runtimes open a pipe to probe memory (UBSan's vptr check, for one): with
  // every descriptor taken they report false errors. Plain builds run this test.
  GTEST_SKIP() << "needs a process with no spare descriptors, which sanitizer runtimes cannot live in";
#endif
  sockaddr_in addr{};
  unique_fd listen_fd = tcp_listener(addr, 16);
  accept_recorder acc;
  // Client sockets exist before the limit drops: connect() needs no new descriptor.
  std::vector<unique_fd> clients;
  for (int i = 0; i < 3; ++i) clients.emplace_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  auto t = this->start();

  // Lower the limit to just above the highest open fd, and fill every free number below
  // it: accept then has no descriptor to use. (io_uring reads the limit when the accept is
  // submitted, so the listener is added after the limit drops.)
  rlimit original{};
  check_sys(::getrlimit(RLIMIT_NOFILE, &original) == 0, "getrlimit");
  rlimit low = original;
  low.rlim_cur = static_cast<rlim_t>(highest_open_fd()) + 1;
  check_sys(::setrlimit(RLIMIT_NOFILE, &low) == 0, "setrlimit");
  std::vector<unique_fd> fillers;
  for (;;) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    fillers.emplace_back(fd);
  }
  const listener_id lid = on_loop(*t, [&] { return t->loop().add_listener(listen_fd.release(), acc); });
  check_sys(::connect(clients[0].get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0,
            "connect");
  const bool saw_error = acc.box.wait([&] { return !acc.errors.empty(); });
  fillers.clear();
  check_sys(::setrlimit(RLIMIT_NOFILE, &original) == 0, "setrlimit");
  ASSERT_TRUE(saw_error);

  for (std::size_t i = 1; i < clients.size(); ++i)
    check_sys(::connect(clients[i].get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0,
              "connect");
  ASSERT_TRUE(acc.box.wait([&] { return acc.fds.size() == clients.size(); }));
  for (const int error : acc.box.read([&] { return acc.errors; })) EXPECT_EQ(error, EMFILE);

  std::promise<void> removed;
  on_loop(*t, [&] { t->loop().remove_listener(lid, [&] { removed.set_value(); }); });
  ASSERT_EQ(removed.get_future().wait_for(patience), std::future_status::ready);
}

TYPED_TEST(io_loop_conformance, connect_succeeds_and_is_refused) {
  sockaddr_in open_addr{};
  unique_fd listening = tcp_listener(open_addr);
  // A bound socket that does not listen: connecting to it is refused (RST), and the port
  // stays reserved for the test's duration.
  sockaddr_in closed_addr{};
  unique_fd bound(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  closed_addr.sin_family = AF_INET;
  closed_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  check_sys(::bind(bound.get(), reinterpret_cast<const sockaddr*>(&closed_addr), sizeof closed_addr) == 0,
            "bind");
  socklen_t len = sizeof closed_addr;
  check_sys(::getsockname(bound.get(), reinterpret_cast<sockaddr*>(&closed_addr), &len) == 0, "getsockname");

  unique_fd good(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  unique_fd bad(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  recorder r;
  signal_box box;
  std::optional<int> good_result;
  std::optional<int> bad_result;
  auto t = this->start();
  on_loop(*t, [&] {
    t->loop().connect(good.get(), reinterpret_cast<const sockaddr*>(&open_addr), sizeof open_addr,
                      [&](int error) { box.update([&] { good_result = error; }); });
    t->loop().connect(bad.get(), reinterpret_cast<const sockaddr*>(&closed_addr), sizeof closed_addr,
                      [&](int error) { box.update([&] { bad_result = error; }); });
  });
  ASSERT_TRUE(box.wait([&] { return good_result && bad_result; }));
  EXPECT_EQ(*good_result, 0);
  EXPECT_EQ(*bad_result, ECONNREFUSED);

  // The connected fd works as a stream.
  unique_fd accepted(::accept4(listening.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (accepted.get() < 0) {
    pollfd pfd{listening.get(), POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 60'000), 1);
    accepted.reset(::accept4(listening.get(), nullptr, nullptr, SOCK_CLOEXEC));
  }
  ASSERT_GE(accepted.get(), 0);
  set_io_timeouts(accepted.get());
  const stream_id id = add_stream(*t, good, r);
  const auto hello = pattern(100, 1);
  ASSERT_TRUE(write_all(accepted.get(), hello));
  ASSERT_TRUE(r.wait_bytes(hello.size()));
  close_and_wait(*t, id);
}

TYPED_TEST(io_loop_conformance, cancelled_connect_never_calls_back) {
  // A listener whose accept queue is full drops further SYNs, so a connect to it stays in
  // progress (the kernel retransmits after a second).
  sockaddr_in addr{};
  unique_fd listening = tcp_listener(addr, 0);
  unique_fd first = tcp_client(addr);  // fills the queue (Linux queues backlog + 1)
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  int calls = 0;  // loop thread only
  auto t = this->start();
  on_loop(*t, [&] {
    const std::uint64_t cid = t->loop().connect(fd.get(), reinterpret_cast<const sockaddr*>(&addr),
                                                sizeof addr, [&](int) { ++calls; });
    t->loop().cancel_connect(cid);
    t->loop().cancel_connect(cid);  // twice is harmless
  });
  on_loop(*t, [] {});
  on_loop(*t, [] {});
  EXPECT_EQ(on_loop(*t, [&] { return calls; }), 0);
  fd.reset();
  // Cancelling a connect that already finished is harmless too.
  unique_fd fd2(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  sockaddr_in open_addr{};
  unique_fd open_listener = tcp_listener(open_addr);
  std::promise<int> connected;
  const std::uint64_t cid2 = on_loop(*t, [&] {
    return t->loop().connect(fd2.get(), reinterpret_cast<const sockaddr*>(&open_addr), sizeof open_addr,
                             [&](int error) { connected.set_value(error); });
  });
  auto result = connected.get_future();
  ASSERT_EQ(result.wait_for(patience), std::future_status::ready);
  EXPECT_EQ(result.get(), 0);
  on_loop(*t, [&] { t->loop().cancel_connect(cid2); });
}

TYPED_TEST(io_loop_conformance, timers_fire_in_deadline_order_and_cancel) {
  signal_box box;
  std::vector<int> fired;                                             // guarded by box
  std::vector<std::pair<clock::time_point, clock::time_point>> when;  // (deadline, fired at)
  auto t = this->start();
  timer_id early_one = 0;
  on_loop(*t, [&] {
    io_loop& loop = t->loop();
    const auto now = clock::now();
    auto at = [&](std::chrono::milliseconds delay, int tag) {
      const auto deadline = now + delay;
      return loop.set_timer(deadline, [&box, &fired, &when, deadline, tag] {
        const auto fired_at = clock::now();
        box.update([&] {
          fired.push_back(tag);
          when.emplace_back(deadline, fired_at);
        });
      });
    };
    at(50ms, 50);
    at(10ms, 10);
    const timer_id cancelled = at(30ms, 30);
    at(20ms, 20);
    at(40ms, 40);
    early_one = at(-1000ms, -1);  // already due: fires on the next pass
    // Same deadline: in the order they were set.
    at(45ms, 451);
    at(45ms, 452);
    at(45ms, 453);
    loop.cancel_timer(cancelled);
    loop.cancel_timer(cancelled);  // twice
    loop.cancel_timer(987654321);  // unknown
  });
  ASSERT_TRUE(box.wait([&] { return fired.size() == 8; }));
  EXPECT_EQ(fired, (std::vector<int>{-1, 10, 20, 40, 451, 452, 453, 50}));
  for (const auto& [deadline, fired_at] : when) EXPECT_GE(fired_at, deadline) << "a timer fired early";
  on_loop(*t, [&] { t->loop().cancel_timer(early_one); });  // already fired: harmless

  // A timer that keeps re-arming itself for "now" does not starve posted work: timers set
  // while timers fire wait for the next pass. (If it starved, on_loop would never return.)
  int rearms = 0;           // loop thread only
  bool stop_chain = false;  // loop thread only
  std::function<void()> again = [&] {
    ++rearms;
    if (!stop_chain) t->loop().set_timer(clock::now(), again);
  };
  on_loop(*t, [&] { t->loop().set_timer(clock::now(), again); });
  on_loop(*t, [] {});
  const int seen = on_loop(*t, [&] {
    stop_chain = true;
    return rearms;
  });
  EXPECT_GT(seen, 0);
}

TYPED_TEST(io_loop_conformance, post_wakes_a_sleeping_loop_and_signals_only_then) {
  auto t = this->start();
  const pid_t tid = loop_tid(*t);
  io_loop& loop = t->loop();

  // Posts from the loop's own thread never signal: it is awake while running callbacks.
  const auto [inside_before, inside_after] = on_loop(*t, [&] {
    const auto before = loop.stats().posts_signaled;
    for (int i = 0; i < 100; ++i) loop.post([] {});
    return std::pair{before, loop.stats().posts_signaled};
  });
  EXPECT_EQ(inside_after, inside_before);

  // Posts from another thread while the loop is busy in a callback do not signal either.
  const auto s0 = on_loop(*t, [&] { return loop.stats(); });
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  loop.post([&entered, released] {
    entered.set_value();
    released.wait();
  });
  entered.get_future().wait();
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) loop.post([&ran] { ++ran; });
  release.set_value();
  const auto s1 = on_loop(*t, [&] { return loop.stats(); });
  EXPECT_EQ(ran.load(), 50);
  // At most the blocking post and this stats post may have found the loop asleep.
  EXPECT_LE(s1.posts_signaled - s0.posts_signaled, 2u);

  // Posts to a sleeping loop wake it, and each one signals exactly once.
  constexpr int rounds = 10;
  ASSERT_TRUE(wait_until_asleep(tid));
  const auto s2 = on_loop(*t, [&] { return loop.stats(); });
  for (int i = 0; i < rounds; ++i) {
    ASSERT_TRUE(wait_until_asleep(tid));
    std::promise<void> woke;
    loop.post([&woke] { woke.set_value(); });
    ASSERT_EQ(woke.get_future().wait_for(patience), std::future_status::ready);
  }
  ASSERT_TRUE(wait_until_asleep(tid));
  const auto s3 = on_loop(*t, [&] { return loop.stats(); });
  // s2's own post may be counted in s2 or in s3, and s3's own post may be counted in s3.
  EXPECT_GE(s3.posts_signaled - s2.posts_signaled, static_cast<std::uint64_t>(rounds));
  EXPECT_LE(s3.posts_signaled - s2.posts_signaled, static_cast<std::uint64_t>(rounds) + 2);
  EXPECT_GE(s3.wakeups - s2.wakeups, static_cast<std::uint64_t>(rounds));
}

TYPED_TEST(io_loop_conformance, stop_from_another_thread_ends_run) {
  // A bare loop on a thread of our own, to see run() itself return.
  std::promise<io_loop*> made;
  std::promise<void> returned;
  std::promise<void> may_destroy;
  std::thread runner([&] {
    auto loop = TypeParam::factory()();
    made.set_value(loop.get());
    loop->run(std::chrono::microseconds::zero());
    returned.set_value();
    // Destroyed on its own thread, once this thread's stop() call has returned.
    may_destroy.get_future().wait();
  });
  io_loop* loop = made.get_future().get();
  loop->post([] {});
  loop->stop();
  auto done = returned.get_future();
  EXPECT_EQ(done.wait_for(patience), std::future_status::ready);
  may_destroy.set_value();
  runner.join();
}

// A brief_watch whose readiness another thread sets; records what the loop told it.
struct flag_watch final : brief_watch {
  signal_box* box = nullptr;
  std::atomic<bool> flag{false};
  std::vector<bool> told;  // guarded by box
  clock::time_point told_at{};
  std::function<void(flag_watch&)> then;  // on the loop thread, after recording
  bool ready() noexcept override { return flag.load(std::memory_order_acquire); }
  void on_watched(bool was_ready) override {
    box->update([&] {
      told.push_back(was_ready);
      told_at = clock::now();
    });
    if (then) then(*this);
  }
  std::vector<bool> seen() {
    return box->read([&] { return told; });
  }
};

TYPED_TEST(io_loop_conformance, a_brief_watch_is_told_once_when_ready_or_out_of_time) {
  signal_box box;
  flag_watch ready_later, never_ready, dropped, watched_twice, rewatching;
  for (flag_watch* w : {&ready_later, &never_ready, &dropped, &watched_twice, &rewatching}) w->box = &box;
  auto t = this->start();
  io_loop& loop = t->loop();
  int rewatches = 0;  // loop thread only
  rewatching.then = [&](flag_watch& w) {
    if (++rewatches < 3) loop.watch_briefly(w, 1ms);  // from inside on_watched
  };
  const auto started = on_loop(*t, [&] {
    const auto now = clock::now();  // before any deadline is set
    loop.watch_briefly(ready_later, 60s);
    loop.watch_briefly(never_ready, 20ms);
    loop.watch_briefly(dropped, 20ms);
    loop.unwatch(dropped);
    loop.watch_briefly(watched_twice, 20ms);
    loop.watch_briefly(watched_twice, 60s);  // keeps the earlier deadline
    loop.watch_briefly(rewatching, 1ms);
    return now;
  });
  // Nothing wakes the loop when the flag turns: it sees it only because it did not sleep.
  ready_later.flag.store(true, std::memory_order_release);
  ASSERT_TRUE(box.wait([&] { return ready_later.told.size() == 1; }));
  EXPECT_EQ(ready_later.seen(), std::vector<bool>{true});

  ASSERT_TRUE(box.wait([&] { return never_ready.told.size() == 1 && watched_twice.told.size() == 1; }));
  EXPECT_EQ(never_ready.seen(), std::vector<bool>{false});
  EXPECT_GE(box.read([&] { return never_ready.told_at; }) - started, 20ms) << "told before its time";
  EXPECT_EQ(watched_twice.seen(), std::vector<bool>{false});
  ASSERT_TRUE(box.wait([&] { return rewatching.told.size() == 3; }));

  // The dropped watch is never told; by now every other watch has ended, and the loop
  // sleeps again (a post must wake it).
  on_loop(*t, [] {});
  EXPECT_TRUE(dropped.seen().empty());
  EXPECT_EQ(never_ready.seen().size(), 1U);
  EXPECT_EQ(rewatching.seen().size(), 3U);
  EXPECT_TRUE(wait_until_asleep(loop_tid(*t)));
}

TYPED_TEST(io_loop_conformance, busy_poll_keeps_the_loop_awake) {
  // A busy-poll window far longer than the gaps between messages: the loop should never
  // have to sleep, so it is never woken and posts never signal.
  socket_pair p = make_pair(transport::unix_stream);
  echo_handler echo;
  auto t = this->start(std::chrono::seconds(30));
  on_loop(*t, [&] {
    echo.loop = &t->loop();
    echo.id = t->loop().add_stream(p.loop_end.release(), echo);
  });
  const auto s0 = on_loop(*t, [&] { return t->loop().stats(); });
  for (std::uint32_t i = 0; i < 300; ++i) {
    const auto msg = pattern(64, i);
    ASSERT_TRUE(write_all(p.peer_end.get(), msg));
    std::vector<std::byte> back(msg.size());
    ASSERT_TRUE(read_exact(p.peer_end.get(), back));
    ASSERT_EQ(back, msg);
  }
  const auto s1 = on_loop(*t, [&] { return t->loop().stats(); });
  EXPECT_EQ(s1.wakeups, s0.wakeups);
  EXPECT_EQ(s1.posts_signaled, s0.posts_signaled);
  close_and_wait(*t, echo.id);
}

}  // namespace
}  // namespace ringmq::detail::io::test
