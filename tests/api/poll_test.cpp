// poll(), poller and the socket's pollable descriptor. The descriptor is level-triggered as
// socket.hpp documents: readable while a message waits, cleared by events() (or recv) once
// nothing is pending; checked here with ::poll(2).
#include "spec/support.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <thread>

namespace ringmq_test {
namespace {

using ringmq::events;

// Is `fd` readable within `timeout`?
bool fd_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const int rc = ::poll(&p, 1, static_cast<int>(timeout.count()));
  return rc == 1 && (p.revents & POLLIN) != 0;
}

// An eventfd closed at scope exit.
struct event_fd {
  int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  event_fd() = default;
  event_fd(const event_fd&) = delete;
  event_fd& operator=(const event_fd&) = delete;
  ~event_fd() { ::close(fd); }
  void signal() const { (void)::eventfd_write(fd, 1); }
};

struct three_pulls {
  ringmq::context ctx;
  std::vector<ringmq::socket> pulls;
  std::vector<ringmq::socket> pushes;
  three_pulls() {
    for (int i = 0; i < 3; ++i) {
      pulls.push_back(make_socket(ctx, socket_type::pull));
      pushes.push_back(make_socket(ctx, socket_type::push));
      const std::string ep = "inproc://poll" + std::to_string(i);
      pulls.back().bind(ep);
      pushes.back().connect(ep);
    }
  }
};

TEST(api_poll, reports_only_the_ready_sockets_and_descriptors) {
  three_pulls t;
  event_fd efd;
  ASSERT_GE(efd.fd, 0);
  std::array<ringmq::poll_item, 4> items{{
      {&t.pulls[0], -1, events::pollin},
      {&t.pulls[1], -1, events::pollin},
      {&t.pulls[2], -1, events::pollin},
      {nullptr, efd.fd, events::pollin},
  }};
  EXPECT_EQ(ringmq::poll(items, 0ms), 0u);
  ASSERT_TRUE(t.pushes[1].send("one"));
  efd.signal();
  EXPECT_EQ(ringmq::poll(items, safety), 2u);
  EXPECT_EQ(items[0].ready, events::none);
  EXPECT_EQ(items[1].ready, events::pollin);
  EXPECT_EQ(items[2].ready, events::none);
  EXPECT_EQ(items[3].ready, events::pollin);
  EXPECT_EQ(recv_string(t.pulls[1]), "one");
  eventfd_t value = 0;
  (void)::eventfd_read(efd.fd, &value);
  EXPECT_EQ(ringmq::poll(items, 0ms), 0u);
}

TEST(api_poll, reports_pollout_and_pollerr_for_plain_descriptors) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::array<ringmq::poll_item, 2> items{
      {{nullptr, fds[0], events::pollin}, {nullptr, fds[1], events::pollout}}};
  EXPECT_EQ(ringmq::poll(items, 0ms), 1u);
  EXPECT_EQ(items[0].ready, events::none);
  EXPECT_EQ(items[1].ready, events::pollout);
  ::close(fds[1]);  // the read end now sees a hang-up
  std::array<ringmq::poll_item, 1> read_end{{{nullptr, fds[0], events::pollin}}};
  EXPECT_EQ(ringmq::poll(read_end, 0ms), 1u);
  EXPECT_TRUE(any(read_end[0].ready & events::pollerr));
  ::close(fds[0]);
}

TEST(api_poll, reports_pollout_for_sockets_that_can_send) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.set(opt::rcvhwm, 1);
  pull.bind("inproc://out");
  auto push = make_socket(ctx, socket_type::push);
  push.set(opt::sndhwm, 1);
  std::array<ringmq::poll_item, 1> items{{{&push, -1, events::pollout | events::pollin}}};
  EXPECT_EQ(ringmq::poll(items, 0ms), 0u) << "no peer yet";
  push.connect("inproc://out");
  EXPECT_EQ(ringmq::poll(items, 0ms), 1u);
  EXPECT_EQ(items[0].ready, events::pollout);
  ASSERT_TRUE(push.send("1"));
  ASSERT_TRUE(push.send("2"));
  EXPECT_EQ(ringmq::poll(items, 0ms), 0u) << "full";
  (void)pull.recv();
  (void)pull.recv();
  EXPECT_EQ(ringmq::poll(items, safety), 1u) << "room again";
}

TEST(api_poll, waits_at_least_the_timeout_when_nothing_is_ready) {
  three_pulls t;
  std::array<ringmq::poll_item, 3> items{{
      {&t.pulls[0], -1, events::pollin},
      {&t.pulls[1], -1, events::pollin},
      {&t.pulls[2], -1, events::pollin},
  }};
  std::size_t n = 99;
  const auto took = time_of([&] { n = ringmq::poll(items, 60ms); });
  EXPECT_EQ(n, 0u);
  EXPECT_GE(took, 60ms);
  const std::span<ringmq::poll_item> none;
  const auto took_empty = time_of([&] { n = ringmq::poll(none, 30ms); });
  EXPECT_EQ(n, 0u);
  EXPECT_GE(took_empty, 30ms);
}

