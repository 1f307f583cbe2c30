#include "core/socket_base.hpp"

#include "core/clock.hpp"
#include "core/endpoint.hpp"
#include "core/message_access.hpp"
#include "core/send_pacing.hpp"
#include "core/socket_type_table.hpp"
#include "core/status.hpp"

#include <ringmq/error.hpp>

#include <algorithm>

namespace ringmq::detail {

socket_base::socket_base(context_impl& ctx, socket_type type, pattern_factory make_pattern)
    : ctx_(ctx), options_(ctx.socket_defaults()), inbox_(std::make_shared<mailbox>()) {
  options_.type = type;
  if (row_of(type).thread_safe) call_lock_ = std::make_unique<detail::call_lock>();
  ctx_.register_socket(inbox_);  // first: throws when MAX_SOCKETS sockets are open
  try {
    pattern_ = make_pattern(*this);
  } catch (...) {
    ctx_.unregister_socket(inbox_.get());
    throw;
  }
  ctx_.add_ref();
}

socket_base::~socket_base() {
  give_back_borrowed();
  // Connections first: each gets a delimiter after what we already flushed, so the other
  // end (a socket, or a session that lingers) still receives it.
  for (auto& p : peers_) {
    p->end.get().set_cookie(p->end.side(), nullptr);
    p->end.close(options_.linger);
  }
  peers_.clear();
  // Stop listening and dialing. Connections still in their handshake will offer themselves
  // to the closed mailbox, which closes them.
  endpoints_.clear();
  monitor_hub_->detach();  // the monitor ends with monitor_stopped
  inbox_->close();
  pattern_.reset();
  ctx_.unregister_socket(inbox_.get());
  ctx_.release();
}

std::chrono::nanoseconds socket_base::spin() const noexcept {
  // A blocking call spins briefly before it sleeps: an inproc peer typically answers within
  // a microsecond, while a futex wake-up costs several (8 us on a 2-core VM: docs/threads.md).
  // BUSY_POLL extends the spin.
  constexpr std::chrono::microseconds default_spin{5};
  return std::max<std::chrono::nanoseconds>(default_spin, std::chrono::microseconds(ctx_.busy_poll_us()));
}

// ---- commands ---------------------------------------------------------------------------

void socket_base::process_commands() {
  if (!inbox_->pending()) return;
  inbox_->take(batch_);
  for (auto& cmd : batch_) handle(cmd);
  batch_.clear();
  if (call_lock_) call_lock_->changed(*inbox_);
}

peer* socket_base::peer_of(const command& cmd) const noexcept {
  return static_cast<peer*>(cmd.target->cookie(cmd.side));
}

void socket_base::handle(command& cmd) {
  switch (cmd.what) {
    case command::kind::wake: break;
    case command::kind::activate_read:
      if (peer* p = peer_of(cmd)) {
        if (pattern_->reads_peers())
          pattern_->read_activated(*p);
        else
          drain_peer(*p);
      }
      break;
    case command::kind::activate_write:
      if (peer* p = peer_of(cmd)) pattern_->write_activated(*p);
      break;
    case command::kind::attach: {
      link_end end(std::move(cmd.target), cmd.side);
      // A connection made by an endpoint that was unbound or disconnected meanwhile is
      // refused: its peers were closed already.
      const bool live = std::any_of(endpoints_.begin(), endpoints_.end(),
                                    [&](const endpoint_record& r) { return r.handle.get() == cmd.origin; });
      if (live)
        attach(std::move(end), cmd.origin);
      else
        end.close();
      break;
    }
    case command::kind::call:
      if (cmd.fn) cmd.fn();
      break;
  }
}

// ---- peers ------------------------------------------------------------------------------

void socket_base::attach(link_end end, const void* origin) {
  auto owned = std::make_unique<peer>();
  peer& p = *owned;
  p.end = std::move(end);
  p.origin = origin;
  if (connect_alias_ != nullptr) {
    p.alias = *connect_alias_;  // attached from inside connect()
  } else {
    for (const auto& r : endpoints_)
      if (r.handle.get() == origin) p.alias = r.alias;
  }
  link& l = p.end.get();
  l.set_cookie(p.end.side(), &p);
  l.set_listener(p.end.side(), inbox_);
  p.socket_slot = peers_.size();
  peers_.push_back(std::move(owned));
  if (!pattern_->attach(p)) {
    remove_peer(p, false);
    return;
  }
  // Inbound data that arrived before we listened is picked up now.
  if (!pattern_->reads_peers()) drain_peer(p);
}

void socket_base::drain_peer(peer& p) {
  message frame;
  for (;;) {
    switch (p.end.read(frame)) {
      case link_end::read_status::ok:
        frame.reset();  // this socket type ignores inbound messages
        break;
      case link_end::read_status::empty: return;
      case link_end::read_status::closed: remove_peer(p, true); return;
    }
  }
}

void socket_base::peer_closed(peer& p) { remove_peer(p, true); }

void socket_base::drop_peer(peer& p, monitor_event event, std::int64_t value) {
  // Raised before the connection goes: DISCONNECTED, from the I/O thread, comes after.
  std::string_view endpoint;
  for (const auto& r : endpoints_)
    if (r.handle.get() == p.origin) endpoint = r.resolved;
  const peer_info* who = p.end.peer();
  const std::string_view address = who != nullptr ? std::string_view(who->address) : std::string_view();
  monitor_hub_->emit(event, value, endpoint, address);
  remove_peer(p, true, std::chrono::milliseconds(0));  // it misbehaved: it gets nothing more
}

void socket_base::remove_peer(peer& p, bool detach_from_pattern,
                              std::optional<std::chrono::milliseconds> linger) {
  if (detach_from_pattern) pattern_->detach(p);
  p.end.get().set_cookie(p.end.side(), nullptr);
  p.end.close(linger.value_or(options_.linger));
  const std::size_t slot = p.socket_slot;
  if (slot != peers_.size() - 1) {
    std::swap(peers_[slot], peers_.back());
    peers_[slot]->socket_slot = slot;
  }
  peers_.pop_back();  // destroys p
}

void socket_base::close_peers_from(const void* origin) {
  for (std::size_t i = peers_.size(); i-- > 0;)
    if (peers_[i]->origin == origin) remove_peer(*peers_[i], true);
}

// ---- endpoints --------------------------------------------------------------------------

std::error_code socket_base::add_endpoint(std::string_view endpoint, bool bind) {
  if (ctx_.terminated()) return make_error_code(errc::context_terminated);
  const auto parts = split_endpoint(endpoint);
  if (!parts) return make_error_code(errc::invalid_endpoint);
  transport* t = ctx_.find_transport(parts->scheme);
  if (t == nullptr) return make_error_code(errc::unsupported_transport);
  std::error_code ec;
  // CONNECT_ROUTING_ID names the peer of the next connect only.
  const std::string alias = bind ? std::string() : std::exchange(options_.connect_routing_id, {});
  connect_alias_ = &alias;
  auto handle = bind ? t->bind(*this, parts->address, ec) : t->connect(*this, parts->address, ec);
  connect_alias_ = nullptr;
  if (ec) return ec;
  std::string resolved = handle->resolved();
  last_endpoint_ = resolved;
  endpoints_.push_back({std::string(endpoint), std::move(resolved), bind, std::move(handle), alias});
  return {};
}

std::error_code socket_base::remove_endpoint(std::string_view endpoint, bool bound) {
  if (ctx_.terminated()) return make_error_code(errc::context_terminated);
  if (!split_endpoint(endpoint)) return make_error_code(errc::invalid_endpoint);
  // libzmq ends every bind or connect made with that endpoint, not only the first.
  bool found = false;
  for (std::size_t i = endpoints_.size(); i-- > 0;) {
    const endpoint_record& r = endpoints_[i];
    if (r.bound != bound || (r.given != endpoint && r.resolved != endpoint)) continue;
    // Peers first: a dialer told to stop then finds its link closed, with our LINGER on it.
    close_peers_from(r.handle.get());
    endpoints_.erase(endpoints_.begin() + static_cast<std::ptrdiff_t>(i));  // stops the listener or dialer
    found = true;
  }
  return found ? std::error_code{} : make_error_code(errc::endpoint_not_found);
}

std::error_code socket_base::bind(std::string_view endpoint) { return add_endpoint(endpoint, true); }
std::error_code socket_base::connect(std::string_view endpoint) { return add_endpoint(endpoint, false); }
std::error_code socket_base::unbind(std::string_view endpoint) { return remove_endpoint(endpoint, true); }
std::error_code socket_base::disconnect(std::string_view endpoint) {
  return remove_endpoint(endpoint, false);
}

// ---- messages ---------------------------------------------------------------------------

void socket_base::after_io() noexcept {
  // Keep the pollable descriptor level-triggered on "a message can be received".
  if (fd_requested_) inbox_->update_fd(pattern_->can_recv());
}

std::error_code socket_base::send(message& msg, send_flags flags) {
  if (ctx_.terminated()) return make_error_code(errc::context_terminated);
  process_commands();
  const bool more = any(flags & send_flags::sndmore);
  send_pacing::note_sent();
  std::error_code ec = pattern_->send(msg, more);
  if (!is_would_block(ec) || any(flags & send_flags::dontwait) || options_.sndtimeo.count() == 0) {
    after_io();
    return ec;
  }
  const auto deadline = deadline_after(options_.sndtimeo);
  give_back_borrowed();
  for (;;) {
    const mailbox::wake woke = wait_for_change(deadline);
    process_commands();
    if (ctx_.terminated()) return make_error_code(errc::context_terminated);
    ec = pattern_->send(msg, more);
    if (is_would_block(ec) && woke == mailbox::wake::signal)
      ec = std::make_error_code(std::errc::interrupted);
    if (!is_would_block(ec) || woke != mailbox::wake::work) {
      after_io();
      return ec;
    }
  }
}

std::error_code socket_base::recv(message& msg, recv_flags flags) {
  if (ctx_.terminated()) return make_error_code(errc::context_terminated);
  process_commands();
  const bool may_block = !any(flags & recv_flags::dontwait) && options_.rcvtimeo.count() != 0;
  // A blocked caller would spin in the mailbox anyway: it spins on the pipe first, so a
  // streaming writer is not asked for a wake-up each time this reader catches up with it.
  // A thread that sent since it last received awaits an answer and looks often; one that
  // only consumes looks about every microsecond (64 pauses of ~19 ns here), which on the
  // 2-core test machine took inproc 8 B streams from 6 M to 17 M msg/s for +0.5 us on a
  // consumer's wake-up.
  // (Not while this thread reads the connection itself: nobody else fills the pipe.)
  if (may_block && !(borrowed_ && borrowed_->lent()) && !call_lock_)
    patience_ = {std::chrono::microseconds(2), send_pacing::awaiting_answer() ? 1U : 64U};
  std::error_code ec = pattern_->recv(msg);
  // Whether the message (its first part) was not there yet when asked for.
  if (!rcvmore_) message_waited_ = false;
  message_waited_ = message_waited_ || is_would_block(ec);
  if (is_would_block(ec) && !may_block && borrowed_ &&
      borrowed_->read() == direct_source::read_result::progress) {
    // This thread holds its connection's read side: a non-blocking recv reads it too.
    process_commands();
    ec = pattern_->recv(msg);
  }
  if (is_would_block(ec) && may_block) {
    const auto deadline = deadline_after(options_.rcvtimeo);
    for (;;) {
      const mailbox::wake woke = wait_for_input(deadline);
      process_commands();
      if (ctx_.terminated()) return make_error_code(errc::context_terminated);
      ec = pattern_->recv(msg);
      if (is_would_block(ec) && woke == mailbox::wake::signal)
        ec = std::make_error_code(std::errc::interrupted);
      if (!is_would_block(ec) || woke != mailbox::wake::work) break;
    }
  }
  patience_ = {};
  if (!ec && conflate_ && !rcvmore_ && !msg.more()) keep_newest(msg);
  if (!ec) {
    rcvmore_ = msg.more();
    send_pacing::note_received(message_waited_);
  }
  after_io();
  return ec;
}

mailbox::wake socket_base::wait_for_input(std::optional<time_point> deadline) {
  const bool stop_on_signal = ctx_.interrupt_on_signal();
  direct_source* source = direct_candidate();
  if (source == nullptr) {
    give_back_borrowed();
    return wait_for_change(deadline);
  }
  if (source->lent()) return wait_reading(*source, deadline);
  source->ask();  // the I/O thread posts a wake-up once it is lent
  return inbox_->wait(deadline, spin(), stop_on_signal);
}

void socket_base::keep_newest(message& msg) {
  message newer;
  while (!pattern_->recv(newer)) {
    msg = std::move(newer);
    if (msg.more()) return;  // a multipart message is delivered whole, never conflated
  }
}

mailbox::wake socket_base::wait_for_change(std::optional<time_point> deadline) {
  const auto watch = [&] { return inbox_->wait(deadline, spin(), ctx_.interrupt_on_signal()); };
  if (!call_lock_) return watch();
  return call_lock_->wait(deadline, watch);
}

mailbox::wake socket_base::wait_reading(direct_source& source, std::optional<time_point> deadline) {
  // The spin (BUSY_POLL, or the short default) reads the socket without sleeping; then
  // the kernel wakes this thread itself, on data or on a command.
  source.enter_wait();
  const auto spin_end = steady_clock::now() + spin();
  mailbox::wake woke = mailbox::wake::work;
  for (;;) {
    if (source.read() != direct_source::read_result::empty || inbox_->pending()) break;
    if (steady_clock::now() < spin_end) continue;
    woke = inbox_->wait_readable(source.fd(), deadline, ctx_.interrupt_on_signal());
    if (woke != mailbox::wake::work) break;
  }
  source.leave_wait();
  return woke;
}

direct_source* socket_base::direct_candidate() {
  // Not for a socket whose descriptor is polled (pollers and event loops wait on the
  // mailbox), nor for one that receives subscriptions (XPUB; PUB never waits in recv),
  // whose reads steer its sends, nor for a thread-safe one (its readers take turns).
  if (fd_requested_ || call_lock_ || peers_.size() != 1 || row_of(options_.type).receives_subscriptions)
    return nullptr;
  const std::shared_ptr<direct_source>& source = peers_.front()->end.get().direct();
  if (!source || !inbox_->can_wait_readable()) return nullptr;
  if (borrowed_ != source) {
    give_back_borrowed();
    borrowed_ = source;
  }
  return source.get();
}

void socket_base::give_back_borrowed() noexcept {
  if (borrowed_) std::exchange(borrowed_, nullptr)->give_back();
}

ringmq::events socket_base::poll_events() {
  process_commands();
  give_back_borrowed();
  ringmq::events ready = events::none;
  const bool in = pattern_->can_recv();
  if (in) ready |= events::pollin;
  if (pattern_->can_send()) ready |= events::pollout;
  if (fd_requested_) inbox_->update_fd(in);
  return ready;
}

void socket_base::fd_changes_only() noexcept {
  const call_scope held(call_lock_.get());  // called by poll(), outside any socket call
  if (fd_requested_) inbox_->update_fd(false);
}

int socket_base::fd() {
  if (fd_requested_) return inbox_->fd();
  fd_requested_ = true;
  give_back_borrowed();
  const int fd = inbox_->fd();
  inbox_->update_fd(pattern_->can_recv());  // messages may be waiting already
  return fd;
}

// ---- options ----------------------------------------------------------------------------

std::error_code socket_base::set_option(option id, std::int64_t value) {
  if (id == option::conflate) {
    const auto conflation = row_of(options_.type).conflate;
    if (value != 0 && conflation == socket_type_row::conflation::refused)
      return make_error_code(errc::not_supported);  // no outbound conflation (libzmq has it)
    std::error_code ec = options_.set(id, value);
    if (!ec) conflate_ = options_.conflate && conflation == socket_type_row::conflation::inbound;
    return ec;
  }
  std::error_code ec = options_.set(id, value);
  if (ec == errc::unknown_option) return pattern_->set_option(id, value);
  return ec;
}

std::error_code socket_base::set_option(option id, std::string_view value) {
  std::error_code ec = options_.set(id, value);
  if (ec == errc::unknown_option) return pattern_->set_option(id, value);
  return ec;
}

std::error_code socket_base::get_option(option id, std::int64_t& value) {
  switch (id) {
    case option::rcvmore: value = rcvmore_; return {};
    case option::events: value = static_cast<int>(poll_events()); return {};
    case option::fd: value = fd(); return {};
    case option::thread_safe: value = call_lock_ != nullptr; return {};
    default: break;
  }
  std::error_code ec = options_.get(id, value);
  if (ec == errc::unknown_option) return pattern_->get_option(id, value);
  return ec;
}

std::error_code socket_base::get_option(option id, std::string& value) const {
  if (id == option::last_endpoint) {
    value = last_endpoint_;
    return {};
  }
  std::error_code ec = options_.get(id, value);
  if (ec == errc::unknown_option) return pattern_->get_option(id, value);
  return ec;
}

}  // namespace ringmq::detail
