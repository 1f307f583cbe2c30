// _core.Authenticator: ringmq::authenticator, the built-in ZAP handler with pyzmq's
// zmq.auth policy. ringmq.auth.ThreadAuthenticator wraps it with pyzmq's interface.
//
// The CURVE callback is the one place where a library thread takes the GIL: it runs on the
// authenticator's own thread (never an I/O thread), which waits for nothing but ZAP requests.
// Stopping releases the GIL while joining that thread, so a callback waiting for the GIL can
// finish; callbacks are refused once the interpreter is finalizing.
#include "objects.hpp"

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace ringmq::python {

namespace {

bool interpreter_finalizing() noexcept {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

class authenticator_object final : public context_dependent {
 public:
  explicit authenticator_object(py::object context) : context_(std::move(context)) {
    context_object& c = context_of(context_, "Authenticator");
    auth_ = std::make_unique<ringmq::authenticator>(c.get());
    c.core->dependents.insert(this);  // get() above: core is set
  }
  authenticator_object(const authenticator_object&) = delete;
  authenticator_object& operator=(const authenticator_object&) = delete;
  ~authenticator_object() {
    stop_before_term();
    // callbacks_ (Python objects) go after the thread that could call them has ended.
  }

  void stop() {
    if (!auth_) return;
    if (const auto& core = context_.cast<context_object&>().core) core->dependents.erase(this);
    std::unique_ptr<ringmq::authenticator> doomed = std::move(auth_);
    if (PyGILState_Check() != 0) {
      py::gil_scoped_release nogil;
      doomed.reset();  // joins the handler thread, which may be waiting for the GIL
    } else {
      doomed.reset();
    }
  }

  void stop_before_term() noexcept override {
    try {
      stop();
    } catch (...) {  // a Python error while looking up the context: the thread is gone anyway
      PyErr_Clear();
    }
  }

  ringmq::authenticator& get() {
    if (!auth_) raise_errno(ENOTSUP, "authenticator is stopped");
    return *auth_;
  }

  void configure_curve_callback(const std::string& domain, py::object callback) {
    // The std::function holds a borrowed pointer only; callbacks_ holds the reference, so
    // that no Python reference is ever dropped on the authenticator's thread.
    PyObject* fn = callback.ptr();
    callbacks_.push_back(std::move(callback));
    get().configure_curve_callback(domain, [fn](std::string_view dom, std::string_view key) {
      if (interpreter_finalizing()) return false;
      py::gil_scoped_acquire gil;
      try {
        py::object ok = py::reinterpret_borrow<py::object>(fn)(py::str(dom.data(), dom.size()),
                                                               py::bytes(key.data(), key.size()));
        return PyObject_IsTrue(ok.ptr()) == 1;
      } catch (py::error_already_set& e) {
        e.discard_as_unraisable("ringmq authenticator CURVE callback");
        return false;
      }
    });
  }

  // pyzmq's curve_user_id: `map(raw 32-byte key) -> str` names the User-Id of an accepted
  // CURVE client. Like the CURVE callback it runs on the authenticator's thread with the GIL;
  // a Python error refuses the client (reported as unraisable).
  void set_curve_user_id(py::object map) {
    PyObject* fn = map.ptr();
    callbacks_.push_back(std::move(map));
    get().set_curve_user_id([fn](std::string_view z85) -> std::string {
      if (interpreter_finalizing()) throw std::runtime_error("interpreter finalizing");
      const auto raw = ringmq::z85_decode(z85);
      if (!raw) throw std::runtime_error("malformed key");
      py::gil_scoped_acquire gil;
      try {
        py::object id = py::reinterpret_borrow<py::object>(fn)(
            py::bytes(reinterpret_cast<const char*>(raw->data()), raw->size()));
        return py::str(id).cast<std::string>();
      } catch (py::error_already_set& e) {
        e.discard_as_unraisable("ringmq authenticator curve_user_id");
        throw std::runtime_error("curve_user_id raised");
      }
    });
  }

  py::object context_;
  std::vector<py::object> callbacks_;
  std::unique_ptr<ringmq::authenticator> auth_;  // declared last: destroyed first
};

}  // namespace

void bind_authenticator(py::module_& m) {
  py::class_<authenticator_object>(m, "Authenticator",
                                   "The built-in ZAP handler; use ringmq.auth.ThreadAuthenticator.")
      .def(py::init<py::object>(), py::arg("context"))
      .def("stop", &authenticator_object::stop)
      .def_property_readonly("running",
                             [](const authenticator_object& self) { return self.auth_ != nullptr; })
      .def(
          "allow", [](authenticator_object& self, const std::string& address) { self.get().allow(address); },
          py::arg("address"))
      .def(
          "deny", [](authenticator_object& self, const std::string& address) { self.get().deny(address); },
          py::arg("address"))
      .def(
          "configure_plain",
          [](authenticator_object& self, const std::string& domain,
             std::map<std::string, std::string> passwords) {
            self.get().configure_plain(domain, std::move(passwords));
          },
          py::arg("domain"), py::arg("passwords"))
      .def(
          "configure_curve",
          [](authenticator_object& self, const std::string& domain, const std::filesystem::path& location) {
            self.get().configure_curve(domain, location);
          },
          py::arg("domain"), py::arg("location"))
      .def(
          "allow_curve_keys",
          [](authenticator_object& self, const std::string& domain, const std::vector<std::string>& keys) {
            self.get().allow_curve_keys(domain, keys);
          },
          py::arg("domain"), py::arg("public_keys"))
      .def("configure_curve_callback", &authenticator_object::configure_curve_callback, py::arg("domain"),
           py::arg("callback"))
      .def("set_curve_user_id", &authenticator_object::set_curve_user_id, py::arg("map"))
      .def("stats", [](authenticator_object& self) {
        const auto s = self.get().stats();
        return py::make_tuple(s.requests, s.accepted);
      });
}

}  // namespace ringmq::python
