// zmq_poller_*: a reusable set of sockets and descriptors (libzmq's draft poller API, which
// cppzmq's poller_t uses). Used by one thread at a time, like the sockets in it.
#include "poll.hpp"

#include <algorithm>
#include <vector>

namespace ringmq::capi {

namespace {

class poller_handle {
 public:
  ~poller_handle() { tag_ = dead_tag; }

  static poller_handle* from(void* handle) noexcept {
    auto* p = static_cast<poller_handle*>(handle);
    if (p == nullptr || p->tag_ != live_tag) {
      errno = EFAULT;
      return nullptr;
    }
    return p;
  }

  struct entry {
    socket_handle* socket;  // null for a descriptor
    zmq_fd_t fd;
    void* user_data;
    short events;
  };

  entry* find(const socket_handle* s) noexcept {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const entry& e) { return e.socket == s; });
    return it == entries.end() ? nullptr : &*it;
  }
  entry* find(zmq_fd_t fd) noexcept {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const entry& e) { return e.socket == nullptr && e.fd == fd; });
    return it == entries.end() ? nullptr : &*it;
  }

  std::vector<entry> entries;
  std::vector<ringmq::poll_item> items;  // reused by wait

 private:
  static constexpr std::uint32_t live_tag = 0x726d7170;  // "rmqp"
  static constexpr std::uint32_t dead_tag = 0xdeadbeef;
  std::uint32_t tag_ = live_tag;
};

bool valid_events(short events) noexcept {
  return (events & ~(ZMQ_POLLIN | ZMQ_POLLOUT | ZMQ_POLLERR | ZMQ_POLLPRI)) == 0;
}

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::fail;
using ringmq::capi::poller_handle;
using ringmq::capi::socket_handle;

extern "C" {

void* zmq_poller_new(void) {
  return ringmq::capi::guarded<void*>(nullptr, [] { return static_cast<void*>(new poller_handle); });
}

int zmq_poller_destroy(void** poller) {
  if (poller == nullptr) return fail(EFAULT);
  poller_handle* p = poller_handle::from(*poller);
  if (p == nullptr) return -1;
  delete p;
  *poller = nullptr;
  return 0;
}

int zmq_poller_size(void* poller) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  return static_cast<int>(p->entries.size());
}

int zmq_poller_add(void* poller, void* socket, void* user_data, short events) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (!ringmq::capi::valid_events(events) || p->find(s) != nullptr) return fail(EINVAL);
  return ringmq::capi::guarded(-1, [&] {
    p->entries.push_back({s, -1, user_data, events});
    return 0;
  });
}

int zmq_poller_add_fd(void* poller, zmq_fd_t fd, void* user_data, short events) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  if (fd < 0) return fail(EBADF);
  if (!ringmq::capi::valid_events(events) || p->find(fd) != nullptr) return fail(EINVAL);
  return ringmq::capi::guarded(-1, [&] {
    p->entries.push_back({nullptr, fd, user_data, events});
    return 0;
  });
}

int zmq_poller_modify(void* poller, void* socket, short events) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  poller_handle::entry* e = p->find(s);
  if (!ringmq::capi::valid_events(events) || e == nullptr) return fail(EINVAL);
  e->events = events;
  return 0;
}

int zmq_poller_modify_fd(void* poller, zmq_fd_t fd, short events) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  if (fd < 0) return fail(EBADF);
  poller_handle::entry* e = p->find(fd);
  if (!ringmq::capi::valid_events(events) || e == nullptr) return fail(EINVAL);
  e->events = events;
  return 0;
}

int zmq_poller_remove(void* poller, void* socket) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  poller_handle::entry* e = p->find(s);
  if (e == nullptr) return fail(EINVAL);
  p->entries.erase(p->entries.begin() + (e - p->entries.data()));
  return 0;
}

int zmq_poller_remove_fd(void* poller, zmq_fd_t fd) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  if (fd < 0) return fail(EBADF);
  poller_handle::entry* e = p->find(fd);
  if (e == nullptr) return fail(EINVAL);
  p->entries.erase(p->entries.begin() + (e - p->entries.data()));
  return 0;
}

int zmq_poller_wait_all(void* poller, zmq_poller_event_t* events, int n_events, long timeout) {
  poller_handle* p = poller_handle::from(poller);
  if (p == nullptr) return -1;
  if (events == nullptr) return fail(EFAULT);
  if (n_events < 0) return fail(EINVAL);
  if (p->entries.empty()) {
    // libzmq: waiting forever on nothing is a caller's error; otherwise it sleeps.
    if (timeout < 0) return fail(EFAULT);
    if (timeout > 0 && zmq_poll(nullptr, 0, timeout) < 0) return -1;
    return fail(EAGAIN);
  }
  const int found = ringmq::capi::guarded(-1, [&] {
    p->items.clear();
    for (const auto& e : p->entries) {
      ringmq::poll_item item;
      if (e.socket != nullptr) {
        item.sock = &e.socket->sock;
        item.interest = ringmq::capi::events_of(static_cast<short>(e.events & (ZMQ_POLLIN | ZMQ_POLLOUT)));
      } else {
        item.fd = e.fd;
        item.interest = ringmq::capi::events_of(e.events);
      }
      p->items.push_back(item);
    }
    return ringmq::capi::wait_items(p->items, timeout);
  });
  if (found < 0) return -1;
  int n = 0;
  for (std::size_t i = 0; i < p->entries.size() && n < n_events; ++i) {
    const short r = ringmq::capi::zmq_events_of(p->items[i].ready);
    const poller_handle::entry& e = p->entries[i];
    // A socket reports what was asked for; a descriptor what poll(2) found (errors too).
    const short reported = e.socket != nullptr ? static_cast<short>(r & e.events) : r;
    if (reported == 0) continue;
    events[n] = {e.socket, e.socket != nullptr ? -1 : e.fd, e.user_data, reported};
    ++n;
  }
  if (n == 0) return fail(EAGAIN);  // the timeout passed
  return n;
}

int zmq_poller_wait(void* poller, zmq_poller_event_t* event, long timeout) {
  const int rc = zmq_poller_wait_all(poller, event, 1, timeout);
  if (rc < 0 && event != nullptr) *event = {nullptr, -1, nullptr, 0};
  return rc < 0 ? -1 : 0;
}

int zmq_poller_fd(void* poller, zmq_fd_t* fd) {
  // libzmq hands out a descriptor only for pollers holding thread-safe sockets, which
  // ringmq does not have.
  (void)fd;
  if (poller_handle::from(poller) == nullptr) return -1;
  return fail(EINVAL);
}

}  // extern "C"
