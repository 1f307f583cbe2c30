#include "io/io_uring_loop.hpp"

#include "core/invariant.hpp"
#include "io/accept_errors.hpp"
#include "io/buffer_ring.hpp"
#include "io/loop_base.hpp"
#include "io/send_cursor.hpp"
#include "io/slot_table.hpp"
#include "io/uring_setup.hpp"

#include <liburing.h>

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <vector>

namespace ringmq::detail::io {

namespace {

// Completions copied out of the CQ per batch: the CQ head is advanced before any callback
// runs, so callbacks can submit freely and the CQ never stays full while they run.
constexpr unsigned cqe_batch = 256;
// How long the destructor waits for cancelled operations to complete.
constexpr auto teardown_limit = std::chrono::seconds(2);

struct uring_stream {
  int fd = -1;
  stream_handler* handler = nullptr;
  unsigned inflight = 0;         // this stream's operations in the kernel (recv, send)
  bool recv_armed = false;       // a receive is in the kernel (possibly being cancelled)
  bool recv_cancelling = false;  // a cancel for it has been queued
  bool paused = false;
  bool recv_ended = false;  // EOF or error seen: never re-armed
  bool stash_drain_queued = false;
  std::optional<int> end_pending{};  // the end, held back until the stash is delivered
  // Data that completed after pause_recv (the cancel races with arriving data), delivered
  // in order on resume. Empty except in that window.
  std::vector<std::byte> stash{};
  std::function<void(bool)> lend_done{};  // lend_recv waits for the receive to leave the kernel
  bool send_active = false;               // from send() until on_sent
  send_cursor cursor{};
  msghdr msg{};  // the in-flight sendmsg's header; lives until its CQE
  bool closing = false;
  std::function<void()> done{};
};

struct uring_listener {
  int fd = -1;
  listen_handler* handler = nullptr;
  bool armed = false;
  bool closing = false;
  timer_id backoff = 0;
  std::function<void()> done{};
};

struct uring_connect {
  sockaddr_storage addr{};  // the kernel may read it after submission: kept until the CQE
  std::function<void(int)> done{};
  bool cancelled = false;
};

struct completion {
  std::uint64_t tag;
  std::int32_t res;
  std::uint32_t flags;
};

class io_uring_loop final : public loop_base {
 public:
  explicit io_uring_loop(const uring_config& config);
  ~io_uring_loop() override;

  [[nodiscard]] std::string_view backend() const noexcept override { return "io_uring"; }

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
  // An SQE to fill; flushes the SQ to the kernel first if it is full. Every SQE prepared
  // here yields exactly one final CQE (one without IORING_CQE_F_MORE): counted in inflight_.
  io_uring_sqe* get_sqe(std::uint64_t tag);
  [[nodiscard]] bool taskrun_pending() const noexcept;
  bool reap();
  void dispatch(const completion& c);

  void arm_wake();
  void arm_recv(stream_id id, uring_stream& s);
  void maybe_arm_recv(stream_id id);
  void submit_send(stream_id id, uring_stream& s);
  void arm_accept(listener_id id, uring_listener& l);
  void cancel_op(std::uint64_t tag);

  void on_recv(stream_id id, std::int32_t res, std::uint32_t flags);
  void end_recv(uring_stream& s, int error);
  void drain_stash(stream_id id);
  void finish_lend(stream_id id);
  // Delivers what the loop held back for the stream (the stash, then a pending end) while
  // `wanted(stream)` holds. True when all was delivered, the receive side did not end and
  // the stream is still wanted: the caller carries on.
  template <class Wanted>
  bool deliver_held(stream_id id, Wanted wanted);
  void on_send(stream_id id, std::int32_t res);
  void on_accept(listener_id id, std::int32_t res, bool more);
  void on_connect(std::uint64_t id, std::int32_t res);
  void finish_close(stream_id id);
  void finish_remove(listener_id id);

