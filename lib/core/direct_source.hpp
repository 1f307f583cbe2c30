// direct_source: a connection whose bytes the socket's own thread may read while it waits
// in recv, so that a message costs one wake-up (the kernel wakes the waiting thread) instead
// of two (the kernel wakes an I/O thread, which wakes the socket's thread): "count the
// wake-ups" (docs/threads.md).
//
// The I/O thread owns the connection's read side. A socket whose only peer offers a
// direct_source asks for it (ask) when a blocking recv finds nothing; the I/O thread lends
// it once no receive of its own is in the kernel. While it is lent, the socket's thread
// reads and decodes with read() and sleeps on fd() and its mailbox together. The lease is
// sticky across recv calls (a request-reply loop asks once); the I/O thread takes it back
// when the connection needs it (a timer, an error, a PING to answer, the end) or when the
// socket's thread has stayed away from it for a while, and the socket gives it back itself
// before it waits on anything else (give_back).
//
// Threads: every member is called on the socket's thread.
#pragma once

namespace ringmq::detail {

class direct_source {
 public:
  enum class read_result {
    progress,     // bytes were decoded: frames may wait in the link now
    empty,        // nothing to read yet: sleep on fd()
    unavailable,  // not lent (any more): wait on the mailbox
  };

  // Asks the I/O thread to lend the read side; it posts a wake-up command to the socket
  // once it did. Cheap to repeat.
  virtual void ask() noexcept = 0;
  [[nodiscard]] virtual bool lent() const noexcept = 0;
  // One non-blocking read of what the kernel has, decoded into the link.
  virtual read_result read() noexcept = 0;
  // The descriptor to sleep on while lent (it may be stale once the lease was taken back:
  // then the socket is sent a wake-up command).
  [[nodiscard]] virtual int fd() const noexcept = 0;
  // Brackets a wait that reads this source: while inside, the lease is not taken back for
  // the socket's absence.
  virtual void enter_wait() noexcept = 0;
  virtual void leave_wait() noexcept = 0;
  // Returns the lease (when lent) so the I/O thread reads again.
  virtual void give_back() noexcept = 0;

 protected:
  ~direct_source() = default;
};

}  // namespace ringmq::detail
