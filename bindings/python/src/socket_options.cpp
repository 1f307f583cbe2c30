// _core.Socket, everything but messages: options, endpoints, poll, close, monitor; and the
// Python class definition.
#include "frame.hpp"
#include "objects.hpp"

#include <cerrno>
#include <optional>
#include <span>
#include <string>

namespace ringmq::python {

namespace {

bool is_curve_key(ringmq::option id) {
  return id == option::curve_publickey || id == option::curve_secretkey || id == option::curve_serverkey;
}

// Integer options libzmq 4.3 has and ringmq does not implement (pgm multicast, Windows'
// loopback fast path, fd reuse), with libzmq's default: a read answers
// that default, which is how a ringmq socket behaves (pyzmq programs and its suite read every
// option); setting one stays EINVAL. IPV4ONLY (31) is answered as !IPV6 in get().
std::optional<std::int64_t> libzmq_default(int option) {
  switch (option) {
    case 94:  // LOOPBACK_FASTPATH (Windows only)
      return 0;
    case 25:  // MULTICAST_HOPS
    case 96:  // MULTICAST_LOOP
      return 1;
    case 8: return 100;    // RATE (pgm), kbit/s
    case 9: return 10000;  // RECOVERY_IVL (pgm), ms
    case 84: return 1500;  // MULTICAST_MAXTPDU
    case 89: return -1;    // USE_FD: none
    default: return std::nullopt;
  }
}
constexpr int ipv4only_option = 31;

ringmq::option_info known_option(int option) {
  const auto info = find_option(static_cast<ringmq::option>(option));
  if (!info) raise_errno(EINVAL, "unknown socket option " + std::to_string(option));
  return *info;
}

std::string option_context(const char* what, const ringmq::option_info& info) {
  return std::string(what) + " " + std::string(info.name);
}

// libzmq answers EINVAL for an option the socket type does not take (SUBSCRIBE on a PUB),
// where ringmq says errc::not_supported; pyzmq programs test for EINVAL.
[[noreturn]] void raise_option_error(const std::error_code& ec, const std::string& what) {
  if (ec == ringmq::errc::not_supported) raise_errno(EINVAL, what + ": " + ec.message());
  raise_error(ec, what);
}

}  // namespace

py::object socket_object::get(int option) {
  ringmq::socket& s = open_socket();
  if (!find_option(static_cast<ringmq::option>(option))) {
    if (option == ipv4only_option) return py::int_(s.get_int_option(option::ipv6) == 0 ? 1 : 0);
    if (const auto value = libzmq_default(option)) return py::int_(*value);
  }
  const ringmq::option_info info = known_option(option);
  if (info.id == option::rcvtimeo) return py::int_(core_->rcvtimeo);
  if (info.id == option::sndtimeo) return py::int_(core_->sndtimeo);
  try {
    if (info.kind == option_kind::bytes) {
      std::string value = s.get_bytes_option(info.id);
      // Keys read back as Z85 text (40 characters), like zmq_getsockopt with a 41-byte buffer.
      if (is_curve_key(info.id) && value.size() == 32) {
        if (auto text = z85_encode(std::as_bytes(std::span(value)))) value = std::move(*text);
      }
      return py::bytes(value);
    }
    return py::int_(s.get_int_option(info.id));
  } catch (const ringmq::error& e) {
    raise_option_error(e.code(), option_context("getsockopt", info));
  }
}

void socket_object::set(int option, py::handle value) {
  ringmq::socket& s = open_socket();
  // An option number ringmq does not know passes through as an int, as pyzmq passes it to
  // libzmq (EINVAL); any other value type is pyzmq's TypeError.
  if (!find_option(static_cast<ringmq::option>(option)) && !PyLong_Check(value.ptr()))
    throw py::type_error("unknown socket option " + std::to_string(option) + " takes an int, not " +
                         py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>());
  const ringmq::option_info info = known_option(option);
  std::error_code ec;
  if (info.kind == option_kind::bytes) {
    if (PyUnicode_Check(value.ptr())) throw py::type_error("unicode not allowed, use setsockopt_string");
    Py_buffer view{};
    if (PyObject_GetBuffer(value.ptr(), &view, PyBUF_ANY_CONTIGUOUS) != 0) throw py::error_already_set();
    s.set_option(info.id,
                 std::string_view(static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len)),
                 ec);
    PyBuffer_Release(&view);
  } else {
    if (!PyLong_Check(value.ptr()))
      throw py::type_error("expected int, got: " + py::repr(value).cast<std::string>());
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow != 0) raise_errno(EINVAL, option_context("setsockopt", info) + ": value out of range");
    s.set_option(info.id, static_cast<std::int64_t>(v), ec);
    if (!ec && info.id == option::rcvtimeo) core_->rcvtimeo = core_->native_rcvtimeo = v;
    if (!ec && info.id == option::sndtimeo) core_->sndtimeo = core_->native_sndtimeo = v;
  }
  if (ec) raise_option_error(ec, option_context("setsockopt", info));
}