  uring_config config_;
  io_uring ring_{};
  ring_features features_;
  buffer_ring buffers_;
  std::uint64_t wake_value_ = 0;  // the armed eventfd READ's target
  unsigned inflight_ = 0;         // operations whose final CQE has not been reaped
  bool tearing_down_ = false;     // destructor: reap without callbacks or re-arming
  std::vector<completion> completions_;
  slot_table<uring_stream> streams_;
  slot_table<uring_listener> listeners_;
  slot_table<uring_connect> connects_;
};

// ---- setup and teardown ----

io_uring_loop::io_uring_loop(const uring_config& config) : config_(config) {
  std::string what;
  if (const int rc = open_ring(ring_, config_, features_, what); rc < 0)
    throw std::system_error(-rc, std::system_category(), unavailable_message(-rc, what));
  if (const int rc = buffers_.setup(ring_, 0, config_.buffer_count, config_.buffer_size); rc < 0) {
    io_uring_queue_exit(&ring_);
    const int error = rc == -EINVAL ? EOPNOTSUPP : -rc;
    throw std::system_error(
        error, std::system_category(),
        unavailable_message(error, error == EOPNOTSUPP ? "provided-buffer rings (Linux 5.19)"
                                                       : "registering the buffer ring"));
  }
  completions_.reserve(cqe_batch);
  arm_wake();
}

io_uring_loop::~io_uring_loop() {
  // Cancel everything, then reap until the kernel holds no operation of ours: only then
  // may the fds be closed and the buffers unmapped (a late receive would write into them).
  tearing_down_ = true;
  if (inflight_ > 0) {
    io_uring_sqe* sqe = get_sqe(make_tag(op_kind::cancel, 0));
    io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL);
    const auto limit = clock::now() + teardown_limit;
    while (inflight_ > 0 && clock::now() < limit) {
      __kernel_timespec ts{.tv_sec = 0, .tv_nsec = 50'000'000};
      io_uring_cqe* cqe = nullptr;
      io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
      reap();
    }
  }
  streams_.for_each([](stream_id, uring_stream& s) { ::close(s.fd); });
  listeners_.for_each([](listener_id, uring_listener& l) { ::close(l.fd); });
  buffers_.unregister(ring_);
  io_uring_queue_exit(&ring_);
  // buffers_ unmaps its memory when destroyed, after the ring is gone.
}

// ---- submission and completion ----

io_uring_sqe* io_uring_loop::get_sqe(std::uint64_t tag) {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {
    // SQ full: hand what is queued to the kernel (the submit does not wait), then retry.
    buffers_.publish();
    io_uring_submit(&ring_);
    ++counters_.submits;
    sqe = io_uring_get_sqe(&ring_);
    RINGMQ_INVARIANT(sqe != nullptr, "no SQE free after submitting");
  }
  io_uring_sqe_set_data64(sqe, tag);
  ++inflight_;
  return sqe;
}

bool io_uring_loop::taskrun_pending() const noexcept {
  if (!features_.taskrun_flag) return false;
  // relaxed: the flag is a hint that task work waits for us to enter the kernel; the
  // completions themselves are read through the CQ tail with acquire (io_uring_cq_ready).
  return (std::atomic_ref<unsigned>(*ring_.sq.kflags).load(std::memory_order_relaxed) & IORING_SQ_TASKRUN) !=
         0;
}

bool io_uring_loop::poll() {
  buffers_.publish();
  // Enter the kernel only with something to do there: SQEs to submit, task work to run
  // (DEFER/COOP_TASKRUN complete operations only inside io_uring_enter), or completions
  // held back by a CQ overflow. Otherwise checking the CQ costs no syscall.
  if (io_uring_sq_ready(&ring_) > 0 || taskrun_pending() || io_uring_cq_has_overflow(&ring_)) {
    io_uring_submit_and_get_events(&ring_);
    ++counters_.submits;
  }
  return reap();
}

void io_uring_loop::wait(std::optional<clock::duration> timeout) {
  buffers_.publish();
  __kernel_timespec ts{};
  if (timeout) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(*timeout).count();
    ts.tv_sec = ns / 1'000'000'000;
    ts.tv_nsec = ns % 1'000'000'000;
  }
  // One syscall submits everything queued this pass and sleeps until a completion (a
  // receive, the eventfd READ that post() triggers, ...) or the nearest timer. The result
  // is ignored: -ETIME and -EINTR just end the wait, and liburing 2.3 may return >= 0
  // without a CQE after a timeout; reap() looks at the CQ itself.
  io_uring_cqe* cqe = nullptr;
  io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, timeout ? &ts : nullptr, nullptr);
  ++counters_.submits;
  ++counters_.wakeups;
  reap();
}

