// io_loop: the event loop of one I/O thread — the extension point behind which the
// io_uring backend and the epoll fallback live. It is completion-based: callers start
// operations and are called back on the loop's thread when they finish.
//
// Threads: an io_loop is created by, and runs on, its own thread (see io_thread). Every
// member except post() and stop() must be called on that thread. Callbacks run on that
// thread, from inside run(), and may call any member again (re-entrancy is allowed: a
// callback may close the stream it is handling, start a send, set a timer...).
//
// Lifetimes: handlers passed in must stay valid until the matching "closed"/"removed"
// callback has run (close_stream's `done`, remove_listener's `done`), or until the loop is
// destroyed. The loop owns no handler. Destroying the loop (on its thread) cancels what is
// in flight and closes the fds of streams and listeners still open, calling no handler.
//
// Outcomes are never reported from inside the call that caused them: send()'s on_sent and
// close_stream's / remove_listener's `done` run on a later pass of the loop, so a caller
// never re-enters itself. Using a stream or listener id that was closed (or never
// existed) is a programming error and aborts; cancel_connect and cancel_timer of unknown
// ids are harmless.
//
// Handler classes should be `final` (or have a virtual destructor): the interfaces below
// have protected non-virtual destructors, and -Wnon-virtual-dtor flags a non-final
// implementation.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace ringmq::detail::io {

using clock = std::chrono::steady_clock;

// Receives what happens on one connected stream socket. Called on the loop thread.
class stream_handler {
 public:
  // Bytes arrived. They are valid only during the call (they live in a buffer the loop
  // recycles); consume or copy them. Not called while receiving is paused.
  virtual void on_data(std::span<const std::byte> bytes) = 0;
  // The receive side ended: `error` 0 is an orderly close by the peer, otherwise an errno
  // value (ECONNRESET, ...). No on_data follows. Like on_data, held back while receiving is
  // paused. The stream stays open (for sending, too) until close_stream.
  virtual void on_recv_end(int error) = 0;
  // The send started by send() finished: `sent` bytes were written (all of them unless
  // `error` is set, an errno value such as EPIPE). Another send may be started from here.
  virtual void on_sent(std::size_t sent, int error) = 0;

 protected:
  ~stream_handler() = default;
};

// Receives accepted connections of a listening socket. Called on the loop thread.
class listen_handler {
 public:
  // A new connection: `fd` is connected, non-blocking and close-on-exec, and now owned by
  // the handler. On failure `fd` is -1 and `error` the errno (EMFILE, ...); accepting goes on
  // (after a short back-off for EMFILE/ENFILE/ENOBUFS/ENOMEM).
  virtual void on_accept(int fd, int error) = 0;

 protected:
  ~listen_handler() = default;
};

using stream_id = std::uint64_t;
using listener_id = std::uint64_t;
using timer_id = std::uint64_t;

// Counters a loop keeps, readable from its own thread.
struct loop_stats {
  std::uint64_t wakeups = 0;         // times the loop returned from a blocking wait
  std::uint64_t posts_signaled = 0;  // post() calls that had to signal a sleeping loop
  std::uint64_t submits = 0;         // io_uring_enter / epoll_wait calls
};

// Work expected within microseconds (the next batch of a stream): watched by the loop, see
// io_loop::watch_briefly.
class brief_watch {
 public:
  // Whether the work is there; cheap (the loop calls it in a spin).
  [[nodiscard]] virtual bool ready() noexcept = 0;
  // Called once per watch_briefly: `ready`, or false when the time ran out.
  virtual void on_watched(bool ready) = 0;

 protected:
  ~brief_watch() = default;
};

class io_loop {
 public:
  virtual ~io_loop() = default;

  // "io_uring" or "epoll".
  [[nodiscard]] virtual std::string_view backend() const noexcept = 0;

  // ---- any thread ----
  // Runs `fn` on the loop thread soon. Wakes the loop only if it is sleeping.
  virtual void post(std::function<void()> fn) = 0;
  // Makes run() return after the current iteration (and wakes the loop).
  virtual void stop() = 0;

  // ---- loop thread ----
  // Runs until stop(): waits for completions, timers and posted functions, and calls
  // them. With `busy_poll` > 0 the loop spins that long looking for work before sleeping.
  virtual void run(std::chrono::microseconds busy_poll) = 0;

