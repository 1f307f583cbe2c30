// read_lease: a stream session's direct_source (core/direct_source.hpp) -- the state of its
// read side, shared between the session on its I/O thread and the socket's thread that
// borrows it.
//
// States and who moves between them:
//   io -> lent         I/O thread (lend), once the loop's receive left the kernel
//   lent -> reading    socket thread (read: CAS); reading -> lent when the read is done
//   reading -> io      socket thread: the connection needs its I/O thread (end of stream,
//                      an error, control output such as a PONG to send)
//   lent -> io         the socket gives the lease back (give_back), or the I/O thread takes
//                      it back (take_back: waits out a read in progress)
// A move to io made on the socket's thread posts the session's reclaim_read_side().
//
// The session's fd and decode side are used by the socket's thread only in `reading`: the
// CAS into it and the store out of it order those uses against the I/O thread's (which
// reads, lends and takes back only while the state is io, or by the CAS out of lent).
#pragma once

#include "core/direct_source.hpp"
#include "io/io_loop.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace ringmq::detail {

class stream_session;

class read_lease final : public direct_source, public std::enable_shared_from_this<read_lease> {
 public:
  explicit read_lease(io::io_loop& loop) : loop_(loop) {}

  // ---- I/O thread ----
  // Attaches (null: detaches) the session; only while not lent.
  void set_session(stream_session* s) noexcept { session_ = s; }
  // io -> lent: the socket's thread may read `fd` now.
  void lend(int fd) noexcept;
  // Back to io, waiting out a read in progress. True when the socket's thread was waiting
  // on the lease: it must be woken (it may be asleep on the fd).
  bool take_back() noexcept;
  // For the session's periodic look while lent: true when the socket's thread has not
  // waited on the lease since the previous look and is not waiting now.
  bool borrower_away() noexcept;

  // ---- socket thread (direct_source) ----
  void ask() noexcept override;
  [[nodiscard]] bool lent() const noexcept override { return state_.load(std::memory_order_acquire) == lent_idle; }
  read_result read() noexcept override;
  [[nodiscard]] int fd() const noexcept override { return fd_.load(std::memory_order_relaxed); }
  void enter_wait() noexcept override;
  void leave_wait() noexcept override { waiting_.store(false, std::memory_order_relaxed); }
  void give_back() noexcept override;

 private:
  enum state : std::uint8_t { io = 0, lent_idle = 1, reading = 2 };

  // The socket's thread moved the lease to io: the session resumes its own reading.
  void post_reclaim() noexcept;

  io::io_loop& loop_;
  // seq_cst where it pairs with waiting_ (take_back against enter_wait + read's CAS): either
  // the borrower sees io and does not sleep on the fd, or take_back sees it waiting.
  std::atomic<std::uint8_t> state_{io};
  std::atomic<bool> asked_{false};
  std::atomic<bool> waiting_{false};
  std::atomic<std::uint32_t> waits_{0};
  std::atomic<int> fd_{-1};
  std::uint32_t waits_seen_ = 0;         // I/O thread
  stream_session* session_ = nullptr;    // written on the I/O thread, read by the borrower while reading
};

}  // namespace ringmq::detail