bool io_uring_loop::reap() {
  bool any = false;
  for (;;) {
    completions_.clear();
    unsigned head = 0;
    unsigned seen = 0;
    io_uring_cqe* cqe = nullptr;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      completions_.push_back(completion{cqe->user_data, cqe->res, cqe->flags});
      if (++seen == cqe_batch) break;
    }
    if (seen == 0) break;
    io_uring_cq_advance(&ring_, seen);
    any = true;
    for (const completion& c : completions_) dispatch(c);
  }
  return any;
}

void io_uring_loop::dispatch(const completion& c) {
  const bool more = (c.flags & IORING_CQE_F_MORE) != 0;
  if (!more) --inflight_;
  const std::uint64_t id = tag_id(c.tag);
  switch (tag_op(c.tag)) {
    case op_kind::wake:
      if (!tearing_down_) arm_wake();
      break;
    case op_kind::recv: on_recv(id, c.res, c.flags); break;
    case op_kind::send: on_send(id, c.res); break;
    case op_kind::accept: on_accept(id, c.res, more); break;
    case op_kind::connect: on_connect(id, c.res); break;
    case op_kind::cancel:
      // 0, -ENOENT (already finished) and -EALREADY (running) are all fine: the target's
      // own completion is what the loop waits for.
      break;
    default: RINGMQ_INVARIANT(false, "completion with an unknown tag");
  }
}

void io_uring_loop::cancel_op(std::uint64_t tag) {
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::cancel, 0));
  io_uring_prep_cancel64(sqe, tag, 0);
}

// ---- wake-up ----

void io_uring_loop::arm_wake() {
  // The eventfd's counter is consumed by the READ itself; its value is not needed.
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::wake, 0));
  io_uring_prep_read(sqe, posts().fd(), &wake_value_, sizeof wake_value_, 0);
}

// ---- streams: receive ----

stream_id io_uring_loop::add_stream(int fd, stream_handler& h) {
  const stream_id id = streams_.insert(uring_stream{.fd = fd, .handler = &h});
  arm_recv(id, streams_.at(id));
  return id;
}

void io_uring_loop::arm_recv(stream_id id, uring_stream& s) {
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::recv, id));
  // len 0: each completion fills at most one provided buffer.
  if (features_.multishot_recv)
    io_uring_prep_recv_multishot(sqe, s.fd, nullptr, 0, 0);
  else
    io_uring_prep_recv(sqe, s.fd, nullptr, 0, 0);
  sqe->flags |= IOSQE_BUFFER_SELECT;
  sqe->buf_group = buffers_.group();
  s.recv_armed = true;
  ++s.inflight;
}

void io_uring_loop::maybe_arm_recv(stream_id id) {
  uring_stream* s = streams_.find(id);
  if (s == nullptr || s->closing || s->paused || s->recv_ended || s->recv_armed || !s->stash.empty()) return;
  arm_recv(id, *s);
}