int socket_object::poll(const py::object& timeout, int flags) {
  ringmq::socket& s = open_socket();
  std::int64_t timeout_ms = -1;
  if (!timeout.is_none()) timeout_ms = static_cast<std::int64_t>(timeout.cast<double>());
  ringmq::poll_item item;
  item.sock = &s;
  item.interest = static_cast<ringmq::events>(flags & 3);
  busy_guard guard(*this);
  return poll_sliced(std::span(&item, 1), timeout_ms) == 0 ? 0 : static_cast<int>(item.ready & item.interest);
}

bool socket_object::poll_out_only() {
  ringmq::poll_item item;
  item.sock = &open_socket();
  item.interest = ringmq::events::pollout;
  return ringmq::poll(std::span(&item, 1), std::chrono::milliseconds(0)) != 0;
}

void socket_object::close(const py::object& linger) {
  if (closed()) return;
  if (busy().load(std::memory_order_acquire) != 0)
    raise_errno(EBUSY, "close: another thread is blocked in a call on this socket");
  if (!linger.is_none()) set(static_cast<int>(option::linger), linger);
  // Queued messages linger in the background; only tcp/ipc binds are waited for (their
  // I/O thread closes the listening socket, normally within one hand-off, at most 10 s).
  core_->sock.close();
}

void bind_socket(py::module_& m) {
  using endpoint_fn = void (ringmq::socket::*)(std::string_view, std::error_code&) noexcept;
  auto endpoint_op = [](endpoint_fn fn, const char* what) {
    return [fn, what](socket_object& self, const std::string& addr) {
      std::error_code ec;
      (self.open_socket().*fn)(addr, ec);
      if (ec) raise_error(ec, std::string(what) + " " + addr);
    };
  };

  py::class_<socket_object> cls(m, "Socket", "The low-level socket; use ringmq.Socket.");
  cls.def(py::init<>(), "A closed socket (cannot fail); _open() makes it usable.")
      .def("_open", &socket_object::open, py::arg("context"), py::arg("socket_type"))
      // messages (socket.cpp); send, recv, send_multipart, recv_multipart: fast_methods.cpp
      .def("_try_send", &socket_object::try_send, py::arg("data"), py::arg("flags") = 0,
           py::arg("copy") = true, py::arg("track") = false)
      .def("_try_send_multipart", &socket_object::try_send_multipart, py::arg("msg_parts"),
           py::arg("copy") = true, py::arg("track") = false)
      .def("_try_recv", &socket_object::try_recv, py::arg("copy") = true)
      .def("_try_recv_multipart", &socket_object::try_recv_multipart, py::arg("copy") = true)
      // endpoints
      .def("bind", endpoint_op(&ringmq::socket::bind, "bind"), py::arg("addr"))
      .def("connect", endpoint_op(&ringmq::socket::connect, "connect"), py::arg("addr"))
      .def("unbind", endpoint_op(&ringmq::socket::unbind, "unbind"), py::arg("addr"))
      .def("disconnect", endpoint_op(&ringmq::socket::disconnect, "disconnect"), py::arg("addr"))
      // options
      .def("get", &socket_object::get, py::arg("option"))
      .def("set", &socket_object::set, py::arg("option"), py::arg("optval"))
      .def("poll", &socket_object::poll, py::arg("timeout") = py::none(), py::arg("flags") = 1)
      .def("_poll_out_only", &socket_object::poll_out_only)
      .def("close", &socket_object::close, py::arg("linger") = py::none())
      .def_property_readonly("closed", &socket_object::closed)
      .def("_shadow", &socket_object::shadow, py::arg("other"),
           "Makes this unopened socket a shadow of `other` (pyzmq's Socket.shadow).")
      .def_property_readonly("underlying", &socket_object::underlying,
                             "The address of the socket, equal for a socket and its shadows.")
      .def_property_readonly("context", [](const socket_object& self) { return self.context; })
      .def_readwrite("copy_threshold", &socket_object::copy_threshold)
      .def(
          "_monitor",
          [](socket_object& self, std::uint32_t events, std::size_t capacity) {
            return make_monitor(self.open_socket().monitor(static_cast<monitor_event>(events), capacity));
          },
          py::arg("events") = 0xffff, py::arg("capacity") = 1024);
  install_fast_methods(cls);
}

}  // namespace ringmq::python
