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
// While lent, the session looks at the borrower every few milliseconds (it must take the
// read side back from a borrower that went away). A borrower asleep in one wait across two
// looks parks the looking (park_check): the I/O thread then sleeps too, and the borrower's
// leave_wait posts the session's resume_borrower_check(). An idle reader blocked in recv
// costs no wake-ups; a message after a long wait costs one post.
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
  // For the session's periodic look while lent: away when the socket's thread has not
  // waited on the lease since the previous look and is not waiting now; asleep when it is
  // in the same wait as at the previous look.
  enum class borrower { away, active, asleep };
  borrower look_at_borrower() noexcept;
  // After `asleep`: stops the looks until the borrower leaves its wait. False when it left
  // meanwhile and the session must keep looking.
  bool park_check() noexcept;
  // The lease ends: a parked look is not resumed.
  void unpark() noexcept { check_parked_.store(false, std::memory_order_relaxed); }

  // ---- socket thread (direct_source) ----
  void ask() noexcept override;
  [[nodiscard]] bool lent() const noexcept override {
    return state_.load(std::memory_order_acquire) == lent_idle;
  }
  read_result read() noexcept override;
  [[nodiscard]] int fd() const noexcept override { return fd_.load(std::memory_order_relaxed); }
  void enter_wait() noexcept override;
  void leave_wait() noexcept override;
  void give_back() noexcept override;

 private:
  enum state : std::uint8_t { io = 0, lent_idle = 1, reading = 2 };

  // The socket's thread moved the lease to io: the session resumes its own reading.
  void post_reclaim() noexcept;
  // The borrower left a wait the session stopped looking at: it looks again.
  void post_resume_check() noexcept;

  io::io_loop& loop_;
  // seq_cst where it pairs with waiting_ (take_back against enter_wait + read's CAS): either
  // the borrower sees io and does not sleep on the fd, or take_back sees it waiting.
  std::atomic<std::uint8_t> state_{io};
  std::atomic<bool> asked_{false};
  std::atomic<bool> waiting_{false};
  // seq_cst with waiting_ (park_check against leave_wait): either the borrower sees the park
  // and resumes the looks, or park_check sees it no longer waiting.
  std::atomic<bool> check_parked_{false};
  std::atomic<std::uint32_t> waits_{0};
  std::atomic<int> fd_{-1};
  std::uint32_t waits_seen_ = 0;       // I/O thread
  stream_session* session_ = nullptr;  // written on the I/O thread, read by the borrower while reading
};

}  // namespace ringmq::detail
