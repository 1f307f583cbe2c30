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

namespace ringmq {

namespace {

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
  }
  throw error(make_error_code(errc::unknown_option), "context option");
}

int context::get(context_option id) const {
  switch (id) {
    case context_option::io_threads: return impl_->io_threads();
    case context_option::ipv6: return impl_->socket_defaults().ipv6 ? 1 : 0;
    case context_option::busy_poll_us: return impl_->busy_poll_us();
    case context_option::interrupt_on_signal: return impl_->interrupt_on_signal() ? 1 : 0;
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
