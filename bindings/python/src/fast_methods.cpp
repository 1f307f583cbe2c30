// The hot methods of _core.Socket (send, recv, send_multipart, recv_multipart) as plain
// METH_FASTCALL functions. pybind11's dispatcher costs a few hundred nanoseconds more per
// call with keyword arguments (recv(copy=False) is idiomatic pyzmq), which is most of a
// message's cost at Python speed; these parse their arguments directly and call the same
// socket_object members.
#include "objects.hpp"

#include <array>
#include <cerrno>
#include <span>
#include <string>

namespace ringmq::python {

namespace {

// Fills `out` (borrowed references; null when not given) from positional and keyword
// arguments matching `names`. Returns false with a TypeError set on a bad call.
bool parse(const char* fn, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames,
           std::span<const char* const> names, std::span<PyObject*> out) {
  const auto n = static_cast<std::size_t>(nargs);
  if (n > names.size()) {
    PyErr_Format(PyExc_TypeError, "%s() takes at most %zu arguments (%zd given)", fn, names.size(), nargs);
    return false;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = args[i];
  if (kwnames == nullptr) return true;
  const Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
  for (Py_ssize_t k = 0; k < nkw; ++k) {
    PyObject* key = PyTuple_GET_ITEM(kwnames, k);
    std::size_t i = 0;
    while (i < names.size() && PyUnicode_CompareWithASCIIString(key, names[i]) != 0) ++i;
    if (i == names.size()) {
      PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fn, key);
      return false;
    }
    if (out[i] != nullptr) {
      PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fn, names[i]);
      return false;
    }
    out[i] = args[nargs + k];
  }
  return true;
}

int int_arg(PyObject* obj, int fallback) {
  if (obj == nullptr) return fallback;
  const long v = PyLong_AsLong(obj);
  if (v == -1 && PyErr_Occurred() != nullptr) throw py::error_already_set();
  return static_cast<int>(v);
}

bool bool_arg(PyObject* obj, bool fallback) {
  if (obj == nullptr) return fallback;
  const int v = PyObject_IsTrue(obj);
  if (v < 0) throw py::error_already_set();
  return v != 0;
}

socket_object& self_of(PyObject* self) {
  auto* inst = reinterpret_cast<py::detail::instance*>(self);
  py::detail::value_and_holder vh = inst->get_value_and_holder();
  if (!vh.holder_constructed()) throw py::type_error("Socket.__init__() was not called");
  return *static_cast<socket_object*>(vh.value_ptr());
}

// Runs `body`, turning C++ exceptions into the Python error they stand for.
template <class Body>
PyObject* guarded(Body body) noexcept {
  try {
    return body().release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (py::builtin_exception& e) {
    e.set_error();
  } catch (const std::system_error& e) {
    set_system_error(e);
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  }
  return nullptr;
}

PyObject* fast_send(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static constexpr std::array<const char*, 5> names{"data", "flags", "copy", "track", "routing_id"};
  std::array<PyObject*, 5> a{};
  if (!parse("send", args, nargs, kwnames, names, a)) return nullptr;
  return guarded([&] {
    if (a[0] == nullptr) throw py::type_error("send() missing required argument 'data'");
    std::optional<std::uint32_t> routing_id;
    if (a[4] != nullptr && a[4] != Py_None) routing_id = py::handle(a[4]).cast<std::uint32_t>();
    return self_of(self).send(a[0], int_arg(a[1], 0), bool_arg(a[2], true), bool_arg(a[3], false),
                              routing_id);
  });
}

PyObject* fast_recv(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static constexpr std::array<const char*, 3> names{"flags", "copy", "track"};
  std::array<PyObject*, 3> a{};
  if (!parse("recv", args, nargs, kwnames, names, a)) return nullptr;
  return guarded([&] { return self_of(self).recv(int_arg(a[0], 0), bool_arg(a[1], true), false); });
}

PyObject* fast_send_multipart(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static constexpr std::array<const char*, 4> names{"msg_parts", "flags", "copy", "track"};
  std::array<PyObject*, 4> a{};
  if (!parse("send_multipart", args, nargs, kwnames, names, a)) return nullptr;
  return guarded([&] {
    if (a[0] == nullptr) throw py::type_error("send_multipart() missing required argument 'msg_parts'");
    return self_of(self).send_multipart(a[0], int_arg(a[1], 0), bool_arg(a[2], true), bool_arg(a[3], false));
  });
}

PyObject* fast_recv_multipart(PyObject* self, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  static constexpr std::array<const char*, 3> names{"flags", "copy", "track"};
  std::array<PyObject*, 3> a{};
  if (!parse("recv_multipart", args, nargs, kwnames, names, a)) return nullptr;
  return guarded([&] {
    return py::object(self_of(self).recv_multipart(int_arg(a[0], 0), bool_arg(a[1], true), false));
  });
}

template <class Fn>
PyCFunction as_cfunction(Fn fn) noexcept {
  // The C API stores every calling convention as PyCFunction; METH_FASTCALL tells it which.
  return reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(fn));
}

PyMethodDef fast_defs[] = {
    {"send", as_cfunction(&fast_send), METH_FASTCALL | METH_KEYWORDS,
     "send(data, flags=0, copy=True, track=False, routing_id=None)\n--\n\n"
     "Sends one part: bytes, a Frame, or any object with a contiguous buffer. flags: DONTWAIT, "
     "SNDMORE. routing_id: the CLIENT a SERVER sends to (else the Frame's). copy=False lends buffers of at "
     "least copy_threshold bytes instead of copying "
     "them; with track=True it returns a MessageTracker. Raises Again when it would block "
     "(DONTWAIT, or SNDTIMEO passed)."},
    {"recv", as_cfunction(&fast_recv), METH_FASTCALL | METH_KEYWORDS,
     "recv(flags=0, copy=True, track=False)\n--\n\n"
     "Receives one part: bytes, or a Frame with copy=False. Raises Again when it would block "
     "(DONTWAIT, or RCVTIMEO passed). Releases the GIL while waiting; Ctrl-C interrupts it."},
    {"send_multipart", as_cfunction(&fast_send_multipart), METH_FASTCALL | METH_KEYWORDS,
     "send_multipart(msg_parts, flags=0, copy=True, track=False)\n--\n\n"
     "Sends a sequence of parts as one message: all parts are delivered or none."},
    {"recv_multipart", as_cfunction(&fast_recv_multipart), METH_FASTCALL | METH_KEYWORDS,
     "recv_multipart(flags=0, copy=True, track=False)\n--\n\n"
     "Receives every part of the next message as a list."},
};

}  // namespace

void install_fast_methods(py::handle socket_class) {
  auto* type = reinterpret_cast<PyTypeObject*>(socket_class.ptr());
  for (PyMethodDef& def : fast_defs) {
    py::object descr = py::reinterpret_steal<py::object>(PyDescr_NewMethod(type, &def));
    if (!descr) throw py::error_already_set();
    socket_class.attr(def.ml_name) = descr;
  }
}

}  // namespace ringmq::python