  // Takes over a connected non-blocking stream socket and starts receiving into
  // `h.on_data`. The fd is closed by close_stream.
  virtual stream_id add_stream(int fd, stream_handler& h) = 0;
  // Stops / restarts reception (flow control: the reader is over its high-water mark).
  // While paused, the kernel's socket buffer fills and TCP pushes back on the sender.
  // Idempotent. Data the kernel had already completed when pause_recv ran is held by the
  // loop and delivered (in order) after resume_recv.
  virtual void pause_recv(stream_id id) = 0;
  virtual void resume_recv(stream_id id) = 0;
  // Lends the receive side to the caller: stops receiving as pause_recv does, delivers
  // through on_data what the loop had received already, then calls `done(true)` once none
  // of the loop's receives is in the kernel any more. From then until resume_recv the
  // caller may read the fd itself (non-blocking) and the loop reads nothing. done(false):
  // a resume_recv came first and the loop receives as before. `done` never runs when the
  // stream is closed first or its receive side ended meanwhile (on_recv_end instead), and
  // never from inside this call.
  virtual void lend_recv(stream_id id, std::function<void(bool)> done) = 0;
  // Writes all of `bytes` (gathered in order), then calls h.on_sent. At most one send per
  // stream at a time; the iovec array and what it points to must stay valid until on_sent.
  virtual void send(stream_id id, std::span<const iovec> bytes) = 0;
  // Cancels the stream's operations, closes the fd, and calls `done` once no callback for
  // this stream can run any more (then the handler may be destroyed). No callback other
  // than `done` follows close_stream.
  virtual void close_stream(stream_id id, std::function<void()> done) = 0;

  // Starts a non-blocking connect of `fd` (already created, non-blocking) to `addr`;
  // `done(error)` runs with 0 on success or the errno (ECONNREFUSED, ETIMEDOUT, ...).
  // `fd` stays owned by the caller. Cancelled (no callback) by cancel_connect.
  virtual std::uint64_t connect(int fd, const sockaddr* addr, socklen_t len,
                                std::function<void(int)> done) = 0;
  virtual void cancel_connect(std::uint64_t id) = 0;

  // Starts accepting on a listening socket (bound, listening, non-blocking); the loop owns
  // the fd from now on.
  virtual listener_id add_listener(int fd, listen_handler& h) = 0;
  // Stops accepting, closes the fd, then calls `done` (no on_accept after that).
  virtual void remove_listener(listener_id id, std::function<void()> done) = 0;

  // One-shot timer; cancelling an expired or unknown timer is harmless.
  virtual timer_id set_timer(clock::time_point when, std::function<void()> fn) = 0;
  virtual void cancel_timer(timer_id id) = 0;

  // Until `w.ready()` or `within` passes, the loop does not sleep: between its other work
  // it keeps asking, then calls `w.on_watched()` (from a later pass, never from inside this
  // call). Sleeping and being woken costs the waker a syscall and this thread a context
  // switch, both longer than the gap between a stream's batches. Watching a watched `w`
  // again keeps the earlier deadline.
  virtual void watch_briefly(brief_watch& w, clock::duration within) = 0;
  // Ends a watch without on_watched; harmless for a `w` not watched.
  virtual void unwatch(brief_watch& w) noexcept = 0;

  [[nodiscard]] virtual loop_stats stats() const noexcept = 0;
};

// Which backend make_loop picks: io_uring when the kernel allows it, else epoll.
// RINGMQ_IO_BACKEND=epoll|io_uring forces one (io_uring forced but unavailable is an error).
// The variable steers `automatic` only: an explicit choice passed in code wins. Any other
// value of the variable is an error (std::system_error, EINVAL).
enum class backend_choice { automatic, io_uring, epoll };

// Creates a loop; must be called on the thread that will run it (io_uring rings are
// created single-issuer). Throws std::system_error with a readable message (naming the
// errno and its likely cause: seccomp, kernel.io_uring_disabled, ...) if the chosen
// backend cannot start.
std::unique_ptr<io_loop> make_loop(backend_choice choice = backend_choice::automatic);

// The backend make_loop(automatic) would pick here, honouring RINGMQ_IO_BACKEND; probes the
// kernel once per process.
backend_choice default_backend();

}  // namespace ringmq::detail::io
