// _core.Socket, messages: send and receive, single and multipart, blocking and not.
//
// Every call first tries without blocking, GIL held: that is the common case and costs no
// thread switch. Only when it would block does the call release the GIL and wait inside the
// library, in slices (socket_object::blocking) so that Ctrl-C is noticed within signal_slice.
#include "frame.hpp"
#include "nogil.hpp"
#include "objects.hpp"
#include "release_queue.hpp"

#include <cerrno>
#include <vector>

namespace ringmq::python {

namespace {

ringmq::send_flags send_flags_of(int flags) {
  return (flags & flag_sndmore) != 0 ? ringmq::send_flags::sndmore : ringmq::send_flags::none;
}

// The parts of a multipart message, converted up front so that a part that is not sendable
// raises TypeError before anything is sent (pyzmq does the same).
std::vector<ringmq::message> to_messages(py::handle parts, bool copy, std::size_t threshold, bool track,
                                         std::vector<py::object>& trackers) {
  std::vector<ringmq::message> msgs;
  if (PyUnicode_Check(parts.ptr()) || PyBytes_Check(parts.ptr()))
    throw py::type_error("send_multipart expects a sequence of parts, not a single buffer");
  for (py::handle part : parts) {
    py::object tracker;
    msgs.push_back(to_message(part, copy, threshold, track, &tracker));
    if (track && tracker && !tracker.is_none()) trackers.push_back(std::move(tracker));
  }
  if (msgs.empty()) throw py::index_error("send_multipart needs at least one part");
  return msgs;
}

py::object combined_tracker(std::vector<py::object>& trackers) {
  if (trackers.size() == 1) return trackers.front();
  py::tuple args(trackers.size());
  for (std::size_t i = 0; i < trackers.size(); ++i) args[i] = trackers[i];
  return py::module_::import("ringmq.tracker").attr("MessageTracker")(*args);
}

}  // namespace

socket_object::socket_object() : context(py::none()), copy_threshold(default_copy_threshold) {}

void socket_object::open(py::object ctx, py::handle type) {
  if (opened) raise_errno(EINVAL, "the socket is initialized already");
  context_object& c = context_of(ctx, "Socket");
  const int type_number = int_argument(type, "socket_type");
  opened = true;  // a failed open() leaves the socket closed for good
  auto made = std::make_shared<core>();
  made->sock = ringmq::socket(c.get(), static_cast<socket_type>(type_number));
  made->rcvtimeo = made->native_rcvtimeo = made->sock.get_int_option(option::rcvtimeo);
  made->sndtimeo = made->native_sndtimeo = made->sock.get_int_option(option::sndtimeo);
  core_ = std::move(made);
  context = std::move(ctx);
}

void socket_object::shadow(socket_object& other) {
  if (opened) raise_errno(EINVAL, "the socket is initialized already");
  other.open_socket();  // ENOTSOCK for a closed one
  opened = true;
  core_ = other.core_;
  context = other.context;
  copy_threshold = other.copy_threshold;
}

ringmq::socket& socket_object::open_socket() {
  if (closed()) raise_errno(ENOTSOCK, "Socket operation on non-socket (the socket is closed)");
  return core_->sock;
}

template <class Op>
bool socket_object::blocking(std::int64_t timeout_ms, std::int64_t& native, ringmq::option id,
                             const char* what, Op op) {
  const deadline until(timeout_ms);
  busy_guard guard(*this);
  std::error_code ec;
  for (;;) {
    const std::chrono::milliseconds slice = until.next_slice();
    if (slice.count() < 0) return false;
    if (native != slice.count()) {
      core_->sock.set_option(id, slice.count(), ec);
      if (ec) raise_error(ec, what);
      native = slice.count();
    }
    bool done = false;
    {
      const nogil released;
      done = op(ec);
    }
    if (done) return true;
    if (ec) raise_error(ec, what);
    check_signals();
  }
}

bool socket_object::send_message(ringmq::message& msg, int flags) {
  ringmq::socket& s = open_socket();
  const ringmq::send_flags base = send_flags_of(flags);
  std::error_code ec;
  if (s.send(std::move(msg), base | ringmq::send_flags::dontwait, ec)) return true;
  if (ec) raise_error(ec, "send");
  if ((flags & flag_dontwait) != 0 || core_->sndtimeo == 0) return false;
  // A message moved into send() is consumed only when the send succeeds: retry with it.
  return blocking(core_->sndtimeo, core_->native_sndtimeo, option::sndtimeo, "send",
                  // NOLINTNEXTLINE(bugprone-use-after-move): a refused send leaves msg with us
                  [&](std::error_code& e) { return s.send(std::move(msg), base, e).has_value(); });
}

bool socket_object::recv_message(ringmq::message& msg, int flags) {
  ringmq::socket& s = open_socket();
  std::error_code ec;
  if (s.recv(msg, ringmq::recv_flags::dontwait, ec)) return true;
  if (ec) raise_error(ec, "recv");
  if ((flags & flag_dontwait) != 0 || core_->rcvtimeo == 0) return false;
  return blocking(core_->rcvtimeo, core_->native_rcvtimeo, option::rcvtimeo, "recv",
                  [&](std::error_code& e) { return s.recv(msg, ringmq::recv_flags::none, e).has_value(); });
}

py::object socket_object::send(py::handle data, int flags, bool copy, bool track,
                               std::optional<std::uint32_t> routing_id) {
  py::object tracker = py::none();
  ringmq::message msg = to_message(data, copy, copy_threshold, track, &tracker);
  if (routing_id) {
    if (*routing_id == 0) raise_errno(EINVAL, "routing_id: 0 names no client");
    msg.set_routing_id(*routing_id);
  }
  if (!send_message(msg, flags)) raise_again();
  return tracker;
}

py::object socket_object::send_multipart(py::handle parts, int flags, bool copy, bool track) {
  std::vector<py::object> trackers;
  std::vector<ringmq::message> msgs = to_messages(parts, copy, copy_threshold, track, trackers);
  const int base = flags & ~flag_sndmore;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const int part_flags = i + 1 < msgs.size() ? base | flag_sndmore : base;
    // Only the first part can block: once it is accepted the rest always are.
    if (!send_message(msgs[i], part_flags)) raise_again();
  }
  return track ? combined_tracker(trackers) : py::none();
}

