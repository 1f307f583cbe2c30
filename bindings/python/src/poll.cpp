// Polling sockets and file descriptors together (zmq_poll), interruptible by Ctrl-C.
#include "nogil.hpp"
#include "objects.hpp"

#include <memory>
#include <vector>

namespace ringmq::python {

std::size_t poll_sliced(std::span<ringmq::poll_item> items, std::int64_t timeout_ms) {
  std::size_t ready = ringmq::poll(items, std::chrono::milliseconds(0));
  if (ready != 0 || timeout_ms == 0) return ready;
  const deadline until(timeout_ms);
  for (;;) {
    const std::chrono::milliseconds slice = until.next_slice();
    if (slice.count() < 0) return 0;
    {
      const nogil released;
      ready = ringmq::poll(items, slice);
    }
    if (ready != 0) return ready;
    check_signals();
  }
}

namespace {

int fd_of(py::handle obj) {
  if (PyLong_Check(obj.ptr())) return obj.cast<int>();
  if (py::hasattr(obj, "fileno")) return obj.attr("fileno")().cast<int>();
  throw py::type_error("poll: expected a Socket, an int file descriptor or an object with fileno(), got " +
                       py::repr(obj).cast<std::string>());
}

// zmq_poll(items, timeout): `items` is a sequence of (socket or fd, flags); returns the
// (socket or fd, events) pairs that are ready, in the order given.
py::list poll(const py::sequence& items, const py::object& timeout) {
  std::int64_t timeout_ms = -1;
  if (!timeout.is_none()) timeout_ms = static_cast<std::int64_t>(timeout.cast<double>());
  if (timeout_ms < 0) timeout_ms = -1;

  const std::size_t n = items.size();
  std::vector<ringmq::poll_item> polled(n);
  std::vector<py::object> owners(n);
  std::vector<std::unique_ptr<busy_guard>> guards;
  for (std::size_t i = 0; i < n; ++i) {
    py::sequence pair = items[i].cast<py::sequence>();
    if (pair.size() != 2) throw py::value_error("poll: each item must be a (socket, flags) pair");
    owners[i] = pair[0];
    const int flags = pair[1].cast<int>();
    if (py::isinstance<socket_object>(owners[i])) {
      auto& s = owners[i].cast<socket_object&>();
      polled[i].sock = &s.open_socket();
      polled[i].interest = static_cast<ringmq::events>(flags & 3);
      guards.push_back(std::make_unique<busy_guard>(s));
    } else {
      polled[i].fd = fd_of(owners[i]);
      polled[i].interest = static_cast<ringmq::events>(flags & 7);
    }
  }
  py::list result;
  if (poll_sliced(polled, timeout_ms) == 0) return result;
  for (std::size_t i = 0; i < n; ++i) {
    const auto ready = static_cast<int>(polled[i].ready);
    if (ready != 0) result.append(py::make_tuple(owners[i], ready));
  }
  return result;
}

}  // namespace

void bind_poll(py::module_& m) {
  m.def("poll", &poll, py::arg("sockets"), py::arg("timeout") = -1,
        "zmq_poll: waits up to `timeout` ms (None or negative: forever) for any of the (socket or "
        "fd, flags) pairs; returns the ready (socket or fd, events) pairs.");
}

}  // namespace ringmq::python
