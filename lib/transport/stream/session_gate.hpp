// session_gate: who drives a stream session's output right now — its I/O thread, or the
// application thread that just sent a message. It is the link listener of the session's
// end of the socket↔session link, so a socket that flushes a message into a sleeping
// session calls on_readable() on its own thread.
//
// "Count the wake-ups" (docs/threads.md): when the connection is idle, that application thread
// takes the gate and writes the message to the kernel itself (stream_session::
// send_directly), so a lone message never waits for the I/O thread to wake up. Under load,
// or when the kernel does not take everything, the work is posted to the I/O thread, which
// batches.
//
// Protocol: try_acquire() is a CAS from free to a holder. Whoever fails to acquire sets
// `wanted`; a holder that releases re-checks `wanted` (seq_cst on both sides, so either the
// requester's retry or the holder's re-check sees the other) and hands the work to the I/O
// thread. The session pointer is written only by the I/O thread while it holds the gate, so
// a holder always sees a live session or null.
#pragma once

#include "core/link.hpp"
#include "io/io_loop.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace ringmq::detail {

class stream_session;

class session_gate final : public link_listener, public std::enable_shared_from_this<session_gate> {
 public:
  enum holder : std::uint8_t { none = 0, io_thread = 1, app_thread = 2 };

  explicit session_gate(io::io_loop& loop) : loop_(loop) {}

  // ---- I/O thread ----
  // Attaches (or with null, detaches) the session; blocks until the gate is free.
  void set_session(stream_session* s) noexcept;
  bool try_acquire_io() noexcept { return try_acquire(io_thread); }
  // Waits for an application thread to finish its (non-blocking) direct send.
  void acquire_io() noexcept;
  // Releases. Returns true if work was requested meanwhile and the gate was re-acquired:
  // the caller must run the session's output again.
  bool release_io() noexcept;
  // Releases; work requested meanwhile is posted to run later instead of now (for callers
  // that cannot re-enter the session's output).
  void release_io_later() noexcept;
  // The I/O thread needs the gate but an application thread holds it: make the holder
  // post the work back on release.
  void want() noexcept;

  // ---- the socket's thread (link_listener) ----
  void on_readable(link& l, int side) noexcept override;
  void on_writable(link& l, int side) noexcept override;
  // The socket's pipe to the session is full: the socket's thread writes what it can of
  // the pipe to the kernel (stream_session::drain_directly), once the gate is free.
  bool drain_now(link& l, int side) noexcept override;

 private:
  bool try_acquire(holder who) noexcept {
    std::uint8_t expected = none;
    // acquire: see everything the previous holder did with the session's output state.
    return state_.compare_exchange_strong(expected, who, std::memory_order_acquire,
                                          std::memory_order_relaxed);
  }
  void post_pump() noexcept;

  // How long drain_now waits for an I/O thread that holds the gate. The holder does
  // bounded, non-blocking work (a pump: microseconds; 1-3 ms of CPU in an ASan build), so
  // the wait ends when that thread runs again; the wait spins briefly, then naps to leave
  // it the CPU. On a loaded machine the holder is off the CPU for tens of milliseconds (up
  // to 73 ms seen at load average 10): a 2 ms, then a 20 ms patience lost replies in ASan
  // runs beside other tests. The patience is a safety net, not the expected wait.
  static constexpr std::chrono::microseconds drain_spin{200};
  static constexpr std::chrono::milliseconds drain_patience{100};
  static constexpr std::chrono::microseconds drain_nap{50};

  io::io_loop& loop_;
  // The socket's thread only: the pipe's credit_returned() when a drain wait last timed
  // out, or no_vain_wait.
  static constexpr std::int64_t no_vain_wait = -1;
  std::int64_t vain_wait_mark_ = no_vain_wait;
  // release on unlock publishes the holder's writes; seq_cst orders it against `wanted_`.
  std::atomic<std::uint8_t> state_{none};
  std::atomic<bool> wanted_{false};
  stream_session* session_ = nullptr;
};

}  // namespace ringmq::detail
