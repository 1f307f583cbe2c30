// link: the bidirectional connection between two owners — two sockets (inproc) or a
// socket and an I/O-thread session (tcp, ipc). It holds the two pipes, and for each end the
// listener to wake and what is known about the owner at that end.
//
// Ownership: a link is shared (std::shared_ptr) by its two ends and by commands in flight;
// it dies when the last of them lets go. Each end is used by exactly one thread at a time.
#pragma once

#include "core/direct_source.hpp"
#include "core/futex.hpp"
#include "core/pipe.hpp"

#include <ringmq/message.hpp>
#include <ringmq/socket_type.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace ringmq::detail {

class link;

// Wakes the owner of one end of a link. Both members are called from the thread at the
// *other* end; implementations only post work to their owner's thread and never block.
class link_listener {
 public:
  // Our in-pipe became readable while we slept on it, or the other end closed.
  virtual void on_readable(link& l, int side) noexcept = 0;
  // Our out-pipe got credit back after has_credit() failed.
  virtual void on_writable(link& l, int side) noexcept = 0;
  // Our in-pipe is full, and its writer would rather not drop a message: move what can go
  // out of the pipe now, on the writer's thread, without blocking (a session writes it to
  // the kernel). True when it tried (credit may be back); by default nothing can.
  virtual bool drain_now(link& /*l*/, int /*side*/) noexcept { return false; }

 protected:
  ~link_listener() = default;
};

// What an end tells the other about its owner. Published once; read after `ready`.
struct peer_info {
  std::optional<socket_type> type;  // empty for a session before its handshake
  std::string routing_id;           // Identity / ROUTING_ID of the owner, may be empty
  // A session's peer as monitor events name it ("tcp://10.0.0.2:51234"), at its first
  // handshake; empty for inproc.
  std::string address{};
};

class link : public std::enable_shared_from_this<link> {
 public:
  // hwm[i] limits messages flowing *to* end i. `between_sockets`: both ends are sockets
  // (inproc), whose application threads publish frame by frame; otherwise one end is an
  // I/O-thread session, which publishes what it decoded from one read at a time.
  static std::shared_ptr<link> create(std::int64_t hwm_to_0, std::int64_t hwm_to_1,
                                      bool between_sockets = false);
  [[nodiscard]] bool between_sockets() const noexcept { return between_sockets_; }

  pipe& in(int side) noexcept { return pipes_[side]; }
  pipe& out(int side) noexcept { return pipes_[1 - side]; }

  // Owner of `side`, once: later notifications for that end go to `listener`.
  void set_listener(int side, std::shared_ptr<link_listener> listener);
  void notify_readable(int side) noexcept;
  void notify_writable(int side) noexcept;
  bool drain(int side) noexcept;

  // Owner of `side`: publishes who it is. The other end reads it with info().
  void publish_info(int side, peer_info info);
  [[nodiscard]] const peer_info* info(int side) const noexcept;

  [[nodiscard]] bool closed(int side) const noexcept {
    return ends_[side].closed.load(std::memory_order_acquire);
  }
  // `linger`: how long the owner of `side` lets what it flushed before closing be delivered
  // (a socket's LINGER when it closed; negative: without limit). Written before the release
  // store of `closed`, so whoever saw closed(side) reads it with linger(side).
  void mark_closed(int side, std::chrono::milliseconds linger = {}) noexcept {
    ends_[side].linger = linger;
    ends_[side].closed.store(true, std::memory_order_release);
  }
  [[nodiscard]] std::chrono::milliseconds linger(int side) const noexcept { return ends_[side].linger; }

  // A session that lets the socket read the connection itself (direct_source.hpp). Set by
  // the session's side before the link reaches the socket; constant afterwards.
  void set_direct_source(std::shared_ptr<direct_source> d) noexcept { direct_ = std::move(d); }
  [[nodiscard]] const std::shared_ptr<direct_source>& direct() const noexcept { return direct_; }

  // Private to the owner of `side` (its per-peer object), never read by the other end.
  void* cookie(int side) const noexcept { return ends_[side].cookie; }
  void set_cookie(int side, void* c) noexcept { ends_[side].cookie = c; }

 private:
  link(std::int64_t hwm_to_0, std::int64_t hwm_to_1, bool between_sockets)
      : pipes_{pipe(hwm_to_0), pipe(hwm_to_1)}, between_sockets_(between_sockets) {}

