// The queue of lent buffers coming back from the library; see release_queue.hpp.
#include "release_queue.hpp"

#include "nogil.hpp"

#include <unistd.h>

namespace ringmq::python {

release_queue& release_queue::instance() noexcept {
  // Leaked on purpose: I/O threads may return loans while static destructors run. Running out
  // of memory for this one object at start-up may terminate.
  static release_queue* q = new release_queue;  // NOLINT(bugprone-unhandled-exception-at-new)
  return *q;
}

void release_queue::return_loan(void* /*data*/, void* hint) noexcept {
  auto* loan = static_cast<buffer_loan*>(hint);
  release_queue& q = instance();
  if (loan->lender != std::this_thread::get_id())
    q.returned_elsewhere_.fetch_add(1, std::memory_order_relaxed);
  q.returned_.fetch_add(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(q.mutex_);
    loan->next = q.head_;
    q.head_ = loan;
    q.pending_.store(true, std::memory_order_release);
  }
  q.cv_.notify_one();
}

buffer_loan* release_queue::lend(Py_buffer& view, PyObject* done_event) {
  ensure_drainer();
  auto* loan = new buffer_loan;
  loan->view = view;  // takes over the buffer (and its reference to the exporter)
  view = Py_buffer{};
  loan->done_event = done_event;
  Py_XINCREF(done_event);
  loan->lender = std::this_thread::get_id();
  lent_.fetch_add(1, std::memory_order_relaxed);
  return loan;
}

void release_queue::ensure_drainer() {
  const long pid = static_cast<long>(::getpid());
  if (drainer_pid_ == pid) return;
  // First loan in this process (or first after a fork, which leaves the thread behind).
  py::module_::import("ringmq._gc").attr("start")();
  drainer_pid_ = pid;
}

std::size_t release_queue::drain() {
  buffer_loan* list = nullptr;
  {
    std::lock_guard lock(mutex_);
    list = head_;
    head_ = nullptr;
    pending_.store(false, std::memory_order_relaxed);
  }
  std::size_t n = 0;
  while (list != nullptr) {
    buffer_loan* next = list->next;
    PyBuffer_Release(&list->view);
    if (list->done_event != nullptr) {
      PyObject* r = PyObject_CallMethod(list->done_event, "set", nullptr);
      if (r == nullptr) PyErr_WriteUnraisable(list->done_event);
      Py_XDECREF(r);
      Py_DECREF(list->done_event);
    }
    delete list;
    list = next;
    ++n;
  }
  return n;
}

bool release_queue::wait() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [this] { return head_ != nullptr || stopped_; });
  return !stopped_;
}

void release_queue::stop() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  cv_.notify_all();
}

release_queue::statistics release_queue::stats() const noexcept {
  return {lent_.load(std::memory_order_relaxed), returned_.load(std::memory_order_relaxed),
          returned_elsewhere_.load(std::memory_order_relaxed)};
}

void bind_release_queue(py::module_& m) {
  m.def(
      "_gc_run",
      [] {
        release_queue& q = release_queue::instance();
        for (;;) {
          bool running = false;
          {
            const nogil released;
            running = q.wait();
          }
          q.drain();
          if (!running) return;
        }
      },
      "Body of the ringmq._gc thread: returns lent buffers to Python until _gc_stop().");
  m.def("_gc_stop", [] { release_queue::instance().stop(); });
  m.def("_gc_drain", [] { return release_queue::instance().drain(); });
  m.def("_gc_stats", [] {
    const auto s = release_queue::instance().stats();
    py::dict d;
    d["lent"] = s.lent;
    d["returned"] = s.returned;
    d["returned_on_other_thread"] = s.returned_on_other_thread;
    return d;
  });
}

}  // namespace ringmq::python
