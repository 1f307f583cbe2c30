// Shared declarations of the extension module ringmq._core: a thin pybind11 layer over the
// public C++ API (include/ringmq/), with the Pythonic surface in the pure-Python package.
//
// Threads and the GIL: every call that may block releases the GIL and waits in slices of
// signal_slice, checking for signals (Ctrl-C) between slices. Nothing here ever takes the GIL
// on a library thread, except the authenticator's CURVE callback (authenticator.cpp), which
// runs on the authenticator's own thread, never on an I/O thread.
#pragma once

#include <ringmq/ringmq.hpp>

#include <pybind11/pybind11.h>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace ringmq::python {

namespace py = pybind11;

// Longest uninterrupted wait with the GIL released: a pending KeyboardInterrupt is raised at
// most this late.
inline constexpr std::chrono::milliseconds signal_slice{100};

// libzmq's flag and errno numbers, which the Python package exposes under pyzmq's names.
inline constexpr int flag_dontwait = 1;
inline constexpr int flag_sndmore = 2;
inline constexpr int zmq_hausnumero = 156384712;
inline constexpr int zmq_efsm = zmq_hausnumero + 51;
inline constexpr int zmq_enocompatproto = zmq_hausnumero + 52;
inline constexpr int zmq_eterm = zmq_hausnumero + 53;
inline constexpr int zmq_emthread = zmq_hausnumero + 54;

// ---- errors (errors.cpp) -----------------------------------------------------------------

// The errno a pyzmq user expects for `ec` (ETERM for context_terminated, EFSM, ...).
int errno_of(const std::error_code& ec) noexcept;
// Sets the matching ringmq.error exception (ZMQError, Again, ContextTerminated) and throws
// py::error_already_set. `what` names the operation ("bind tcp://...").
[[noreturn]] void raise_error(const std::error_code& ec, std::string_view what);
[[noreturn]] void raise_errno(int errnum, std::string_view message);
// Sets (without throwing) the Python error for a C++ system_error, e.g. a ringmq::error.
void set_system_error(const std::system_error& e);
[[noreturn]] void raise_again();
// `value` as a C int, converted like pyzmq's int arguments: TypeError if it is not an
// integer (operator.index), OverflowError if it does not fit. `name` goes into the message.
int int_argument(py::handle value, std::string_view name);
// Raises KeyboardInterrupt (or whatever a signal handler raised) if a signal is pending.
inline void check_signals() {
  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
}
// Deadline helpers for sliced waits: a negative timeout means forever.
using clock = std::chrono::steady_clock;
struct deadline {
  explicit deadline(std::int64_t timeout_ms);
  // The next slice to wait, or -1 ms once the deadline has passed.
  [[nodiscard]] std::chrono::milliseconds next_slice() const;
  bool forever;
  clock::time_point at;
};

// ---- bindings, one per file ----------------------------------------------------------------
void bind_errors(py::module_& m);
void bind_frame(py::module_& m);
void bind_context(py::module_& m);
void bind_socket(py::module_& m);
void bind_poll(py::module_& m);
void bind_monitor(py::module_& m);
void bind_security(py::module_& m);
void bind_authenticator(py::module_& m);
void bind_proxy(py::module_& m);

}  // namespace ringmq::python
