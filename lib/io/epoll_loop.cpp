#include "io/epoll_loop.hpp"

#include "core/invariant.hpp"
#include "io/accept_errors.hpp"
#include "io/loop_base.hpp"
#include "io/send_cursor.hpp"
#include "io/slot_table.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <ctime>
#include <system_error>
#include <vector>

namespace ringmq::detail::io {

namespace {

constexpr std::size_t recv_buffer_size = std::size_t{64} * 1024;
constexpr int max_events = 256;
constexpr int reads_per_event = 4;
constexpr int accepts_per_event = 64;

struct stream {
  int fd = -1;
  stream_handler* handler = nullptr;
  std::uint32_t interest = 0;  // events registered with epoll; 0 = not registered
  bool paused = false;
  bool recv_ended = false;    // on_recv_end delivered (or about to be)
  bool send_active = false;   // from send() until on_sent is delivered
  bool send_blocked = false;  // waiting for EPOLLOUT
  send_cursor cursor{};
};

struct listener {
  int fd = -1;
  listen_handler* handler = nullptr;
  bool registered = false;
  timer_id backoff = 0;
};

struct connect_op {
  int fd = -1;
  std::function<void(int)> done{};
  bool registered = false;
};

class epoll_loop final : public loop_base {
 public:
  epoll_loop();
  ~epoll_loop() override;

  [[nodiscard]] std::string_view backend() const noexcept override { return "epoll"; }

  stream_id add_stream(int fd, stream_handler& h) override;
  void pause_recv(stream_id id) override;
  void resume_recv(stream_id id) override;
  void lend_recv(stream_id id, std::function<void(bool)> done) override;
  void send(stream_id id, std::span<const iovec> bytes) override;
  void close_stream(stream_id id, std::function<void()> done) override;
  std::uint64_t connect(int fd, const sockaddr* addr, socklen_t len, std::function<void(int)> done) override;
  void cancel_connect(std::uint64_t id) override;
  listener_id add_listener(int fd, listen_handler& h) override;
  void remove_listener(listener_id id, std::function<void()> done) override;

 protected:
  bool poll() override;
  void wait(std::optional<clock::duration> timeout) override;

 private:
  // epoll_ctl; 0 or the errno.
  int ctl(int op, int fd, std::uint32_t events, std::uint64_t tag) noexcept;
  bool dispatch(int count);
  void on_stream_event(stream_id id, std::uint32_t events);
  void on_listener_event(listener_id id);
  void on_connect_event(std::uint64_t id);
  void read_stream(stream_id id);
  // Writes what the socket takes; reports completion directly (`from_event`) or deferred.
  void flush_send(stream_id id, bool from_event);
  void finish_send(stream_id id, int error, bool from_event);
  void end_recv(stream_id id, int error);
  void update_interest(stream_id id, stream& s);
  void arm_listener(listener_id id, listener& l);

