// Poller: one thread waits on several sockets and plain file descriptors at once and
// serves whichever is ready. Here two producers feed a "high" and a "low" PULL queue over
// tcp, and a third thread signals through a pipe, the way a signal handler or another
// library would wake a ringmq loop.
#include <ringmq/ringmq.hpp>

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace {

// Sends three numbered messages, then "done".
void produce(ringmq::context& ctx, const std::string& endpoint, const std::string& name) {
  ringmq::socket out = ctx.socket(ringmq::socket_type::push);
  out.connect(endpoint);
  for (int i = 1; i <= 3; ++i) out.send(name + " " + std::to_string(i));
  out.send("done");
}

}  // namespace

int main() {
  using namespace std::chrono_literals;
  ringmq::context ctx;
  ringmq::socket high = ctx.socket(ringmq::socket_type::pull);
  ringmq::socket low = ctx.socket(ringmq::socket_type::pull);
  high.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  low.bind("tcp://127.0.0.1:*");
  std::array<int, 2> pipe_fds{};
  if (::pipe(pipe_fds.data()) != 0) return 1;

  std::vector<std::jthread> threads;
  threads.emplace_back(produce, std::ref(ctx), high.last_endpoint(), "urgent");
  threads.emplace_back(produce, std::ref(ctx), low.last_endpoint(), "routine");
  threads.emplace_back([fd = pipe_fds[1]] { (void)::write(fd, "!", 1); });

  ringmq::poller poller;
  poller.add(high, ringmq::events::pollin);
  poller.add(low, ringmq::events::pollin);
  poller.add(pipe_fds[0], ringmq::events::pollin);

  int messages = 0;
  int open_queues = 2;
  bool signalled = false;
  while (open_queues > 0 || !signalled) {
    const auto ready = poller.wait(10s);
    if (ready.empty()) break;  // nothing for 10 s: something is wrong
    for (const ringmq::poll_item& item : ready) {
      if (item.sock == nullptr) {  // the pipe
        char byte = 0;
        (void)::read(item.fd, &byte, 1);
        std::printf("poller: the pipe was signalled\n");
        signalled = true;
        poller.remove(item.fd);
        continue;
      }
      const std::string text = item.sock->recv()->to_string();
      const char* queue = item.sock == &high ? "high" : "low ";
      if (text == "done") {
        std::printf("poller: %s queue done\n", queue);
        --open_queues;
      } else {
        std::printf("poller: %s queue: %s\n", queue, text.c_str());
        ++messages;
      }
    }
  }
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  std::printf("poller: %d messages from 2 queues, pipe signalled: %s\n", messages, signalled ? "yes" : "no");
  return messages == 6 && open_queues == 0 && signalled ? 0 : 1;
}
