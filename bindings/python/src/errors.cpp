// Errors: ringmq's std::error_code values become the exception classes of ringmq.error
// (pyzmq's ZMQError, Again, ContextTerminated) carrying libzmq's errno numbers, so code that
// compares `e.errno == zmq.EAGAIN` keeps working.
#include "common.hpp"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <string>

namespace ringmq::python {

namespace {

// The exception classes, imported from ringmq.error on first use. Deliberately leaked: they
// must outlive every static destructor that could still raise during interpreter shutdown.
struct error_classes {
  PyObject* zmq_error;
  PyObject* again;
  PyObject* context_terminated;
};

const error_classes& classes() {
  static const error_classes c = [] {
    py::module_ mod = py::module_::import("ringmq.error");
    return error_classes{py::object(mod.attr("ZMQError")).release().ptr(),
                         py::object(mod.attr("Again")).release().ptr(),
                         py::object(mod.attr("ContextTerminated")).release().ptr()};
  }();
  return c;
}

[[noreturn]] void raise_with(int errnum, const std::string& message) {
  const error_classes& c = classes();
  PyObject* cls = c.zmq_error;
  if (errnum == EAGAIN)
    cls = c.again;
  else if (errnum == zmq_eterm)
    cls = c.context_terminated;
  py::tuple args = py::make_tuple(errnum, message);
  PyErr_SetObject(cls, args.ptr());
  throw py::error_already_set();
}

}  // namespace

int errno_of(const std::error_code& ec) noexcept {
  if (ec.category() == ringmq::error_category()) {
    switch (static_cast<errc>(ec.value())) {
      case errc::invalid_state: return zmq_efsm;
      case errc::context_terminated: return zmq_eterm;
      case errc::unknown_option:
      case errc::wrong_option_type:
      case errc::invalid_option_value:
      case errc::invalid_endpoint: return EINVAL;
      case errc::unsupported_transport: return EPROTONOSUPPORT;
      case errc::incompatible_socket_type: return zmq_enocompatproto;
      case errc::endpoint_not_found: return ENOENT;
      case errc::not_supported: return ENOTSUP;
      case errc::socket_closed: return ENOTSOCK;
      case errc::no_io_thread: return zmq_emthread;
    }
    return EINVAL;
  }
  // generic_category and system_category hold errno values on Linux.
  return ec.value();
}

[[noreturn]] void raise_error(const std::error_code& ec, std::string_view what) {
  std::string message(what);
  if (!message.empty()) message += ": ";
  message += ec.message();
  raise_with(errno_of(ec), message);
}

[[noreturn]] void raise_errno(int errnum, std::string_view message) {
  raise_with(errnum, std::string(message));
}

[[noreturn]] void raise_again() { raise_with(EAGAIN, "Resource temporarily unavailable"); }

int int_argument(py::handle value, std::string_view name) {
  const py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(value.ptr()));
  if (!index) {
    PyErr_Clear();
    throw py::type_error(std::string(name) + " must be an int, not " +
                         py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
  }
  int overflow = 0;
  const long v = PyLong_AsLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0 || v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    PyErr_SetString(PyExc_OverflowError, (std::string(name) + " is too large for a C int").c_str());
    throw py::error_already_set();
  }
  return static_cast<int>(v);
}

void set_system_error(const std::system_error& e) {
  const int errnum = errno_of(e.code());
  const error_classes& c = classes();
  PyObject* cls = errnum == EAGAIN ? c.again : errnum == zmq_eterm ? c.context_terminated : c.zmq_error;
  py::tuple args = py::make_tuple(errnum, std::string(e.what()));
  PyErr_SetObject(cls, args.ptr());
}

deadline::deadline(std::int64_t timeout_ms)
    : forever(timeout_ms < 0),
      at(clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms)) {}

std::chrono::milliseconds deadline::next_slice() const {
  if (forever) return signal_slice;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(at - clock::now());
  if (left.count() <= 0) return std::chrono::milliseconds(-1);
  return std::min(left, signal_slice);
}

void bind_errors(py::module_& m) {
  // Exceptions the throwing C++ overloads raise (ringmq::error and other system_errors) turn
  // into ringmq.error classes; what() already names the operation.
  // Exceptions the throwing C++ overloads raise (ringmq::error and other system_errors) turn
  // into ringmq.error classes; what() already names the operation.
  // pybind11 takes a translator as void(*)(std::exception_ptr): the parameter's type is fixed.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const std::system_error& e) {
      set_system_error(e);
    }
  });
  m.def(
      "strerror",
      [](int errnum) -> std::string {
        switch (errnum) {
          case zmq_efsm: return "Operation cannot be accomplished in current state";
          case zmq_enocompatproto: return "The protocol is not compatible with the socket type";
          case zmq_eterm: return "Context was terminated";
          default: return std::generic_category().message(errnum);
        }
      },
      py::arg("errnum"), "The message for a libzmq errno (zmq_strerror).");
}

}  // namespace ringmq::python
