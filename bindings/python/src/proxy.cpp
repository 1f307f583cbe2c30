// zmq.proxy and zmq.proxy_steerable over ringmq::proxy_steerable, with the GIL released.
//
// ringmq's proxy loop blocks inside the library until the context ends or a TERMINATE
// command arrives on its control socket; it has no way to notice a Python signal. So the
// loop runs on a thread of its own, always steered by a private control PAIR, and the
// calling thread waits (GIL released, in signal_slice slices) on the other end of that pair:
//   - Ctrl-C (any pending Python exception from a signal handler): the waiter sends TERMINATE,
//     joins the loop and raises the exception, as pyzmq's proxy raises on EINTR;
//   - the context terminated: the loop ends with context_terminated, raised as
//     ContextTerminated (pyzmq: ZMQError(ETERM));
//   - a caller's control socket (proxy_steerable): the waiter relays each message from it to
//     the private pair and each reply (STATISTICS) back, so the loop sees the caller's
//     commands unchanged and the caller sees its replies.
// The caller's sockets are used only by the loop thread while it runs (they are marked busy,
// so close() from another thread refuses), as ringmq::proxy requires.
#include "nogil.hpp"
#include "objects.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace ringmq::python {

namespace {

std::atomic<std::uint64_t> next_control_id{0};

socket_object* socket_argument(const py::object& obj, const char* who) {
  if (obj.is_none()) return nullptr;
  if (!py::isinstance<socket_object>(obj))
    throw py::type_error(std::string(who) + " must be a ringmq.Socket, not " +
                         py::str(py::type::handle_of(obj).attr("__name__")).cast<std::string>());
  return &obj.cast<socket_object&>();
}

// Moves one whole multipart message from `from` to `to` without blocking on `from`. Returns
// false if `from` had nothing.
bool relay(ringmq::socket& from, ringmq::socket& to, std::error_code& ec) {
  bool first = true;
  for (;;) {
    ringmq::message part;
    if (!from.recv(part, first ? recv_flags::dontwait : recv_flags::none, ec)) return false;
    first = false;
    const bool more = part.more();
    to.send(std::move(part), more ? send_flags::sndmore : send_flags::none, ec);
    if (ec || !more) return !ec;
  }
}

// As relay() from the private pair to the caller's control socket (`to`, may be null: the
// message is dropped), except that a single empty part -- the loop's wake-up -- is dropped.
bool relay_reply(ringmq::socket& from, ringmq::socket* to, std::error_code& ec) {
  bool first = true;
  for (;;) {
    ringmq::message part;
    if (!from.recv(part, first ? recv_flags::dontwait : recv_flags::none, ec)) return false;
    const bool more = part.more();
    if (first && !more && part.size() == 0) return true;
    first = false;
    if (to != nullptr) to->send(std::move(part), more ? send_flags::sndmore : send_flags::none, ec);
    if (ec || !more) return !ec;
  }
}

// What the loop thread shares with the waiter: the private control pair and the loop's end.
struct loop_state {
  loop_state(ringmq::context& ctx, const std::string& endpoint)
      : steer(ctx, socket_type::pair), steer_peer(ctx, socket_type::pair) {
    steer.bind(endpoint);
    steer_peer.connect(endpoint);
  }
  ringmq::socket steer;       // the loop's control socket (loop thread only)
  ringmq::socket steer_peer;  // the waiter's end
  std::error_code ec;         // how the loop ended; read after `done`
  std::atomic<bool> done{false};
};

void run_proxy(const py::object& frontend_obj, const py::object& backend_obj, const py::object& capture_obj,
               const py::object& control_obj) {
  socket_object* frontend = socket_argument(frontend_obj, "frontend");
  socket_object* backend = socket_argument(backend_obj, "backend");
  if (frontend == nullptr || backend == nullptr)
    throw py::type_error("proxy needs a frontend and a backend socket");
  socket_object* capture = socket_argument(capture_obj, "capture");
  socket_object* control = socket_argument(control_obj, "control");
  ringmq::socket* front = &frontend->open_socket();
  ringmq::socket* back = &backend->open_socket();
  ringmq::socket* cap = capture != nullptr ? &capture->open_socket() : nullptr;
  ringmq::socket* user_control = control != nullptr ? &control->open_socket() : nullptr;

  // The private control pair, in the frontend's context so that its end ends the waiter too.
  ringmq::context& ctx = context_of(frontend->context, "proxy").get();
  auto state = std::make_shared<loop_state>(
      ctx, "inproc://ringmq-python-proxy-control-" + std::to_string(next_control_id++));

  std::vector<std::unique_ptr<busy_guard>> guards;
  for (socket_object* s : {frontend, backend, capture, control})
    if (s != nullptr) guards.push_back(std::make_unique<busy_guard>(*s));

  std::thread loop([state, front, back, cap] {
    ringmq::proxy_steerable(*front, *back, cap, state->steer, state->ec);
    state->done.store(true, std::memory_order_release);
    // Wakes the waiter at once (it polls steer_peer): an empty single part, never a reply.
    std::error_code ignored;
    state->steer.send(ringmq::message(), send_flags::dontwait, ignored);
  });

  // The GIL is released and taken back by hand (the wait takes it for signal checks);
  // restore_gil parks this thread if the interpreter is exiting (nogil.hpp), and the loop
  // thread then runs on with everything it uses still in place.
  bool interrupted = false;
  std::error_code wait_ec;
  PyThreadState* saved = PyEval_SaveThread();
  ringmq::socket& peer = state->steer_peer;
  const auto stop_loop = [&] {
    if (!state->done.load(std::memory_order_acquire)) {
      std::error_code ignored;
      peer.send(ringmq::message(std::string_view("TERMINATE")), send_flags::dontwait, ignored);
    }
    loop.join();
  };
  try {
    std::vector<ringmq::poll_item> items{{&peer, -1, events::pollin}};
    if (user_control != nullptr) items.push_back({user_control, -1, events::pollin});
    while (!state->done.load(std::memory_order_acquire)) {
      try {
        ringmq::poll(items, signal_slice);
      } catch (const std::system_error& e) {
        wait_ec = e.code();  // the context ended: so does the loop
        break;
      }
      if (user_control != nullptr && any(items[1].ready & events::pollin)) {
        // One command per wake-up: a REP control must answer before it may read again.
        relay(*user_control, peer, wait_ec);
        if (wait_ec) break;
      }
      if (any(items[0].ready & events::pollin)) {
        // Replies of the loop (STATISTICS) go back to the caller's control socket; the
        // loop's wake-up (one empty part) is dropped.
        while (relay_reply(peer, user_control, wait_ec)) {
        }
        if (wait_ec) break;
      }
      restore_gil(saved);
      interrupted = PyErr_CheckSignals() != 0;  // the exception stays set, to be raised
      saved = PyEval_SaveThread();
      if (interrupted) break;
    }
  } catch (...) {  // out of memory, say: the loop must not outlive this frame
    stop_loop();
    restore_gil(saved);
    throw;
  }
  stop_loop();
  restore_gil(saved);
  guards.clear();
  if (interrupted) throw py::error_already_set();
  if (state->ec) raise_error(state->ec, "proxy");
  if (wait_ec) raise_error(wait_ec, "proxy");
}

}  // namespace

void bind_proxy(py::module_& m) {
  m.def(
      "proxy",
      [](const py::object& frontend, const py::object& backend, const py::object& capture) {
        run_proxy(frontend, backend, capture, py::none());
      },
      py::arg("frontend"), py::arg("backend"), py::arg("capture") = py::none(),
      "zmq_proxy: moves messages both ways until the context is terminated (ContextTerminated) "
      "or Ctrl-C (KeyboardInterrupt); the GIL is released meanwhile.");
  m.def("proxy_steerable", &run_proxy, py::arg("frontend"), py::arg("backend"),
        py::arg("capture") = py::none(), py::arg("control") = py::none(),
        "zmq_proxy_steerable: proxy() steered by PAUSE/RESUME/TERMINATE/STATISTICS commands on "
        "`control`; returns after TERMINATE.");
}

}  // namespace ringmq::python
