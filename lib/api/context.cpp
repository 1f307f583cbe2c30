// ringmq::context: creates the context_impl with every transport registered.
#include "api/socket_access.hpp"
#include "api/throw_on_error.hpp"
#include "io/io_loop.hpp"
#include "security/curve_keys.hpp"
#include "transport/inproc/inproc_transport.hpp"
#include "transport/ipc/ipc_transport.hpp"
#include "transport/stream/io_pool.hpp"
#include "transport/tcp/tcp_transport.hpp"

#include <ringmq/context.hpp>

#include <cstdlib>
#include <string>

namespace ringmq {

namespace {

// libzmq's SOCKET_LIMIT on Linux (its epoll poller has no descriptor limit of its own).
constexpr int socket_limit = 65535;

void register_transports(detail::context_impl& impl) {
  impl.add_transport(detail::make_inproc_transport());
  impl.add_transport(detail::make_tcp_transport());
  impl.add_transport(detail::make_ipc_transport());
}

}  // namespace

context::context() : context(1) {}

context::context(int io_threads) : impl_(new detail::context_impl) {
  // CURVE key options accept Z85 text from now on (core cannot decode it itself).
  security::install_curve_key_decoder();
  try {
    impl_->set_io_threads(io_threads);
    register_transports(*impl_);
  } catch (...) {
    impl_->release();
    throw;
  }
}

context::~context() {
  impl_->shutdown();
  impl_->drain();
  impl_->release();
}

void context::set(context_option id, int value) {
  switch (id) {
    case context_option::io_threads: impl_->set_io_threads(value); return;
    case context_option::ipv6:
      detail::throw_on_error(impl_->set_socket_default(option::ipv6, value), "context ipv6");
      return;
    case context_option::busy_poll_us: impl_->set_busy_poll_us(value); return;
    case context_option::interrupt_on_signal:
      if (value != 0 && value != 1)
        throw error(make_error_code(errc::invalid_option_value), "context interrupt_on_signal");
      impl_->set_interrupt_on_signal(value != 0);
      return;
    case context_option::max_sockets: impl_->set_max_sockets(value); return;
    case context_option::socket_limit:
      throw error(make_error_code(errc::invalid_option_value), "context socket_limit is read-only");
    case context_option::thread_sched_policy: impl_->set_thread_sched_policy(value); return;
    case context_option::thread_priority: impl_->set_thread_priority(value); return;
    case context_option::thread_affinity_cpu_add: impl_->add_thread_affinity_cpu(value); return;
    case context_option::thread_affinity_cpu_remove: impl_->remove_thread_affinity_cpu(value); return;
    case context_option::thread_name_prefix: impl_->set_thread_name_prefix(std::to_string(value)); return;
    case context_option::max_msgsz: impl_->set_max_msgsz(value); return;
    case context_option::zero_copy_recv:
      if (value < 0) throw error(make_error_code(errc::invalid_option_value), "context zero_copy_recv");
      impl_->set_zero_copy_recv(value != 0);
      return;
  }
  throw error(make_error_code(errc::unknown_option), "context option");
}

void context::set(context_option id, std::string_view value) {
  if (id != context_option::thread_name_prefix)
    throw error(make_error_code(errc::wrong_option_type), "context option takes an integer");
  impl_->set_thread_name_prefix(value);
}

int context::get(context_option id) const {
  switch (id) {
    case context_option::io_threads: return impl_->io_threads();
    case context_option::ipv6: return impl_->socket_defaults().ipv6 ? 1 : 0;
    case context_option::busy_poll_us: return impl_->busy_poll_us();
    case context_option::interrupt_on_signal: return impl_->interrupt_on_signal() ? 1 : 0;
    case context_option::max_sockets: return impl_->max_sockets();
    case context_option::socket_limit: return socket_limit;
    case context_option::thread_sched_policy: return impl_->thread_options().sched_policy;
    case context_option::thread_priority: return impl_->thread_options().priority;
    case context_option::thread_affinity_cpu_add:
    case context_option::thread_affinity_cpu_remove:
      throw error(make_error_code(errc::invalid_option_value), "context thread affinity is write-only");
    case context_option::thread_name_prefix: {
      // As libzmq: the prefix read as a decimal integer (0 when it is none).
      const std::string prefix = impl_->thread_options().name_prefix;
      return static_cast<int>(std::strtol(prefix.c_str(), nullptr, 10));
    }
    case context_option::max_msgsz: return impl_->max_msgsz();
    case context_option::zero_copy_recv: return impl_->zero_copy_recv() ? 1 : 0;
  }
  throw error(make_error_code(errc::unknown_option), "context option");
}

void context::set_socket_default(option id, std::int64_t value) {
  detail::throw_on_error(impl_->set_socket_default(id, value), "context socket default");
}

void context::set_socket_default(option id, std::string_view value) {
  detail::throw_on_error(impl_->set_socket_default(id, value), "context socket default");
}

void context::shutdown() noexcept { impl_->shutdown(); }

std::string context::io_backend() const { return std::string(detail::io_pool::of(*impl_).backend()); }

}  // namespace ringmq
