// A foreign event loop: a program built around epoll (or poll, libuv, asyncio) serves ringmq
// sockets next to its own file descriptors. socket::fd() is level-triggered on "events()
// may report something": wait for it to be readable, then call events() and receive (or
// send) until it reports nothing more, and the fd stops being readable. A monitor's fd
// works the same way for its events.
//
// Here an epoll loop serves a PULL socket that a producer thread feeds over tcp, and the
// PULL socket's monitor.
#include <ringmq/ringmq.hpp>

#include <sys/epoll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

int main() {
  using namespace std::chrono_literals;
  ringmq::context ctx;
  ringmq::socket pull = ctx.socket(ringmq::socket_type::pull);
  ringmq::monitor events =
      pull.monitor(ringmq::monitor_event::accepted | ringmq::monitor_event::handshake_succeeded);
  pull.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port

  std::jthread producer([&ctx, endpoint = pull.last_endpoint()] {
    ringmq::socket push = ctx.socket(ringmq::socket_type::push);
    push.connect(endpoint);
    for (int i = 1; i <= 5; ++i) push.send("message " + std::to_string(i));
    push.send("done");
  });

  const int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  auto watch = [epoll_fd](int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;  // level-triggered, as the fds are
    ev.data.fd = fd;
    return ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
  };
  if (epoll_fd < 0 || !watch(pull.fd()) || !watch(events.fd())) return 1;

  int received = 0;
  bool done = false;
  while (!done) {
    epoll_event ready[2];
    const int n = ::epoll_wait(epoll_fd, ready, 2, 10'000);
    if (n <= 0) break;  // nothing for 10 s: something is wrong
    for (int i = 0; i < n; ++i) {
      if (ready[i].data.fd == events.fd()) {
        while (auto e = events.next(0ms))
          std::printf("loop: monitor event %s\n", std::string(ringmq::to_string(e->type)).c_str());
        continue;
      }
      // The socket: act until events() reports nothing to receive.
      while (ringmq::any(pull.events() & ringmq::events::pollin)) {
        const std::optional<ringmq::message> msg = pull.recv(ringmq::recv_flags::dontwait);
        if (!msg) break;
        const std::string text = msg->to_string();
        if (text == "done") {
          done = true;
        } else {
          std::printf("loop: received '%s'\n", text.c_str());
          ++received;
        }
      }
    }
  }
  ::close(epoll_fd);
  std::printf("loop: %d messages through epoll\n", received);
  return received == 5 && done ? 0 : 1;
}