py::object socket_object::recv(int flags, bool copy, bool /*track*/) {
  ringmq::message msg;
  if (!recv_message(msg, flags)) raise_again();
  return copy ? to_bytes(msg) : make_frame(std::move(msg));
}

py::list socket_object::recv_multipart(int flags, bool copy, bool /*track*/) {
  py::list parts;
  ringmq::message msg;
  if (!recv_message(msg, flags)) raise_again();
  for (;;) {
    const bool more = msg.more();
    parts.append(copy ? to_bytes(msg) : make_frame(std::move(msg)));
    if (!more) return parts;
    msg = ringmq::message();
    // The remaining parts are already here (parts travel together); the flags still apply
    // so that a DONTWAIT call never blocks.
    if (!recv_message(msg, flags)) raise_again();
  }
}

py::object socket_object::try_send(py::handle data, int flags, bool copy, bool track) {
  py::object tracker = py::none();
  ringmq::message msg = to_message(data, copy, copy_threshold, track, &tracker);
  if (!send_message(msg, (flags & flag_sndmore) | flag_dontwait)) return py::none();
  return track ? tracker : py::bool_(true);
}

py::object socket_object::try_send_multipart(py::handle parts, bool copy, bool track) {
  std::vector<py::object> trackers;
  std::vector<ringmq::message> msgs = to_messages(parts, copy, copy_threshold, track, trackers);
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const int part_flags = i + 1 < msgs.size() ? flag_dontwait | flag_sndmore : flag_dontwait;
    if (!send_message(msgs[i], part_flags)) {
      if (i == 0) return py::none();
      raise_again();  // cannot happen: parts after the first are always accepted
    }
  }
  return track ? combined_tracker(trackers) : py::bool_(true);
}

py::object socket_object::try_recv(bool copy) {
  ringmq::message msg;
  if (!recv_message(msg, flag_dontwait)) return py::none();
  return copy ? to_bytes(msg) : make_frame(std::move(msg));
}

py::object socket_object::try_recv_multipart(bool copy) {
  ringmq::message msg;
  if (!recv_message(msg, flag_dontwait)) return py::none();
  py::list parts;
  for (;;) {
    const bool more = msg.more();
    parts.append(copy ? to_bytes(msg) : make_frame(std::move(msg)));
    if (!more) return parts;
    msg = ringmq::message();
    if (!recv_message(msg, 0)) raise_again();
  }
}

}  // namespace ringmq::python