  int epfd_ = -1;
  bool have_pwait2_ = true;
  std::array<epoll_event, max_events> events_{};
  std::vector<std::byte> recv_buffer_;
  slot_table<stream> streams_;
  slot_table<listener> listeners_;
  slot_table<connect_op> connects_;
};

epoll_loop::epoll_loop() : epfd_(::epoll_create1(EPOLL_CLOEXEC)), recv_buffer_(recv_buffer_size) {
  if (epfd_ < 0) throw std::system_error(errno, std::system_category(), "ringmq io: epoll_create1");
  if (const int err = ctl(EPOLL_CTL_ADD, posts().fd(), EPOLLIN, make_tag(op_kind::wake, 0)); err != 0) {
    ::close(epfd_);
    throw std::system_error(err, std::system_category(), "ringmq io: epoll_ctl(eventfd)");
  }
}

epoll_loop::~epoll_loop() {
  // Handlers are not called any more; the loop still owns the fds of open streams and
  // listeners. Connecting fds belong to their callers.
  streams_.for_each([](stream_id, stream& s) { ::close(s.fd); });
  listeners_.for_each([](listener_id, listener& l) { ::close(l.fd); });
  ::close(epfd_);
}

int epoll_loop::ctl(int op, int fd, std::uint32_t events, std::uint64_t tag) noexcept {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = tag;
  return ::epoll_ctl(epfd_, op, fd, &ev) == 0 ? 0 : errno;
}

// ---- waiting ----

bool epoll_loop::poll() {
  const int n = ::epoll_wait(epfd_, events_.data(), max_events, 0);
  ++counters_.submits;
  return dispatch(n);
}

void epoll_loop::wait(std::optional<clock::duration> timeout) {
  int n = -1;
  if (have_pwait2_) {
    // epoll_pwait2 (5.11) takes a timespec, so timers are not rounded to milliseconds.
    timespec ts{};
    if (timeout) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*timeout).count();
      ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
      ts.tv_nsec = static_cast<long>(ns % 1'000'000'000);
    }
    n = ::epoll_pwait2(epfd_, events_.data(), max_events, timeout ? &ts : nullptr, nullptr);
    if (n < 0 && errno == ENOSYS) have_pwait2_ = false;
  }
  if (!have_pwait2_) {
    int ms = -1;
    if (timeout) {
      // Rounded up: waking early would only spin until the deadline.
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(*timeout).count();
      ms = static_cast<int>(std::min<long long>((us + 999) / 1000, 24LL * 3600 * 1000));
    }
    n = ::epoll_wait(epfd_, events_.data(), max_events, ms);
  }
  ++counters_.submits;
  ++counters_.wakeups;
  dispatch(n);
}

bool epoll_loop::dispatch(int count) {
  // Events of one batch may name objects that an earlier callback of the same batch
  // closed: every handler looks its target up by id (generation-checked) first.
  for (int i = 0; i < count; ++i) {
    const epoll_event ev = events_[static_cast<std::size_t>(i)];
    const std::uint64_t id = tag_id(ev.data.u64);
    switch (tag_op(ev.data.u64)) {
      case op_kind::wake: posts().drain_fd(); break;
      case op_kind::stream: on_stream_event(id, ev.events); break;
      case op_kind::listener: on_listener_event(id); break;
      case op_kind::connect: on_connect_event(id); break;
      default: RINGMQ_INVARIANT(false, "epoll event with an unknown tag");
    }
  }
  return count > 0;
}

// ---- streams ----

stream_id epoll_loop::add_stream(int fd, stream_handler& h) {
  const stream_id id = streams_.insert(stream{.fd = fd, .handler = &h});
  update_interest(id, streams_.at(id));
  return id;
}

void epoll_loop::update_interest(stream_id id, stream& s) {
  std::uint32_t want = 0;
  if (!s.paused && !s.recv_ended) want |= EPOLLIN;
  if (s.send_blocked) want |= EPOLLOUT;
  if (want == s.interest) return;
  // With nothing wanted the fd leaves the epoll set: EPOLLERR/EPOLLHUP are reported even
  // for an empty mask and, level-triggered, would wake the loop forever.
  const int op = want == 0 ? EPOLL_CTL_DEL : (s.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD);
  const int err = ctl(op, s.fd, want, make_tag(op_kind::stream, id));
  if (err == 0) {
    s.interest = want;
    return;
  }
  if (op == EPOLL_CTL_DEL) {
    s.interest = 0;
    return;
  }
  // The stream cannot be watched (ENOMEM, ENOSPC from max_user_watches, or an fd epoll
  // refuses): fail both directions with that error, as the kernel would have.
  // Only a send waiting for EPOLLOUT depends on the registration; a send that finished
  // inside send() has its on_sent deferred already.
  defer([this, id, err] {
    if (stream* t = streams_.find(id); t && !t->recv_ended) end_recv(id, err);
    if (stream* t = streams_.find(id); t && t->send_active && t->send_blocked) {
      t->send_blocked = false;
      finish_send(id, err, true);
    }
  });
}

void epoll_loop::pause_recv(stream_id id) {
  stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr, "pause_recv of an unknown stream");
  s->paused = true;
  update_interest(id, *s);
}