void io_uring_loop::on_recv(stream_id id, std::int32_t res, std::uint32_t flags) {
  const bool more = (flags & IORING_CQE_F_MORE) != 0;
  // The buffer goes back to the ring whatever happens to the stream, right after on_data
  // (or the copy into the stash) — not before: a callback may fill the SQ, and the submit
  // that makes room publishes recycled buffers, which an inline receive could then reuse.
  struct recycle_on_exit {
    buffer_ring* ring = nullptr;
    unsigned id = 0;
    ~recycle_on_exit() {
      if (ring != nullptr) ring->recycle(id);
    }
  } recycle{};
  std::span<const std::byte> data;
  if ((flags & IORING_CQE_F_BUFFER) != 0) {
    const unsigned buffer_id = flags >> IORING_CQE_BUFFER_SHIFT;
    data = buffers_.view(buffer_id, res > 0 ? static_cast<std::size_t>(res) : 0);
    recycle.ring = &buffers_;
    recycle.id = buffer_id;
  }
  uring_stream* s = streams_.find(id);
  if (s == nullptr) return;  // cannot happen: a slot outlives its operations
  if (!more) {
    s->recv_armed = false;
    s->recv_cancelling = false;
    --s->inflight;
  }
  if (s->closing) {
    if (s->inflight == 0) finish_close(id);
    return;
  }
  if (tearing_down_) return;

  if (res > 0) {
    if (s->paused || !s->stash.empty()) {
      // Completed after pause_recv (or behind stashed data): keep it, in order.
      s->stash.insert(s->stash.end(), data.begin(), data.end());
    } else {
      s->handler->on_data(data);
    }
  } else if (res == 0) {
    end_recv(*s, 0);
  } else if (res != -ECANCELED && res != -ENOBUFS) {
    // -ECANCELED: our pause. -ENOBUFS: the buffer ring ran dry for a moment (the buffers
    // are recycled at once, so re-arming after the next publish finds some).
    end_recv(*s, -res);
  }
  if (more) return;
  // Looked up again: on_data may have closed the stream.
  if (const uring_stream* t = streams_.find(id); t != nullptr && t->lend_done)
    defer([this, id] { finish_lend(id); });
  else
    maybe_arm_recv(id);
}

void io_uring_loop::end_recv(uring_stream& s, int error) {
  s.recv_ended = true;
  if (s.paused || !s.stash.empty()) {
    s.end_pending = error;
    return;
  }
  s.handler->on_recv_end(error);
}

void io_uring_loop::pause_recv(stream_id id) {
  uring_stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr && !s->closing, "pause_recv of an unknown or closed stream");
  if (s->paused) return;
  s->paused = true;
  // Cancelling the multishot stops the kernel from draining the socket, so its receive
  // buffer fills and TCP's window closes on the sender.
  if (s->recv_armed && !s->recv_cancelling) {
    s->recv_cancelling = true;
    cancel_op(make_tag(op_kind::recv, id));
  }
}

void io_uring_loop::resume_recv(stream_id id) {
  uring_stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr && !s->closing, "resume_recv of an unknown or closed stream");
  if (!s->paused) return;
  s->paused = false;
  if (s->lend_done) {
    // Overtaken: the loop keeps receiving.
    auto done = std::move(s->lend_done);
    s->lend_done = nullptr;
    defer([done = std::move(done)] { done(false); });
  }
  if (!s->stash.empty() || s->end_pending) {
    // Delivered on the next pass, not from inside resume_recv.
    if (!s->stash_drain_queued) {
      s->stash_drain_queued = true;
      defer([this, id] { drain_stash(id); });
    }
    return;
  }
  // If the old receive is still being cancelled, its final CQE re-arms (maybe_arm_recv).
  maybe_arm_recv(id);
}

void io_uring_loop::lend_recv(stream_id id, std::function<void(bool)> done) {
  pause_recv(id);
  uring_stream& s = streams_.at(id);
  RINGMQ_INVARIANT(!s.lend_done, "lend_recv while another lend is pending");
  s.lend_done = std::move(done);
  // Otherwise the receive's final completion (cancelled) finishes the lend.
  if (!s.recv_armed) defer([this, id] { finish_lend(id); });
}

void io_uring_loop::finish_lend(stream_id id) {
  // What completed before the cancel went into the stash: the borrower reads after it.
  if (!deliver_held(id, [](const uring_stream& s) { return s.lend_done && !s.recv_armed; })) return;
  uring_stream& s = streams_.at(id);
  auto done = std::move(s.lend_done);
  s.lend_done = nullptr;
  done(true);
}

void io_uring_loop::drain_stash(stream_id id) {
  if (uring_stream* s = streams_.find(id)) s->stash_drain_queued = false;
  if (deliver_held(id, [](const uring_stream& s) { return !s.paused; })) maybe_arm_recv(id);
}

