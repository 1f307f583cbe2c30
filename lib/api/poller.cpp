// poll() and poller: socket readiness from events(), waiting on the sockets' eventfds and
// plain descriptors with poll(2).
#include "api/socket_access.hpp"
#include "core/clock.hpp"

#include <ringmq/poller.hpp>

#include <poll.h>

#include <algorithm>
#include <cerrno>

namespace ringmq {

namespace {

short to_poll_events(ringmq::events e) {
  short r = 0;
  if (any(e & events::pollin)) r |= POLLIN;
  if (any(e & events::pollout)) r |= POLLOUT;
  if (any(e & events::pollpri)) r |= POLLPRI;
  return r;
}

ringmq::events from_poll_events(short r) {
  ringmq::events e = events::none;
  if ((r & POLLIN) != 0) e |= events::pollin;
  if ((r & POLLOUT) != 0) e |= events::pollout;
  if ((r & POLLPRI) != 0) e |= events::pollpri;
  if ((r & (POLLERR | POLLHUP | POLLNVAL)) != 0) e |= events::pollerr;
  return e;
}

}  // namespace

std::size_t poll(std::span<poll_item> items, std::chrono::milliseconds timeout) {
  const auto deadline = detail::deadline_after(timeout);
  std::vector<pollfd> fds(items.size());
  // A signal ends the wait when a polled socket's context asks for libzmq's EINTR.
  const bool stop_on_signal = std::any_of(items.begin(), items.end(), [](const poll_item& item) {
    const detail::socket_base* s = item.sock != nullptr ? detail::socket_access::impl(*item.sock) : nullptr;
    return s != nullptr && s->context().interrupt_on_signal();
  });
  for (;;) {
    std::size_t ready = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
      poll_item& item = items[i];
      item.ready = events::none;
      if (item.sock != nullptr) {
        detail::socket_base* s = detail::socket_access::impl(*item.sock);
        if (s == nullptr) throw error(make_error_code(errc::socket_closed), "poll");
        item.ready = item.sock->events() & item.interest;
        // After events(): it may consume the wake-up a shutdown posts, and the flag is set
        // before that post, so a shutdown is either seen here or wakes the ::poll below.
        if (s->context().terminated()) throw error(make_error_code(errc::context_terminated), "poll");
        if (any(item.ready)) ++ready;
        fds[i] = {item.sock->fd(), POLLIN, 0};
        // Not waiting for input: a waiting message must not keep the descriptor readable.
        if (!any(item.interest & events::pollin)) s->fd_changes_only();
      } else {
        fds[i] = {item.fd, to_poll_events(item.interest), 0};
      }
    }
    int wait_ms = -1;
    if (ready > 0) {
      wait_ms = 0;  // only collect the descriptors' state
    } else if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - detail::steady_clock::now());
      wait_ms = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 1 << 30));
    }
    const int rc = ::poll(fds.data(), fds.size(), wait_ms);
    if (rc < 0 && (errno != EINTR || (stop_on_signal && ready == 0)))
      throw error(std::error_code(errno, std::generic_category()), "poll");
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].sock != nullptr || rc <= 0) continue;
      items[i].ready = from_poll_events(fds[i].revents) & (items[i].interest | events::pollerr);
      if (any(items[i].ready)) ++ready;
    }
    if (ready > 0) return ready;
    if (deadline && detail::steady_clock::now() >= *deadline) return 0;
    // A socket's descriptor fired: recompute its events.
  }
}

void poller::add(socket& sock, ringmq::events interest) { items_.push_back({&sock, -1, interest}); }
void poller::add(int fd, ringmq::events interest) { items_.push_back({nullptr, fd, interest}); }

void poller::modify(socket& sock, ringmq::events interest) {
  for (auto& item : items_)
    if (item.sock == &sock) item.interest = interest;
}

void poller::remove(socket& sock) {
  std::erase_if(items_, [&](const poll_item& item) { return item.sock == &sock; });
}

void poller::remove(int fd) {
  std::erase_if(items_, [&](const poll_item& item) { return item.sock == nullptr && item.fd == fd; });
}

std::span<const poll_item> poller::wait(std::chrono::milliseconds timeout) {
  ready_.clear();
  if (ringmq::poll(items_, timeout) == 0) return {};
  for (const auto& item : items_)
    if (any(item.ready)) ready_.push_back(item);
  return ready_;
}

}  // namespace ringmq