void epoll_loop::resume_recv(stream_id id) {
  stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr, "resume_recv of an unknown stream");
  // Level-triggered: data that queued up while paused is reported by the next wait.
  s->paused = false;
  update_interest(id, *s);
}

void epoll_loop::lend_recv(stream_id id, std::function<void(bool)> done) {
  // Reads happen inside the loop's own pass, so none is in flight once paused.
  pause_recv(id);
  defer([this, id, done = std::move(done)] {
    const stream* s = streams_.find(id);
    if (s == nullptr || s->recv_ended) return;
    done(s->paused);
  });
}

void epoll_loop::send(stream_id id, std::span<const iovec> bytes) {
  stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr, "send on an unknown stream");
  RINGMQ_INVARIANT(!s->send_active, "send while another send is in flight");
  s->send_active = true;
  s->cursor.start(bytes);
  // Write at once: the socket usually has room, which saves an epoll round trip.
  flush_send(id, false);
}

void epoll_loop::flush_send(stream_id id, bool from_event) {
  stream& s = streams_.at(id);
  while (!s.cursor.done()) {
    const std::span<const iovec> batch = s.cursor.next();
    msghdr msg{};
    // sendmsg reads the iovecs and never writes through msg_iov.
    msg.msg_iov = const_cast<iovec*>(batch.data());
    msg.msg_iovlen = batch.size();
    const ssize_t n = ::sendmsg(s.fd, &msg, MSG_NOSIGNAL);
    if (n > 0) {
      s.cursor.advance(static_cast<std::size_t>(n));
      continue;
    }
    const int err = n == 0 ? EIO : errno;  // 0 bytes for a non-empty stream send: no progress possible
    if (err == EINTR) continue;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      s.send_blocked = true;
      update_interest(id, s);
      return;
    }
    s.send_blocked = false;
    update_interest(id, s);
    finish_send(id, err, from_event);
    return;
  }
  s.send_blocked = false;
  update_interest(id, s);
  finish_send(id, 0, from_event);
}

void epoll_loop::finish_send(stream_id id, int error, bool from_event) {
  if (from_event) {
    stream& s = streams_.at(id);
    s.send_active = false;
    s.handler->on_sent(s.cursor.sent(), error);
    return;
  }
  // Called from inside send(): report on the next pass. send_active stays set until then,
  // so a second send() before on_sent is still caught.
  defer([this, id, error] {
    stream* s = streams_.find(id);
    if (s == nullptr) return;  // closed meanwhile: no callback after close_stream
    s->send_active = false;
    s->handler->on_sent(s->cursor.sent(), error);
  });
}

void epoll_loop::on_stream_event(stream_id id, std::uint32_t events) {
  stream* s = streams_.find(id);
  if (s == nullptr) return;
  if (s->send_blocked && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) flush_send(id, true);
  if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) read_stream(id);
}

void epoll_loop::read_stream(stream_id id) {
  for (int i = 0; i < reads_per_event; ++i) {
    stream* s = streams_.find(id);
    if (s == nullptr || s->paused || s->recv_ended) return;
    const ssize_t n = ::recv(s->fd, recv_buffer_.data(), recv_buffer_.size(), 0);
    if (n > 0) {
      const auto len = static_cast<std::size_t>(n);
      s->handler->on_data(std::span<const std::byte>(recv_buffer_.data(), len));
      // A short read drained the socket; level-triggered epoll reports anything newer.
      if (len < recv_buffer_.size()) return;
      continue;
    }
    if (n == 0) {
      end_recv(id, 0);
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    end_recv(id, errno);
    return;
  }
}

void epoll_loop::end_recv(stream_id id, int error) {
  stream& s = streams_.at(id);
  s.recv_ended = true;
  update_interest(id, s);
  s.handler->on_recv_end(error);
}

void epoll_loop::close_stream(stream_id id, std::function<void()> done) {
  stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr, "close_stream of an unknown stream");
  // Nothing is in the kernel on the stream's behalf: unregister, close, and forget it;
  // deferred on_sent calls find the id gone.
  if (s->interest != 0) ctl(EPOLL_CTL_DEL, s->fd, 0, 0);
  ::close(s->fd);
  streams_.erase(id);
  defer(std::move(done));
}