template <class Wanted>
bool io_uring_loop::deliver_held(stream_id id, Wanted wanted) {
  uring_stream* s = streams_.find(id);
  if (s == nullptr || s->closing || !wanted(*s)) return false;
  if (!s->stash.empty()) {
    std::vector<std::byte> data = std::move(s->stash);
    s->stash.clear();
    s->handler->on_data(data);
    s = streams_.find(id);  // on_data may have closed, paused or resumed it
    if (s == nullptr || s->closing || !wanted(*s)) return false;
  }
  if (s->end_pending) {
    const int error = *s->end_pending;
    s->end_pending.reset();
    s->lend_done = nullptr;  // a pending lend ends with the receive side
    s->handler->on_recv_end(error);
    return false;
  }
  return true;
}

// ---- streams: send ----

void io_uring_loop::send(stream_id id, std::span<const iovec> bytes) {
  uring_stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr && !s->closing, "send on an unknown or closed stream");
  RINGMQ_INVARIANT(!s->send_active, "send while another send is in flight");
  s->send_active = true;
  s->cursor.start(bytes);
  if (s->cursor.done()) {
    defer([this, id] {
      uring_stream* t = streams_.find(id);
      if (t == nullptr || t->closing) return;
      t->send_active = false;
      t->handler->on_sent(0, 0);
    });
    return;
  }
  submit_send(id, *s);
}

void io_uring_loop::submit_send(stream_id id, uring_stream& s) {
  const std::span<const iovec> batch = s.cursor.next();
  s.msg = msghdr{};
  // sendmsg only reads the iovecs; msghdr's field is non-const for recvmsg's sake.
  s.msg.msg_iov = const_cast<iovec*>(batch.data());
  s.msg.msg_iovlen = batch.size();
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::send, id));
  // MSG_WAITALL: the kernel itself retries a short send until all is written (or an
  // error); a short count can still come back after a partial error, and is resubmitted.
  io_uring_prep_sendmsg(sqe, s.fd, &s.msg, MSG_NOSIGNAL | MSG_WAITALL);
  ++s.inflight;
}

void io_uring_loop::on_send(stream_id id, std::int32_t res) {
  uring_stream* s = streams_.find(id);
  if (s == nullptr) return;
  --s->inflight;
  if (s->closing) {
    if (s->inflight == 0) finish_close(id);
    return;
  }
  if (tearing_down_) return;
  int error = 0;
  if (res < 0) {
    error = -res;
  } else {
    s->cursor.advance(static_cast<std::size_t>(res));
    if (!s->cursor.done()) {
      if (res > 0) {
        submit_send(id, *s);
        return;
      }
      error = EIO;  // no progress on a non-empty send: never expected from a stream socket
    }
  }
  s->send_active = false;
  s->handler->on_sent(s->cursor.sent(), error);
}

// ---- streams: close ----

void io_uring_loop::close_stream(stream_id id, std::function<void()> done) {
  uring_stream* s = streams_.find(id);
  RINGMQ_INVARIANT(s != nullptr && !s->closing, "close_stream of an unknown or closed stream");
  s->closing = true;
  s->done = std::move(done);
  s->stash.clear();
  if (s->inflight == 0) {
    finish_close(id);
    return;
  }
  // close() alone would not end the operations (they hold file references): cancel
  // every request on the fd, then close when their completions are in.
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::cancel, 0));
  io_uring_prep_cancel_fd(sqe, s->fd, IORING_ASYNC_CANCEL_ALL);
}

void io_uring_loop::finish_close(stream_id id) {
  uring_stream& s = streams_.at(id);
  ::close(s.fd);
  std::function<void()> done = std::move(s.done);
  streams_.erase(id);
  if (done) defer(std::move(done));
}

// ---- connect ----

