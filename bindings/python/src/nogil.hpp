// nogil: releases the GIL for a scope, like py::gil_scoped_release, but survives the
// interpreter's exit.
//
// A daemon thread that asks for the GIL back while the interpreter finalizes is ended by
// CPython with pthread_exit, which unwinds the thread's C++ frames. With
// py::gil_scoped_release the request is made in a destructor, which is noexcept, so the
// unwind calls std::terminate and the whole process aborts at exit ("terminate called
// without an active exception") whenever a daemon thread was waiting in recv/poll/a proxy.
// This guard catches that unwind where it starts and parks the thread until the process
// ends, as CPython's own blocked daemon threads are left: nothing further runs on it, and
// no pybind11 destructor touches Python objects without the GIL.
#pragma once

#include <Python.h>

#include <chrono>
#include <thread>

namespace ringmq::python {

// Never returns: the calling thread sleeps until the process exits.
[[noreturn]] inline void park_until_exit() {
  for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
}

// Takes the GIL back after PyEval_SaveThread; parks the thread if the interpreter is
// finalizing (see above) instead of letting it unwind.
inline void restore_gil(PyThreadState* saved) noexcept {
  try {
    PyEval_RestoreThread(saved);
  } catch (...) {
    // Only pthread_exit's forced unwind gets here (a C function throws nothing else). It
    // has no exception object: catching it as abi::__forced_unwind& binds a reference to
    // null (UBSan reports it), and a catch that ended without rethrowing would abort; this
    // one never ends.
    park_until_exit();
  }
}

class nogil {
 public:
  nogil() noexcept : saved_(PyEval_SaveThread()) {}
  ~nogil() { restore_gil(saved_); }
  nogil(const nogil&) = delete;
  nogil& operator=(const nogil&) = delete;

 private:
  PyThreadState* saved_;
};

}  // namespace ringmq::python