// ---- connect ----

std::uint64_t epoll_loop::connect(int fd, const sockaddr* addr, socklen_t len,
                                  std::function<void(int)> done) {
  const std::uint64_t id = connects_.insert(connect_op{.fd = fd, .done = std::move(done)});
  int err = ::connect(fd, addr, len) == 0 ? 0 : errno;
  // EINTR: the connect goes on asynchronously, exactly like EINPROGRESS.
  if (err == EINPROGRESS || err == EINTR) {
    err = ctl(EPOLL_CTL_ADD, fd, EPOLLOUT, make_tag(op_kind::connect, id));
    if (err == 0) {
      connects_.at(id).registered = true;
      return id;
    }
  }
  defer([this, id, err] {
    connect_op* c = connects_.find(id);
    if (c == nullptr) return;  // cancelled
    auto fn = std::move(c->done);
    connects_.erase(id);
    fn(err);
  });
  return id;
}

void epoll_loop::on_connect_event(std::uint64_t id) {
  connect_op* c = connects_.find(id);
  if (c == nullptr) return;
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  // Unregistered before the callback: the caller typically hands this fd to add_stream.
  ctl(EPOLL_CTL_DEL, c->fd, 0, 0);
  auto fn = std::move(c->done);
  connects_.erase(id);
  fn(err);
}

void epoll_loop::cancel_connect(std::uint64_t id) {
  connect_op* c = connects_.find(id);
  if (c == nullptr) return;
  if (c->registered) ctl(EPOLL_CTL_DEL, c->fd, 0, 0);
  connects_.erase(id);
}

// ---- listeners ----

listener_id epoll_loop::add_listener(int fd, listen_handler& h) {
  const listener_id id = listeners_.insert(listener{.fd = fd, .handler = &h});
  arm_listener(id, listeners_.at(id));
  return id;
}

void epoll_loop::arm_listener(listener_id id, listener& l) {
  const int err = ctl(EPOLL_CTL_ADD, l.fd, EPOLLIN, make_tag(op_kind::listener, id));
  if (err == 0) {
    l.registered = true;
    return;
  }
  defer([this, id, err] {
    if (listener* t = listeners_.find(id)) t->handler->on_accept(-1, err);
  });
}

void epoll_loop::on_listener_event(listener_id id) {
  for (int i = 0; i < accepts_per_event; ++i) {
    listener* l = listeners_.find(id);
    if (l == nullptr || !l->registered) return;
    const int fd = ::accept4(l->fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      l->handler->on_accept(fd, 0);
      continue;
    }
    const int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) return;
    if (err == EINTR) continue;
    l->handler->on_accept(-1, err);
    l = listeners_.find(id);
    if (l == nullptr || !l->registered) return;
    if (is_accept_resource_error(err) || is_accept_fatal_error(err)) {
      ctl(EPOLL_CTL_DEL, l->fd, 0, 0);
      l->registered = false;
      if (is_accept_fatal_error(err)) return;
      l->backoff = set_timer(clock::now() + accept_backoff, [this, id] {
        listener* t = listeners_.find(id);
        if (t == nullptr) return;
        t->backoff = 0;
        arm_listener(id, *t);
      });
      return;
    }
    // Anything else (ECONNABORTED, EPROTO, EPERM from a firewall...) concerns one
    // connection: go on with the next.
  }
}

void epoll_loop::remove_listener(listener_id id, std::function<void()> done) {
  listener* l = listeners_.find(id);
  RINGMQ_INVARIANT(l != nullptr, "remove_listener of an unknown listener");
  if (l->registered) ctl(EPOLL_CTL_DEL, l->fd, 0, 0);
  if (l->backoff != 0) cancel_timer(l->backoff);
  ::close(l->fd);
  listeners_.erase(id);
  defer(std::move(done));
}

}  // namespace

std::unique_ptr<io_loop> make_epoll_loop() { return std::make_unique<epoll_loop>(); }

}  // namespace ringmq::detail::io