std::uint64_t io_uring_loop::connect(int fd, const sockaddr* addr, socklen_t len,
                                     std::function<void(int)> done) {
  RINGMQ_INVARIANT(len <= sizeof(sockaddr_storage), "connect address too long");
  const std::uint64_t id = connects_.insert(uring_connect{.done = std::move(done)});
  uring_connect& c = connects_.at(id);
  std::memcpy(&c.addr, addr, len);
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::connect, id));
  io_uring_prep_connect(sqe, fd, reinterpret_cast<const sockaddr*>(&c.addr), len);
  return id;
}

void io_uring_loop::cancel_connect(std::uint64_t id) {
  uring_connect* c = connects_.find(id);
  if (c == nullptr || c->cancelled) return;
  // The slot (and the address) stays until the connect's completion; no callback.
  c->cancelled = true;
  c->done = nullptr;
  cancel_op(make_tag(op_kind::connect, id));
}

void io_uring_loop::on_connect(std::uint64_t id, std::int32_t res) {
  uring_connect* c = connects_.find(id);
  if (c == nullptr) return;
  std::function<void(int)> done = std::move(c->done);
  const bool cancelled = c->cancelled;
  connects_.erase(id);
  if (cancelled || tearing_down_ || !done) return;
  done(res < 0 ? -res : 0);
}

// ---- listeners ----

listener_id io_uring_loop::add_listener(int fd, listen_handler& h) {
  const listener_id id = listeners_.insert(uring_listener{.fd = fd, .handler = &h});
  arm_accept(id, listeners_.at(id));
  return id;
}

void io_uring_loop::arm_accept(listener_id id, uring_listener& l) {
  io_uring_sqe* sqe = get_sqe(make_tag(op_kind::accept, id));
  if (features_.multishot_accept)
    io_uring_prep_multishot_accept(sqe, l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  else
    io_uring_prep_accept(sqe, l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  l.armed = true;
}

void io_uring_loop::on_accept(listener_id id, std::int32_t res, bool more) {
  uring_listener* l = listeners_.find(id);
  if (l == nullptr) {
    if (res >= 0) ::close(res);
    return;
  }
  if (!more) l->armed = false;
  if (l->closing || tearing_down_) {
    // Accepted after remove_listener: nobody wants it.
    if (res >= 0) ::close(res);
    if (l->closing && !l->armed) finish_remove(id);
    return;
  }
  int error = 0;
  if (res >= 0) {
    l->handler->on_accept(res, 0);
  } else if (res != -ECANCELED) {
    error = -res;
    l->handler->on_accept(-1, error);
  }
  if (more) return;
  l = listeners_.find(id);
  if (l == nullptr || l->closing || l->armed) return;
  if (is_accept_fatal_error(error)) return;
  if (is_accept_resource_error(error)) {
    l->backoff = set_timer(clock::now() + accept_backoff, [this, id] {
      uring_listener* t = listeners_.find(id);
      if (t == nullptr) return;
      t->backoff = 0;
      if (!t->closing && !t->armed) arm_accept(id, *t);
    });
    return;
  }
  // The multishot ended for another reason (a transient error, a CQ overflow) or the
  // kernel gives single-shot accepts: keep accepting.
  arm_accept(id, *l);
}

void io_uring_loop::remove_listener(listener_id id, std::function<void()> done) {
  uring_listener* l = listeners_.find(id);
  RINGMQ_INVARIANT(l != nullptr && !l->closing, "remove_listener of an unknown or removed listener");
  l->closing = true;
  l->done = std::move(done);
  if (l->backoff != 0) {
    cancel_timer(l->backoff);
    l->backoff = 0;
  }
  if (!l->armed) {
    finish_remove(id);
    return;
  }
  cancel_op(make_tag(op_kind::accept, id));
}

void io_uring_loop::finish_remove(listener_id id) {
  uring_listener& l = listeners_.at(id);
  ::close(l.fd);
  std::function<void()> done = std::move(l.done);
  listeners_.erase(id);
  if (done) defer(std::move(done));
}

}  // namespace

std::unique_ptr<io_loop> make_io_uring_loop(const uring_config& config) {
  return std::make_unique<io_uring_loop>(config);
}

}  // namespace ringmq::detail::io
