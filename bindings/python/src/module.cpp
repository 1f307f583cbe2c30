// The extension module ringmq._core. Only the public C++ API is used; the Pythonic surface
// (pyzmq's names, attributes as options, asyncio) lives in the ringmq package.
#include "common.hpp"
#include "release_queue.hpp"

PYBIND11_MODULE(_core, m) {
  using namespace ringmq::python;
  m.doc() = "ringmq's C++ API for the ringmq package (internal; import ringmq instead).";
  bind_errors(m);
  bind_release_queue(m);
  bind_frame(m);
  bind_context(m);
  bind_socket(m);
  bind_poll(m);
  bind_monitor(m);
  bind_security(m);
  bind_authenticator(m);
  bind_proxy(m);
}
