// _core.Context: a ringmq::context. Context options use libzmq's numbers (IO_THREADS = 1,
// MAX_SOCKETS = 2, ... ZERO_COPY_RECV = 10, IPV6 = 42) plus ringmq's BUSY_POLL
// (context_option::busy_poll_us).
#include "nogil.hpp"
#include "objects.hpp"

#include <cerrno>
#include <vector>

namespace ringmq::python {

namespace {

// libzmq's ZMQ_SOCKET_LIMIT and ZMQ_THREAD_PRIORITY are both 3: set() means the priority and
// get() the limit, as zmq_ctx_set/zmq_ctx_get do.
std::optional<context_option> context_option_of(int option, bool setting) {
  switch (option) {
    case 1: return context_option::io_threads;
    case 2: return context_option::max_sockets;
    case 3: return setting ? context_option::thread_priority : context_option::socket_limit;
    case 4: return context_option::thread_sched_policy;
    case 5: return context_option::max_msgsz;
    case 7: return context_option::thread_affinity_cpu_add;
    case 8: return context_option::thread_affinity_cpu_remove;
    case 9: return context_option::thread_name_prefix;
    case 10: return context_option::zero_copy_recv;
    case 42: return context_option::ipv6;
    case 1000: return context_option::busy_poll_us;
    default: return std::nullopt;
  }
}

}  // namespace

void context_object::open(py::handle io_threads) {
  if (opened) raise_errno(EINVAL, "the context is initialized already");
  opened = true;  // a failed open() leaves the object closed for good, like a terminated one
  auto made = std::make_shared<shared>();
  made->ctx = std::make_unique<ringmq::context>(int_argument(io_threads, "io_threads"));
  core = std::move(made);
}

void context_object::shadow_of(context_object& other) {
  if (opened) raise_errno(EINVAL, "the context is initialized already");
  other.get();  // ENOTSUP for a terminated one
  opened = true;
  shadow = true;
  core = other.core;
}

ringmq::context& context_object::get() {
  if (closed()) raise_errno(ENOTSUP, opened ? "context was terminated" : "context was not initialized");
  return *core->ctx;
}

context_object& context_of(py::handle context, const char* who) {
  if (!py::isinstance<context_object>(context))
    throw py::type_error(std::string(who) + " needs a ringmq.Context, not " +
                         py::str(py::type::handle_of(context).attr("__name__")).cast<std::string>());
  return context.cast<context_object&>();
}

void context_object::term() {
  if (closed()) return;
  core->ctx->shutdown();
  // Authenticators end first: their handler sockets and threads live in this context.
  const std::vector<context_dependent*> deps(core->dependents.begin(), core->dependents.end());
  core->dependents.clear();
  for (context_dependent* d : deps) d->stop_before_term();
  std::unique_ptr<ringmq::context> doomed = std::move(core->ctx);
  if (Py_IsInitialized() != 0 && PyGILState_Check() != 0) {
    const nogil released;  // the destructor waits for lingering messages
    doomed.reset();
  } else {
    doomed.reset();
  }
}

void bind_context(py::module_& m) {
  py::class_<context_object>(m, "Context", "The low-level context; use ringmq.Context.")
      .def(py::init<>(), "A closed context (cannot fail); _open() makes it usable.")
      .def("_open", &context_object::open, py::arg("io_threads") = 1)
      .def("term", &context_object::term,
           "Terminates the context: blocking calls on its sockets raise ContextTerminated, later "
           "calls on them too; waits (each socket bounded by its LINGER) for queued messages. "
           "Unlike libzmq it does not wait for open sockets to be closed.")
      .def(
          "shutdown", [](context_object& self) { self.get().shutdown(); },
          "Makes blocking calls on this context's sockets raise ContextTerminated, without "
          "waiting for anything.")
      .def_property_readonly("closed", &context_object::closed)
      .def("_shadow", &context_object::shadow_of, py::arg("other"),
           "Makes this unopened context a shadow of `other` (pyzmq's Context.shadow).")
      .def_property_readonly("underlying", &context_object::underlying,
                             "The address of the context, equal for a context and its shadows.")
      .def(
          "set",
          [](context_object& self, int option, int value) {
            const auto id = context_option_of(option, true);
            if (!id) raise_errno(EINVAL, "unknown context option " + std::to_string(option));
            self.get().set(*id, value);
          },
          py::arg("option"), py::arg("optval"))
      .def(
          "get",
          [](context_object& self, int option) {
            const auto id = context_option_of(option, false);
            if (!id) raise_errno(EINVAL, "unknown context option " + std::to_string(option));
            return self.get().get(*id);
          },
          py::arg("option"))
      .def(
          "io_backend", [](context_object& self) { return self.get().io_backend(); },
          "\"io_uring\" or \"epoll\": the I/O backend of this context's I/O threads.");
}

}  // namespace ringmq::python