TEST(api_poll, wakes_up_for_a_message_sent_by_another_thread) {
  three_pulls t;
  std::array<ringmq::poll_item, 3> items{{
      {&t.pulls[0], -1, events::pollin},
      {&t.pulls[1], -1, events::pollin},
      {&t.pulls[2], -1, events::pollin},
  }};
  std::thread sender([&t] { (void)t.pushes[2].send("late"); });
  EXPECT_EQ(ringmq::poll(items, safety), 1u);
  EXPECT_EQ(items[2].ready, events::pollin);
  sender.join();
}

TEST(api_poll, wakes_up_for_a_descriptor_signalled_by_another_thread) {
  three_pulls t;
  event_fd efd;
  std::array<ringmq::poll_item, 2> items{
      {{&t.pulls[0], -1, events::pollin}, {nullptr, efd.fd, events::pollin}}};
  std::thread signaller([&efd] { efd.signal(); });
  EXPECT_EQ(ringmq::poll(items, safety), 1u);
  EXPECT_EQ(items[1].ready, events::pollin);
  signaller.join();
}

TEST(api_poll, poller_keeps_a_reusable_set) {
  three_pulls t;
  event_fd efd;
  ringmq::poller p;
  p.add(t.pulls[0], events::pollin);
  p.add(t.pulls[1], events::pollin);
  p.add(efd.fd, events::pollin);
  EXPECT_EQ(p.size(), 3u);
  EXPECT_TRUE(p.wait(0ms).empty());

  ASSERT_TRUE(t.pushes[0].send("a"));
  auto ready = p.wait(safety);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].sock, &t.pulls[0]);
  EXPECT_EQ(ready[0].ready, events::pollin);

  p.modify(t.pulls[0], events::pollout);  // a PULL never can: no longer reported
  EXPECT_TRUE(p.wait(0ms).empty());
  p.modify(t.pulls[0], events::pollin);
  EXPECT_EQ(p.wait(0ms).size(), 1u);
  p.remove(t.pulls[0]);
  EXPECT_EQ(p.size(), 2u);
  EXPECT_TRUE(p.wait(0ms).empty());

  efd.signal();
  ready = p.wait(safety);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].sock, nullptr);
  EXPECT_EQ(ready[0].fd, efd.fd);
  p.remove(efd.fd);
  EXPECT_EQ(p.size(), 1u);
  EXPECT_TRUE(p.wait(0ms).empty());
}

TEST(api_poll, socket_events_reflect_readiness) {
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::pair);
  auto b = make_socket(ctx, socket_type::pair);
  EXPECT_EQ(a.events(), events::none);
  a.bind("inproc://events");
  b.connect("inproc://events");
  EXPECT_EQ(b.events(), events::pollout);
  ASSERT_TRUE(b.send("x"));
  EXPECT_EQ(a.events(), events::pollin | events::pollout);
  (void)a.recv();
  EXPECT_EQ(a.events(), events::pollout);
}

// CPU time used and voluntary context switches made by this thread so far.
struct thread_usage {
  std::chrono::milliseconds cpu;
  long voluntary_switches;
  static thread_usage now() {
    rusage u{};
    ::getrusage(RUSAGE_THREAD, &u);
    const auto ms = [](const timeval& t) {
      return std::chrono::milliseconds(t.tv_sec * 1000 + t.tv_usec / 1000);
    };
    return {ms(u.ru_utime) + ms(u.ru_stime), u.ru_nvcsw};
  }
};

TEST(api_poll, waiting_for_pollout_sleeps_even_while_input_is_pending) {
  // A DEALER with an unread message and a full outgoing queue, polled for POLLOUT only:
  // nothing is ready, and poll() must sleep until the timeout rather than spin. A sleeping
  // thread gives the CPU up voluntarily; a spinning one never does (and burns CPU when the
  // machine is idle), which tells the two apart however loaded the machine is.
  ringmq::context ctx;
  auto a = make_socket(ctx, socket_type::dealer);
  auto b = make_socket(ctx, socket_type::dealer);
  a.set(opt::sndhwm, 1);
  b.set(opt::rcvhwm, 1);
  a.bind("inproc://spin");
  b.connect("inproc://spin");
  ASSERT_TRUE(b.send("unread input"));
  ASSERT_TRUE(a.send("1"));
  ASSERT_TRUE(a.send("2"));
  std::array<ringmq::poll_item, 1> items{{{&a, -1, events::pollout}}};
  const auto before = thread_usage::now();
  std::size_t n = 99;
  const auto took = time_of([&] { n = ringmq::poll(items, 300ms); });
  const auto after = thread_usage::now();
  EXPECT_EQ(n, 0u);
  EXPECT_GE(took, 300ms);
  EXPECT_GE(after.voluntary_switches - before.voluntary_switches, 1) << "poll() never slept";
  EXPECT_LT(after.cpu - before.cpu, 150ms) << "poll() busy-waited";
}

