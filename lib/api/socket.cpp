// ringmq::socket: argument checking and error reporting over socket_base.
#include "api/socket_access.hpp"
#include "api/throw_on_error.hpp"
#include "core/invariant.hpp"
#include "core/status.hpp"
#include "pattern/registry.hpp"

#include <ringmq/socket.hpp>

#include <algorithm>
#include <cstring>
#include <thread>

namespace ringmq {

namespace {

using detail::socket_base;
using detail::throw_on_error;

using detail::is_would_block;

// A thread-safe socket (CLIENT, SERVER) is locked for the call. On the others, debug
// builds abort when two threads are inside calls at the same time (such sockets are not
// thread-safe, as in libzmq). Nested calls from one thread are fine.
class usage_guard {
 public:
#ifdef NDEBUG
  explicit usage_guard(socket_base* s) : held_(s->call_lock()) {}

 private:
  detail::call_scope held_;
#else
  explicit usage_guard(socket_base* s) : s_(s), held_(s->call_lock()) {
    if (s->call_lock() != nullptr) return;
    const std::thread::id me = std::this_thread::get_id();
    std::thread::id expected{};
    const bool entered = s->active_thread.compare_exchange_strong(expected, me, std::memory_order_acquire);
    RINGMQ_INVARIANT(entered || expected == me, "socket used from two threads at once");
    nested_ = expected == me;
    checked_ = true;
  }
  ~usage_guard() {
    if (checked_ && !nested_) s_->active_thread.store(std::thread::id{}, std::memory_order_release);
  }

 private:
  socket_base* s_;
  detail::call_scope held_;
  bool nested_ = false;
  bool checked_ = false;
#endif
};

}  // namespace

// Every member below checks that the socket is open, then enters the guard.
#define RINGMQ_ENTER(what)                                                       \
  if (impl_ == nullptr) throw error(make_error_code(errc::socket_closed), what); \
  usage_guard guard_(impl_)
#define RINGMQ_ENTER_EC(ec_out, result)              \
  if (impl_ == nullptr) {                            \
    (ec_out) = make_error_code(errc::socket_closed); \
    return result;                                   \
  }                                                  \
  usage_guard guard_(impl_)

socket::socket(context& ctx, socket_type type) {
  detail::context_impl* c = detail::socket_access::impl(ctx);
  if (c->terminated()) throw error(make_error_code(errc::context_terminated), "socket");
  const detail::pattern_factory make = detail::find_pattern(type);
  if (make == nullptr)
    throw error(make_error_code(errc::invalid_option_value), "socket: unknown socket type");
  impl_ = new socket_base(*c, type, make);
}

socket& socket::operator=(socket&& other) noexcept {
  if (this != &other) {
    close();
    impl_ = other.impl_;
    other.impl_ = nullptr;
  }
  return *this;
}

void socket::close() noexcept {
  delete impl_;
  impl_ = nullptr;
}

socket_type socket::type() const {
  RINGMQ_ENTER("type");
  return impl_->type();
}

// ---- endpoints ----------------------------------------------------------------------------

void socket::bind(std::string_view endpoint, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->bind(endpoint);
}
void socket::connect(std::string_view endpoint, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->connect(endpoint);
}
void socket::unbind(std::string_view endpoint, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->unbind(endpoint);
}
void socket::disconnect(std::string_view endpoint, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->disconnect(endpoint);
}

void socket::bind(std::string_view endpoint) {
  std::error_code ec;
  bind(endpoint, ec);
  throw_on_error(ec, "bind", endpoint);
}
void socket::connect(std::string_view endpoint) {
  std::error_code ec;
  connect(endpoint, ec);
  throw_on_error(ec, "connect", endpoint);
}
void socket::unbind(std::string_view endpoint) {
  std::error_code ec;
  unbind(endpoint, ec);
  throw_on_error(ec, "unbind", endpoint);
}
void socket::disconnect(std::string_view endpoint) {
  std::error_code ec;
  disconnect(endpoint, ec);
  throw_on_error(ec, "disconnect", endpoint);
}

std::string socket::last_endpoint() const {
  RINGMQ_ENTER("last_endpoint");
  return impl_->last_endpoint();
}

// ---- messages ----------------------------------------------------------------------------

bool socket::send_or_block(message& msg, send_flags flags, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, false);
  ec = impl_->send(msg, flags);
  if (!ec) return true;
  if (is_would_block(ec)) ec.clear();
  return false;
}

bool socket::send_or_block(message& msg, send_flags flags) {
  // The hot path: no error_code is built when nothing fails.
  if (impl_ == nullptr) throw error(make_error_code(errc::socket_closed), "send");
  usage_guard guard_(impl_);
  const std::error_code ec = impl_->send(msg, flags);
  if (!ec) [[likely]]
    return true;
  if (is_would_block(ec)) return false;
  throw error(ec, "send");
}

bool socket::recv_or_block(message& msg, recv_flags flags, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, false);
  ec = impl_->recv(msg, flags);
  if (!ec) return true;
  if (is_would_block(ec)) ec.clear();
  return false;
}

bool socket::recv_or_block(message& msg, recv_flags flags) {
  if (impl_ == nullptr) throw error(make_error_code(errc::socket_closed), "recv");
  usage_guard guard_(impl_);
  const std::error_code ec = impl_->recv(msg, flags);
  if (!ec) [[likely]]
    return true;
  if (is_would_block(ec)) return false;
  throw error(ec, "recv");
}

std::optional<recv_buffer_size> socket::recv(std::span<std::byte> buffer, recv_flags flags) {
  message msg;
  if (!recv(msg, flags)) return std::nullopt;
  const std::size_t n = std::min(buffer.size(), msg.size());
  if (n != 0) std::memcpy(buffer.data(), msg.data(), n);
  return recv_buffer_size{n, msg.size()};
}

// ---- options ----------------------------------------------------------------------------

void socket::set_option(option id, std::int64_t value, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->set_option(id, value);
}
void socket::set_option(option id, std::string_view value, std::error_code& ec) noexcept {
  RINGMQ_ENTER_EC(ec, );
  ec = impl_->set_option(id, value);
}

namespace {
std::string option_name(option id) {
  if (auto info = find_option(id)) return std::string(info->name);
  return std::to_string(static_cast<int>(id));
}
}  // namespace

void socket::set_option(option id, std::int64_t value) {
  std::error_code ec;
  set_option(id, value, ec);
  throw_on_error(ec, "set option", option_name(id));
}
void socket::set_option(option id, std::string_view value) {
  std::error_code ec;
  set_option(id, value, ec);
  throw_on_error(ec, "set option", option_name(id));
}

std::int64_t socket::get_int_option(option id) const {
  RINGMQ_ENTER("get option");
  std::int64_t value = 0;
  throw_on_error(impl_->get_option(id, value), "get option", option_name(id));
  return value;
}

std::string socket::get_bytes_option(option id) const {
  RINGMQ_ENTER("get option");
  std::string value;
  throw_on_error(impl_->get_option(id, value), "get option", option_name(id));
  return value;
}

ringmq::events socket::events() {
  RINGMQ_ENTER("events");
  return impl_->poll_events();
}

int socket::fd() const {
  RINGMQ_ENTER("fd");
  return impl_->fd();
}

}  // namespace ringmq
