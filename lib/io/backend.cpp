// backend: which loop make_loop builds. io_uring when this process can start one, epoll
// otherwise; RINGMQ_IO_BACKEND=epoll|io_uring overrides the automatic choice (an explicit
// backend_choice argument overrides both). Whether io_uring can start is probed once per
// process, by building and destroying a small io_uring loop on a short-lived thread of its
// own: tearing a ring down leaves task work for the thread that created it, which shows up
// as EINTR in that thread's next blocking socket call with a timeout — an application
// thread that merely created a context must not see that.
#include "io/epoll_loop.hpp"
#include "io/io_loop.hpp"
#include "io/io_uring_loop.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

namespace ringmq::detail::io {

namespace {

bool io_uring_usable() {
  // A function-local static: initialised once, thread-safely, on first use.
  static const bool usable = [] {
    bool ok = false;
    std::thread([&ok] {
      try {
        uring_config small;
        small.sq_entries = 8;
        small.cq_entries = 16;
        small.buffer_count = 1;
        small.buffer_size = 64;
        make_io_uring_loop(small).reset();
        ok = true;
      } catch (const std::system_error&) {
        ok = false;
      }
    }).join();
    return ok;
  }();
  return usable;
}

// The backend RINGMQ_IO_BACKEND forces, or automatic. Throws on an unknown value: a typo
// must not silently select another backend.
backend_choice forced_backend() {
  // getenv races only with a concurrent setenv, which ringmq never calls; the application
  // must not change its environment while it creates contexts.
  const char* value = std::getenv("RINGMQ_IO_BACKEND");  // NOLINT(concurrency-mt-unsafe)
  if (value == nullptr) return backend_choice::automatic;
  const std::string_view v(value);
  if (v.empty() || v == "auto" || v == "automatic") return backend_choice::automatic;
  if (v == "epoll") return backend_choice::epoll;
  if (v == "io_uring" || v == "uring") return backend_choice::io_uring;
  throw std::system_error(
      EINVAL, std::generic_category(),
      "ringmq io: RINGMQ_IO_BACKEND must be 'epoll' or 'io_uring', not '" + std::string(v) + "'");
}

}  // namespace

backend_choice default_backend() {
  if (const backend_choice forced = forced_backend(); forced != backend_choice::automatic) return forced;
  return io_uring_usable() ? backend_choice::io_uring : backend_choice::epoll;
}

std::unique_ptr<io_loop> make_loop(backend_choice choice) {
  if (choice == backend_choice::automatic) choice = default_backend();
  // A forced io_uring that cannot start throws from here with the reason.
  if (choice == backend_choice::io_uring) return make_io_uring_loop();
  return make_epoll_loop();
}

}  // namespace ringmq::detail::io
