// zmq_poll: sockets and plain file descriptors together.
#include "poll.hpp"

#include <poll.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace ringmq::capi {

static_assert(static_cast<int>(ringmq::events::pollin) == ZMQ_POLLIN);
static_assert(static_cast<int>(ringmq::events::pollout) == ZMQ_POLLOUT);
static_assert(static_cast<int>(ringmq::events::pollerr) == ZMQ_POLLERR);
static_assert(static_cast<int>(ringmq::events::pollpri) == ZMQ_POLLPRI);

namespace {

// Descriptors only: poll(2) itself, so that a signal ends the wait (EINTR) as in libzmq.
int wait_descriptors(std::span<ringmq::poll_item> items, long timeout) {
  std::vector<pollfd> fds(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    short want = 0;
    if (any(items[i].interest & ringmq::events::pollin)) want |= POLLIN;
    if (any(items[i].interest & ringmq::events::pollout)) want |= POLLOUT;
    if (any(items[i].interest & ringmq::events::pollpri)) want |= POLLPRI;
    fds[i] = {items[i].fd, want, 0};
  }
  const int wait_ms = timeout < 0 ? -1 : static_cast<int>(std::min<long>(timeout, INT_MAX));
  const int rc = ::poll(fds.data(), fds.size(), wait_ms);
  if (rc < 0) return -1;
  int ready = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const short r = fds[i].revents;
    ringmq::events e = ringmq::events::none;
    if ((r & POLLIN) != 0) e |= ringmq::events::pollin;
    if ((r & POLLOUT) != 0) e |= ringmq::events::pollout;
    if ((r & POLLPRI) != 0) e |= ringmq::events::pollpri;
    if ((r & ~(POLLIN | POLLOUT | POLLPRI)) != 0) e |= ringmq::events::pollerr;
    items[i].ready = e;
    if (any(e)) ++ready;
  }
  return ready;
}

}  // namespace

int wait_items(std::span<ringmq::poll_item> items, long timeout) noexcept {
  return guarded(-1, [&] {
    const bool has_socket =
        std::any_of(items.begin(), items.end(), [](const auto& i) { return i.sock != nullptr; });
    if (!has_socket) return wait_descriptors(items, timeout);
    return static_cast<int>(ringmq::poll(items, std::chrono::milliseconds(timeout < 0 ? -1 : timeout)));
  });
}

}  // namespace ringmq::capi

using ringmq::capi::fail;
using ringmq::capi::socket_handle;

extern "C" {

int zmq_poll(zmq_pollitem_t* items, int nitems, long timeout) {
  if (nitems < 0) return fail(EINVAL);
  if (nitems == 0) {
    // Nothing to wait for: a sleep (interrupted by signals, as libzmq's).
    if (timeout == 0) return 0;
    const int wait_ms = timeout < 0 ? -1 : static_cast<int>(std::min<long>(timeout, INT_MAX));
    return ::poll(nullptr, 0, wait_ms) < 0 ? -1 : 0;
  }
  if (items == nullptr) return fail(EFAULT);
  constexpr int on_stack = ZMQ_POLLITEMS_DFLT;
  ringmq::poll_item small[on_stack];
  std::vector<ringmq::poll_item> large;
  ringmq::poll_item* list = small;
  if (nitems > on_stack) {
    large.resize(static_cast<std::size_t>(nitems));
    list = large.data();
  }
  for (int i = 0; i < nitems; ++i) {
    ringmq::poll_item& p = list[i];
    p = ringmq::poll_item{};
    if (items[i].socket != nullptr) {
      socket_handle* s = socket_handle::from(items[i].socket);
      if (s == nullptr) return -1;
      p.sock = &s->sock;
      p.interest = ringmq::capi::events_of(static_cast<short>(items[i].events & (ZMQ_POLLIN | ZMQ_POLLOUT)));
    } else {
      p.fd = items[i].fd;
      p.interest = ringmq::capi::events_of(items[i].events);
    }
  }
  const int ready = ringmq::capi::wait_items(std::span(list, static_cast<std::size_t>(nitems)), timeout);
  if (ready < 0) return -1;
  for (int i = 0; i < nitems; ++i) {
    const short r = ringmq::capi::zmq_events_of(list[i].ready);
    // A descriptor's error is reported whether asked for or not (poll(2) does the same).
    items[i].revents =
        static_cast<short>(r & (items[i].events | (items[i].socket == nullptr ? ZMQ_POLLERR : 0)));
  }
  return ready;
}

}  // extern "C"
