// _core.Monitor: a socket's connection events (ringmq::monitor) as dicts, with a
// level-triggered fd for event loops.
#include "nogil.hpp"
#include "objects.hpp"

namespace ringmq::python {

namespace {

struct monitor_object {
  ringmq::monitor mon;
};

py::object to_dict(const ringmq::socket_event& e) {
  py::dict d;
  d["event"] = static_cast<std::uint32_t>(e.type);
  d["value"] = e.value;
  d["endpoint"] = py::bytes(e.endpoint);
  d["peer_address"] = e.peer_address;
  d["dropped_before"] = e.dropped_before;
  return d;
}

// The next event as a dict, waiting up to `timeout_ms` (negative: forever); None on timeout
// and once the monitor is stopped and drained.
py::object next_event(monitor_object& self, std::int64_t timeout_ms) {
  if (auto e = self.mon.next(std::chrono::milliseconds(0))) return to_dict(*e);
  if (timeout_ms == 0) return py::none();
  const deadline until(timeout_ms);
  for (;;) {
    const std::chrono::milliseconds slice = until.next_slice();
    if (slice.count() < 0) return py::none();
    std::optional<ringmq::socket_event> e;
    {
      const nogil released;
      e = self.mon.next(slice);
    }
    if (e) return to_dict(*e);
    check_signals();
  }
}

}  // namespace

py::object make_monitor(ringmq::monitor&& m) {
  monitor_object obj;
  obj.mon = std::move(m);
  return py::cast(std::move(obj));
}

void bind_monitor(py::module_& m) {
  py::class_<monitor_object>(m, "Monitor",
                             "Connection events of one socket; use Socket.get_monitor_socket().")
      .def("next", &next_event, py::arg("timeout") = -1,
           "The next event as a dict (event, value, endpoint, peer_address, dropped_before), "
           "waiting up to `timeout` ms (negative: forever); None on timeout or after stop().")
      .def_property_readonly(
          "fd", [](const monitor_object& self) { return self.mon.fd(); },
          "Readable while events are queued (level-triggered).")
      .def_property_readonly(
          "dropped", [](const monitor_object& self) { return self.mon.dropped(); },
          "Events lost so far because the queue was full.")
      .def(
          "stop", [](monitor_object& self) { self.mon.stop(); },
          "Stops delivery; a MONITOR_STOPPED event ends the stream.");
}

}  // namespace ringmq::python
