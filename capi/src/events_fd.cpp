// ZMQ_FD and ZMQ_EVENTS with libzmq's edge-triggered contract.
//
// libzmq's ZMQ_FD signals when the socket's state may have changed; the caller then reads
// ZMQ_EVENTS, which clears the signal, and must act until ZMQ_EVENTS reports nothing (it may
// also signal spuriously). pyzmq's asyncio and tornado integrations keep the descriptor
// registered with their loop for the socket's life and rely on that: a descriptor that stayed
// readable while an unread message waited would wake the loop again and again.
//
// ringmq's socket::fd() is level-triggered instead: readable while a message can be received
// or something changed, until events() (or recv) finds nothing pending. The descriptor handed
// out here is an epoll instance watching it edge-triggered (EPOLLET): each time ringmq
// signals its descriptor, the epoll instance becomes readable, and reading ZMQ_EVENTS first
// drains the epoll instance, then asks events(). A change after the drain signals ringmq's
// descriptor afresh (it was cleared by events() or recv once nothing was pending, and a
// pending message keeps events() reporting POLLIN meanwhile), so no change is ever lost.
#include "handles.hpp"

#include <sys/epoll.h>
#include <unistd.h>

namespace ringmq::capi {

int socket_handle::events_fd() {
  if (epoll_fd_ >= 0) return epoll_fd_;
  const int level_fd = sock.fd();
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLET;
  if (::epoll_ctl(ep, EPOLL_CTL_ADD, level_fd, &ev) < 0) {
    const int err = errno;
    ::close(ep);
    throw std::system_error(err, std::generic_category(), "epoll_ctl");
  }
  epoll_fd_ = ep;
  return ep;
}

int socket_handle::events() {
  if (epoll_fd_ >= 0) {
    // Drain first: a signal after this point makes the instance readable again.
    epoll_event ev{};
    while (::epoll_wait(epoll_fd_, &ev, 1, 0) > 0) {
    }
  }
  const ringmq::events e = sock.events();
  static_assert(static_cast<int>(ringmq::events::pollin) == ZMQ_POLLIN);
  static_assert(static_cast<int>(ringmq::events::pollout) == ZMQ_POLLOUT);
  return static_cast<int>(e) & (ZMQ_POLLIN | ZMQ_POLLOUT);
}

}  // namespace ringmq::capi