  struct end_state {
    std::shared_ptr<link_listener> listener_owner;  // keeps the listener alive
    std::atomic<link_listener*> listener{nullptr};  // published with release
    peer_info info;
    std::atomic<bool> info_ready{false};
    std::atomic<bool> closed{false};
    std::chrono::milliseconds linger{0};  // set once, before `closed`
    void* cookie = nullptr;
  };
  pipe pipes_[2];  // pipes_[i] is read by end i
  end_state ends_[2];
  std::shared_ptr<direct_source> direct_;
  const bool between_sockets_;
};

// How a reader waits on an empty pipe before it is marked asleep there (link_end::read).
struct read_patience {
  std::chrono::nanoseconds limit{0};  // zero: it is not
  // Each look pulls the writer's cache line over. When the reader keeps catching up with a
  // writer that publishes frame by frame (it read fewer than short_run frames since it last
  // ran dry), it waits this many pauses between looks, so the writer fills a batch
  // undisturbed meanwhile. A reader awaiting an answer passes 1: it looks as often as it can.
  unsigned pauses_between_looks = 1;
  static constexpr std::uint32_t short_run = 64;
};

// One owner's handle on its end of a link.
class link_end {
 public:
  enum class read_status { ok, empty, closed };

  link_end() = default;
  link_end(std::shared_ptr<link> l, int side) : link_(std::move(l)), side_(side) {}

  [[nodiscard]] explicit operator bool() const noexcept { return link_ != nullptr; }
  [[nodiscard]] link& get() const noexcept { return *link_; }
  [[nodiscard]] const std::shared_ptr<link>& shared() const noexcept { return link_; }
  [[nodiscard]] int side() const noexcept { return side_; }
  [[nodiscard]] int other() const noexcept { return 1 - side_; }

  // Writing towards the other end.
  [[nodiscard]] bool peer_closed() const noexcept { return link_->closed(other()); }
  // May a new message start? False when full (we will get on_writable) or peer closed.
  bool can_write() noexcept { return !peer_closed() && link_->out(side_).has_credit(); }
  // The same for a writer that drops what does not fit (ROUTER, PUB): when full, the other
  // end first moves what it can out of the pipe, on this thread (link_listener::drain_now).
  // libzmq's I/O thread keeps emptying the pipe into the kernel's buffers, so a burst of
  // small messages rarely meets the limit there; this gives the same headroom whatever the
  // I/O thread is doing.
  bool can_write_or_drain() noexcept {
    if (can_write()) return true;
    return !peer_closed() && link_->drain(other()) && link_->out(side_).has_credit();
  }
  void write(message&& frame, bool more) { link_->out(side_).write(std::move(frame), more); }
  // Publishes complete messages, waking the other end if it slept.
  void flush() {
    if (!link_->out(side_).flush()) link_->notify_readable(other());
  }
  void rollback() noexcept { link_->out(side_).rollback(); }

  // Reading what the other end wrote.
  // With patience, an empty pipe is watched a while before the reader is marked asleep: a
  // reader that keeps catching up with a streaming writer then costs it no wake-up.
  read_status read(message& frame, const read_patience& patience) {
    if (patience.limit.count() > 0) {
      pipe& in = link_->in(side_);
      // Checked before the spin starts (which reads the clock): usually there is a frame.
      if (!in.probe()) {
        // A short run from a writer that publishes frame by frame: this reader keeps
        // catching up with it, and looks seldom (pauses_between_looks). An I/O thread's
        // batches are better taken as soon as they land.
        const bool catching_up = link_->between_sockets() && in.take_run() < read_patience::short_run;
        spin_until(
            [&in, pauses = catching_up ? patience.pauses_between_looks : 1U] {
              for (unsigned i = 1; i < pauses; ++i) __builtin_ia32_pause();
              return in.probe();
            },
            patience.limit);
      }
    }
    return read(frame);
  }
  read_status read(message& frame) {
    bool credit_returned = false;
    if (!link_->in(side_).read(frame, credit_returned)) return read_status::empty;
    if (credit_returned) link_->notify_writable(other());
    if (message_access::has(frame, message_access::delimiter)) return read_status::closed;
    return read_status::ok;
  }
  bool check_read() { return link_->in(side_).check_read(); }
  // Whether a frame is ready, without consuming it or marking this reader asleep.
  [[nodiscard]] bool probe() const noexcept { return link_->in(side_).probe(); }

  // Ends our use of the link: the other end reads what we flushed, then a delimiter, and
  // delivers it within `linger` (link::mark_closed). Idempotent. Releases our reference.
  void close(std::chrono::milliseconds linger = {});

  [[nodiscard]] const peer_info* peer() const noexcept { return link_->info(other()); }

 private:
  std::shared_ptr<link> link_;
  int side_ = 0;
};

}  // namespace ringmq::detail
