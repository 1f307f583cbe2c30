// Zero-copy sends lend a Python buffer to the library. The library gives it back through a
// message::free_fn that may run on any thread, an I/O thread included, where taking the GIL
// could stall I/O or deadlock (pyzmq#13, #389). So the free function only queues the loan,
// without touching Python; a Python thread (ringmq._gc, a daemon thread started on the first
// loan) waits for loans with the GIL released and returns them to Python with the GIL held:
// PyBuffer_Release, then the MessageTracker's event is set.
//
// Threads: return_loan() on any thread; everything else with the GIL held, except wait(),
// which the caller runs with the GIL released.
#pragma once

#include "common.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace ringmq::python {

struct buffer_loan {
  Py_buffer view{};                // holds a reference to the exporting object
  PyObject* done_event = nullptr;  // threading.Event of a MessageTracker, or null
  std::thread::id lender;          // the thread that lent it, for statistics
  buffer_loan* next = nullptr;     // intrusive list: queuing never allocates
};

class release_queue {
 public:
  static release_queue& instance() noexcept;

  // The free function of lent messages (hint = the buffer_loan). Any thread; no GIL.
  static void return_loan(void* data, void* hint) noexcept;

  // GIL held: lends `obj`'s buffer (already acquired in `view`, which the loan takes over)
  // and makes sure the draining thread runs. `done_event` may be null.
  buffer_loan* lend(Py_buffer& view, PyObject* done_event);

  // GIL held: returns every queued loan to Python. Returns how many.
  std::size_t drain();
  // GIL held: drains only if something is queued (cheap when nothing is).
  void drain_if_pending() {
    if (pending_.load(std::memory_order_acquire)) drain();
  }
  // GIL released: waits until a loan is queued or stop() was called. False once stopped.
  bool wait();
  // Stops the draining thread for good (interpreter exit): later loans are never returned,
  // since Python may no longer be able to run.
  void stop() noexcept;

  struct statistics {
    std::uint64_t lent;
    std::uint64_t returned;
    std::uint64_t returned_on_other_thread;  // e.g. by an I/O thread
  };
  [[nodiscard]] statistics stats() const noexcept;

 private:
  void ensure_drainer();

  std::mutex mutex_;
  std::condition_variable cv_;
  buffer_loan* head_ = nullptr;  // guarded by mutex_
  bool stopped_ = false;         // guarded by mutex_
  // Set when head_ becomes non-null; lets drain_if_pending() skip the mutex. acquire/release
  // pairs with the store under the mutex so a drain sees the pushed loan.
  std::atomic<bool> pending_{false};
  std::atomic<std::uint64_t> lent_{0};
  std::atomic<std::uint64_t> returned_{0};
  std::atomic<std::uint64_t> returned_elsewhere_{0};
  long drainer_pid_ = 0;  // GIL held: the process that started the draining thread
};

void bind_release_queue(py::module_& m);

}  // namespace ringmq::python
