// Frames (pyzmq's zmq.Frame) and the conversion of Python objects into messages.
#pragma once

#include "common.hpp"

#include <cstddef>

namespace ringmq::python {

// pyzmq's COPY_THRESHOLD: with copy=False, smaller buffers are copied anyway, since lending a
// buffer costs more than copying a few kilobytes.
inline constexpr std::size_t default_copy_threshold = 65536;

// A zmq.Frame: one message part. Immutable once built; its buffer protocol is read-only
// because received bodies may be shared with other receivers (PUB fan-out over inproc).
struct frame_object {
  ringmq::message msg;
  py::object tracker = py::none();  // MessageTracker of a lent buffer sent with track=True
  py::object bytes_cache;           // the `bytes` property, built once
  // A weak reference to the memoryview the `buffer` property gave last, so that it answers the
  // same view while one is alive (pyzmq: m.buffer is m.buffer). Weak: the view refers to the
  // frame, and a strong cache would be a cycle this (not GC-tracked) type cannot break.
  py::object buffer_ref;
};

// A message for `data`: a Frame (its body is shared, not copied), bytes, or any object with a
// contiguous buffer. With copy=false and at least `copy_threshold` bytes the buffer is lent
// instead of copied (release_queue.hpp). With `track`, `tracker` receives a MessageTracker
// (already done when the data was copied). A str raises TypeError, as in pyzmq.
ringmq::message to_message(py::handle data, bool copy, std::size_t copy_threshold, bool track,
                           py::object* tracker);

// A new Frame owning `msg`.
py::object make_frame(ringmq::message&& msg);
// The bytes of `msg`, copied.
inline py::object to_bytes(const ringmq::message& msg) {
  PyObject* b =
      PyBytes_FromStringAndSize(static_cast<const char*>(msg.data()), static_cast<Py_ssize_t>(msg.size()));
  if (b == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(b);
}

}  // namespace ringmq::python