// ---- the socket's descriptor --------------------------------------------------------------

TEST(api_poll, a_descriptor_reports_urgent_data_as_pollpri) {
  // A loopback TCP connection carrying one byte of out-of-band data: poll(2)'s POLLPRI.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const int server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(server, 0);

  ringmq::poll_item item{nullptr, server, events::pollpri};
  EXPECT_EQ(ringmq::poll(std::span(&item, 1), 0ms), 0U);
  ASSERT_EQ(::send(client, "!", 1, MSG_OOB), 1);
  EXPECT_EQ(ringmq::poll(std::span(&item, 1), safety), 1U);
  EXPECT_TRUE(any(item.ready & events::pollpri));
  EXPECT_FALSE(any(item.ready & events::pollin));  // only urgent data arrived
  for (const int fd : {server, client, listener}) ::close(fd);
}

TEST(api_socket_fd, is_stable_and_matches_the_fd_option) {
  ringmq::context ctx;
  ringmq::socket s(ctx, socket_type::pull);
  const int fd = s.fd();
  EXPECT_GE(fd, 0);
  EXPECT_EQ(s.fd(), fd);
  EXPECT_EQ(s.get(opt::fd), fd);
}

TEST(api_socket_fd, is_level_triggered_on_a_waiting_message) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://fd");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://fd");
  const int fd = pull.fd();

  EXPECT_EQ(pull.events(), events::none);
  EXPECT_FALSE(fd_readable(fd, 0ms)) << "cleared by events() when nothing is pending";

  ASSERT_TRUE(push.send("1"));
  ASSERT_TRUE(push.send("2"));
  EXPECT_TRUE(fd_readable(fd, safety)) << "readable once a message waits";
  EXPECT_EQ(pull.events(), events::pollin);
  EXPECT_TRUE(fd_readable(fd, 0ms)) << "level-triggered: still readable while a message waits";
  EXPECT_EQ(recv_string(pull), "1");
  EXPECT_TRUE(fd_readable(fd, 0ms)) << "one more is waiting";
  EXPECT_EQ(recv_string(pull), "2");
  EXPECT_EQ(pull.events(), events::none);
  EXPECT_FALSE(fd_readable(fd, 0ms)) << "nothing is left";

  ASSERT_TRUE(push.send("3"));
  EXPECT_TRUE(fd_readable(fd, safety)) << "and readable again for the next message";
  EXPECT_EQ(recv_string(pull), "3");
  EXPECT_FALSE(fd_readable(fd, 0ms));
}

TEST(api_socket_fd, becomes_readable_for_a_message_sent_by_another_thread) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://fd-thread");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://fd-thread");
  const int fd = pull.fd();
  EXPECT_EQ(pull.events(), events::none);
  EXPECT_FALSE(fd_readable(fd, 0ms));
  std::thread sender([&push] { (void)push.send("hello"); });
  EXPECT_TRUE(fd_readable(fd, safety));
  sender.join();
  // The documented loop: wait for the descriptor, then act while events() reports something.
  int received = 0;
  while (any(pull.events() & events::pollin)) {
    (void)pull.recv(recv_flags::dontwait);
    ++received;
  }
  EXPECT_EQ(received, 1);
  EXPECT_FALSE(fd_readable(fd, 0ms));
}

TEST(api_socket_fd, stays_readable_for_a_message_that_arrived_before_the_fd_was_asked_for) {
  ringmq::context ctx;
  auto pull = make_socket(ctx, socket_type::pull);
  pull.bind("inproc://fd-early");
  auto push = make_socket(ctx, socket_type::push);
  push.connect("inproc://fd-early");
  ASSERT_TRUE(push.send("early"));
  const int fd = pull.fd();
  EXPECT_TRUE(fd_readable(fd, 0ms));
  EXPECT_EQ(pull.events(), events::pollin);
  EXPECT_TRUE(fd_readable(fd, 0ms));
}

TEST(api_socket_fd, works_for_an_XPUB_receiving_subscriptions) {
  ringmq::context ctx;
  auto xpub = make_socket(ctx, socket_type::xpub);
  xpub.bind("inproc://fd-xpub");
  const int fd = xpub.fd();
  EXPECT_EQ(xpub.events(), events::pollout);
  EXPECT_FALSE(fd_readable(fd, 0ms));
  auto sub = make_socket(ctx, socket_type::sub);
  sub.connect("inproc://fd-xpub");
  sub.set(opt::subscribe, "topic");
  EXPECT_TRUE(fd_readable(fd, safety));
  EXPECT_TRUE(any(xpub.events() & events::pollin));
  EXPECT_EQ(recv_string(xpub), std::string("\x01topic"));
  EXPECT_EQ(xpub.events(), events::pollout);
  EXPECT_FALSE(fd_readable(fd, 0ms));
}

}  // namespace
}  // namespace ringmq_test
