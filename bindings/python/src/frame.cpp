// zmq.Frame and the conversion of sendable Python objects into messages.
#include "frame.hpp"

#include "release_queue.hpp"

#include <string>

namespace ringmq::python {

namespace {

PyTypeObject* frame_type = nullptr;  // set by bind_frame; a fast isinstance check

// ringmq.tracker's classes, imported on first use and deliberately leaked (see errors.cpp).
struct tracker_classes {
  PyObject* tracker;   // MessageTracker
  PyObject* finished;  // _FINISHED_TRACKER
  PyObject* event;     // threading.Event
};

const tracker_classes& trackers() {
  static const tracker_classes c = [] {
    py::module_ mod = py::module_::import("ringmq.tracker");
    py::module_ threading = py::module_::import("threading");
    return tracker_classes{py::object(mod.attr("MessageTracker")).release().ptr(),
                           py::object(mod.attr("_FINISHED_TRACKER")).release().ptr(),
                           py::object(threading.attr("Event")).release().ptr()};
  }();
  return c;
}

py::object finished_tracker() { return py::reinterpret_borrow<py::object>(trackers().finished); }

// Lends the buffer in `view` to a new message. On success the loan owns the view.
ringmq::message lend(Py_buffer& view, bool track, py::object* tracker) {
  py::object event;
  if (track) {
    event = py::reinterpret_borrow<py::object>(trackers().event)();
    *tracker = py::reinterpret_borrow<py::object>(trackers().tracker)(event);
  }
  release_queue& q = release_queue::instance();
  buffer_loan* loan = nullptr;
  try {
    loan = q.lend(view, event ? event.ptr() : nullptr);
  } catch (...) {
    PyBuffer_Release(&view);
    throw;
  }
  // The library never writes into a body it sends: the const_cast only fits the constructor.
  return ringmq::message(loan->view.buf, static_cast<std::size_t>(loan->view.len),
                         &release_queue::return_loan, loan);
}

}  // namespace

ringmq::message to_message(py::handle data, bool copy, std::size_t copy_threshold, bool track,
                           py::object* tracker) {
  PyObject* obj = data.ptr();
  if (PyBytes_CheckExact(obj)) {
    const auto size = static_cast<std::size_t>(PyBytes_GET_SIZE(obj));
    if (copy || size < copy_threshold) {
      if (track) *tracker = finished_tracker();
      return ringmq::message(PyBytes_AS_STRING(obj), size);
    }
  } else if (frame_type != nullptr && PyObject_TypeCheck(obj, frame_type)) {
    auto& f = data.cast<frame_object&>();
    if (track && f.tracker.is_none()) throw py::value_error("Not a tracked message");
    // A tracked frame sent without copying answers its own tracker even without track=True,
    // as pyzmq's send does: the caller asked for no copy of a buffer it watches.
    if (track || !copy) *tracker = f.tracker;
    return f.msg;  // shares the body
  } else if (PyUnicode_Check(obj)) {
    throw py::type_error("unicode not allowed, use send_string");
  }
  Py_buffer view{};
  if (PyObject_GetBuffer(obj, &view, PyBUF_ANY_CONTIGUOUS) != 0) throw py::error_already_set();
  const auto size = static_cast<std::size_t>(view.len);
  if (copy || size < copy_threshold) {
    ringmq::message msg(view.buf, size);
    PyBuffer_Release(&view);
    if (track) *tracker = finished_tracker();
    return msg;
  }
  release_queue::instance().drain_if_pending();  // return earlier loans promptly
  return lend(view, track, tracker);
}

py::object make_frame(ringmq::message&& msg) {
  frame_object f;
  f.msg = std::move(msg);
  return py::cast(std::move(f));
}

void bind_frame(py::module_& m) {
  py::class_<frame_object> cls(m, "Frame", py::buffer_protocol(), R"doc(
A message part, for non-copying send and receive (pyzmq's zmq.Frame).

Frame(data=b'', track=False, copy=None, copy_threshold=COPY_THRESHOLD)

With copy=False (or copy=None and at least copy_threshold bytes) the frame refers to `data`'s
buffer instead of copying it; the buffer must then not be modified until the library is done
with it (see `tracker`). Frames returned by recv(copy=False) share the received body; their
buffer is read-only.)doc");
  cls.def(
         py::init([](const py::object& data, bool track, const py::object& copy, std::size_t copy_threshold) {
           frame_object f;
           const bool do_copy = !copy.is_none() && py::bool_(copy);  // any truthy value, as pyzmq
           py::object tracker = py::none();
           f.msg = to_message(data, do_copy, copy.is_none() ? copy_threshold : 0, track, &tracker);
           f.tracker = tracker;
           return f;
         }),
         py::arg("data") = py::bytes(), py::arg("track") = false, py::arg("copy") = py::none(),
         py::arg("copy_threshold") = default_copy_threshold)
      .def_buffer([](frame_object& f) {
        return py::buffer_info(f.msg.data(), 1, py::format_descriptor<unsigned char>::format(), 1,
                               {static_cast<py::ssize_t>(f.msg.size())}, {static_cast<py::ssize_t>(1)},
                               /*readonly=*/true);
      })
      .def_property_readonly(
          "bytes",
          [](frame_object& f) {
            if (!f.bytes_cache) f.bytes_cache = to_bytes(f.msg);
            return f.bytes_cache;
          },
          "The frame's content as bytes (copied once, then cached).")
      .def_property_readonly(
          "buffer",
          [](const py::object& self) -> py::object {
            auto& f = self.cast<frame_object&>();
            if (f.buffer_ref) {
              py::object alive = f.buffer_ref();
              if (!alive.is_none()) return alive;
            }
            py::memoryview view(self);
            f.buffer_ref = py::weakref(view);
            return view;
          },
          "A read-only memoryview of the frame (the same one while it is alive).")
      .def_property_readonly(
          "more", [](const frame_object& f) { return f.msg.more(); },
          "Whether more parts of this message follow.")
      .def_property(
          "routing_id", [](const frame_object& f) { return f.msg.routing_id(); },
          [](frame_object& f, std::uint32_t id) {
            if (id == 0) raise_errno(EINVAL, "routing_id: 0 names no client");
            f.msg.set_routing_id(id);
          },
          "rfc 41: the CLIENT a SERVER received this frame from, or is to send it to (0: none).")
      .def_property_readonly(
          "tracker", [](const frame_object& f) { return f.tracker; },
          "The MessageTracker of a frame created with track=True, else None.")
      .def("__len__", [](const frame_object& f) { return f.msg.size(); })
      .def("__bytes__", [](frame_object& f) { return to_bytes(f.msg); })
      .def("__str__",
           [](const frame_object& f) {
             return py::reinterpret_steal<py::str>(PyUnicode_DecodeUTF8(
                 static_cast<const char*>(f.msg.data()), static_cast<Py_ssize_t>(f.msg.size()), "replace"));
           })
      .def("__repr__",
           [](const frame_object& f) {
             return "<ringmq.Frame(" + std::to_string(f.msg.size()) + " bytes" +
                    (f.msg.more() ? ", more" : "") + ")>";
           })
      .def(
          "fast_copy",
          [](const frame_object& f) {
            frame_object copy;
            copy.msg = f.msg;  // shares the body
            copy.tracker = f.tracker;
            return copy;
          },
          "A new Frame sharing this frame's body.")
      .def("__copy__",
           [](const frame_object& f) {
             frame_object copy;
             copy.msg = f.msg;
             copy.tracker = f.tracker;
             return copy;
           })
      .def(
          "get",
          [](const frame_object& f, const py::object& option) -> py::object {
            if (py::isinstance<py::str>(option)) {
              const std::string name = option.cast<std::string>();
              const auto value = f.msg.property(name);
              if (!value) throw py::key_error(name);
              return py::str(value->data(), value->size());
            }
            switch (option.cast<int>()) {
              case 1: return py::int_(f.msg.more() ? 1 : 0);    // MORE
              case 3: return py::int_(f.msg.shared() ? 1 : 0);  // SHARED
              default: raise_errno(EINVAL, "unknown frame option");
            }
          },
          py::arg("option"),
          "A frame option (MORE, SHARED) or, given a str, a connection property of a received frame "
          "(\"Socket-Type\", \"Identity\", \"User-Id\", \"Peer-Address\").")
      .def("__getitem__",
           [](const py::object& self, const py::object& key) { return self.attr("get")(key); });
  frame_type = reinterpret_cast<PyTypeObject*>(cls.ptr());
  m.attr("Message") = cls;
  m.attr("COPY_THRESHOLD") = default_copy_threshold;
}

}  // namespace ringmq::python
