#include "transport/stream/stream_session.hpp"

#include "core/command.hpp"
#include "core/message_access.hpp"
#include "core/send_pacing.hpp"
#include "core/socket_type_table.hpp"
#include "transport/stream/mechanism_factory.hpp"
#include "transport/stream/stream_socket.hpp"
#include "transport/stream/zap_client.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/raw_connection.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ringmq::detail {

namespace {

using std::chrono::milliseconds;

// How often a lent read side is looked at: taken back when the socket's thread did not
// wait on it since the previous look (it is busy elsewhere, and what arrives meanwhile is
// left in the kernel: disconnects and PINGs would go unnoticed).
constexpr milliseconds borrower_check_interval{10};

// A direct read receives the rest of a body in progress straight into its message when at
// least this much of it is missing, with body_read_tail octets of buffer behind it (for
// the next frame's header and the start of its body). Smaller remainders are cheaper to
// copy than the read they would take.
constexpr std::size_t direct_body_min = std::size_t{32} * 1024;
constexpr std::size_t body_read_tail = std::size_t{8} * 1024;

// A socket that streams (the I/O thread took at least stream_run messages since its pipe
// last slept) and ran dry writes its next message within microseconds. Rather than have
// its pipe sleep (its next flush would then wake this thread: a syscall for the writer,
// a context switch here, per batch), the session leaves the pipe awake and the loop watches
// it up to stream_linger. On this 2-core VM, tcp 8 B throughput went from 9.3 to 15 M msg/s.
constexpr std::uint32_t stream_run = 16;
constexpr auto stream_linger = std::chrono::microseconds(5);

zmtp::connection_config connection_config_for(const socket_options& o, std::string peer_address) {
  zmtp::connection_config c;
  c.type = o.type;
  c.routing_id = o.routing_id;
  c.max_message_size = o.maxmsgsize;
  c.heartbeat.interval = o.heartbeat_ivl;
  c.heartbeat.timeout = o.heartbeat_timeout;
  c.heartbeat.ttl = o.heartbeat_ttl;
  c.handshake_timeout = o.handshake_ivl;
  c.peer_address = std::move(peer_address);
  return c;
}

monitor_event handshake_failure_event(const zmtp::error_info& e) {
  switch (e.kind) {
    case zmtp::error_kind::protocol: return monitor_event::handshake_failed_protocol;
    case zmtp::error_kind::auth: return monitor_event::handshake_failed_auth;
    case zmtp::error_kind::no_detail: break;
  }
  return monitor_event::handshake_failed_no_detail;
}

}  // namespace

stream_session::stream_session(const session_config& config) : config_(config), loop_(config.thread->loop()) {
  config_.pool->adopt(*config_.thread, this);
}

stream_session::~stream_session() = default;

void stream_session::accept(const session_config& config, int fd) {
  auto* s = new stream_session(config);
  s->gate_ = std::make_shared<session_gate>(s->loop_);
  s->gate_->set_session(s);
  s->lease_ = std::make_shared<read_lease>(s->loop_);
  s->lease_->set_session(s);
  s->start_connection(fd, peer_name(fd));
}

void stream_session::dial(const session_config& config, std::shared_ptr<const dial_target> target,
                          std::shared_ptr<link> l, std::shared_ptr<session_gate> gate,
                          std::shared_ptr<read_lease> lease, std::shared_ptr<dial_control> control) {
  auto* s = new stream_session(config);
  s->control_ = std::move(control);
  s->control_->session = s;
  s->dialer_ = std::make_unique<dialer>(
      s->loop_, s->config_.options, config.events, config.endpoint, std::move(target),
      [s](int fd, std::string peer) { s->start_connection(fd, std::move(peer)); });
  s->gate_ = gate ? std::move(gate) : std::make_shared<session_gate>(s->loop_);
  s->lease_ = lease ? std::move(lease) : std::make_shared<read_lease>(s->loop_);
  if (l) s->link_ = link_end(std::move(l), 1);
  s->gate_->set_session(s);
  s->lease_->set_session(s);
  s->dialer_->dial();
}

// ---- connections ------------------------------------------------------------------------

void stream_session::start_connection(int fd, std::string peer_address) {
  fd_ = fd;
  peer_address_ = std::move(peer_address);
  error_.reset();
  handshake_done_ = false;
  recv_paused_ = false;
  write_shut_ = false;
  input_held_ = false;
  lending_ = false;
  borrower_end_.reset();
  conn_ = make_protocol();
  // Frames of a message cut by the previous connection's end are not sent half.
  drop_rest_ = pipe_mid_message_;
  gate_->acquire_io();
  conn_->start(out_, std::chrono::steady_clock::now());
  stream_ = loop_.add_stream(fd, *this);
  stream_open_ = true;
  start_send();
  release_gate();
  // A protocol without a handshake (raw) is up already: the socket heard of it inside
  // start(), and the pump opens its traffic.
  if (delivered_) {
    delivered_ = false;
    link_.flush();
  }
  reschedule_timer();
  if (conn_->handshake_complete()) request_pump();  // last: the pump may end the connection
}

std::unique_ptr<zmtp::wire_protocol> stream_session::make_protocol() {
  const std::string address = address_without_scheme(peer_address_);
  auto& sink = static_cast<zmtp::connection_sink&>(*this);
  if (row_of(config_.options.type).raw_wire)
    return std::make_unique<zmtp::raw_connection>(
        zmtp::raw_config{.notify = config_.options.stream_notify, .peer_address = address}, sink);
  return std::make_unique<zmtp::connection>(connection_config_for(config_.options, address),
                                            make_mechanism(config_.options), sink);
}

void stream_session::end_connection(std::optional<zmtp::error_info> error, bool gate_held) {
  if (!conn_ || closing_connection_) return;
  closing_connection_ = true;
  take_read_side_back();
  if (zap_) std::exchange(zap_, nullptr)->cancel();
  if (error) {
    if (!handshake_done_)
      config_.events->emit(handshake_failure_event(*error), error->code, config_.endpoint, peer_address_);
    // rfc 23: a peer that refused us with ERROR is not asked again with the same credentials.
    if (error->from_peer && error->kind == zmtp::error_kind::auth) auth_refused_ = true;
  }
  // Held until the stream is closed: no application thread writes to a closing descriptor.
  if (!gate_held) gate_->acquire_io();
  traffic_open_ = false;
  // A last ERROR command (refused authentication) goes out if the kernel takes it now.
  if (!send_in_flight_ && conn_->has_pending_output()) {
    conn_->flush_pending(out_);
    write_now(fd_, out_);
  }
  if (timer_ != 0) loop_.cancel_timer(std::exchange(timer_, 0));
  stream_open_ = false;
  loop_.close_stream(stream_, [this] { after_connection_closed(); });
}

void stream_session::after_connection_closed() {
  const int closed_fd = std::exchange(fd_, -1);
  send_in_flight_ = false;
  out_.clear();
  wire_.clear();
  // The protocol's last word (raw: the disconnect notification) follows everything the
  // connection delivered, and precedes the link's end below.
  conn_->ended();
  if (delivered_) {
    delivered_ = false;
    link_.flush();
  }
  conn_.reset();
  closing_connection_ = false;
  handshake_done_ = false;
  release_gate();
  // A publisher starts with no subscriptions: a type that sends subscriptions (SUB, XSUB)
  // gets a fresh link at the next handshake, whose attach sends them all again (libzmq
  // hiccups the pipe).
  const bool subscriber = row_of(config_.options.type).sends_subscriptions;
  const bool lost_link = !dialing() || config_.options.immediate || (subscriber && !socket_gone());
  if (lost_link && link_) {
    link_.close();              // the socket forgets this peer
    pipe_mid_message_ = false;  // the rest of a message cut here never comes
  } else if (link_) {
    // The link lives on into the next connection: the frames of a message this one cut
    // are dropped, or they would be delivered glued to the next connection's first message
    // (libzmq: session_base::clean_pipes).
    link_.rollback();
  }
  // Reported after the socket was told, as HANDSHAKE_SUCCEEDED is: whoever waits for this
  // event finds the peer gone (a ROUTER refuses its routing id and gives it to a successor).
  config_.events->emit(monitor_event::disconnected, closed_fd, config_.endpoint, peer_address_);
  if (!dialing() || stopped_ || delimiter_seen_) {
    finish();  // accepted connections end with their session; a closed socket got it all
    return;
  }
  // The socket closed its end (before or while this connection ended): finish unless
  // LINGER allows dialing on to deliver what waits.
  if (socket_gone() && check_closing(false)) return;
  redial_later();
}

void stream_session::redial_later() {
  if (stopped_ || auth_refused_ || finished_ || !dialer_) return;
  dialer_->redial_later();
}

void stream_session::stop_dialing() {
  // The socket closed this peer's link before destroying the connect handle: deliver what
  // it flushed, within LINGER.
  check_closing(false);
}

void stream_session::finish() {
  if (finished_) return;
  finished_ = true;
  if (dialer_) dialer_->cancel();
  if (linger_timer_ != 0) loop_.cancel_timer(linger_timer_);
  loop_.unwatch(*this);
  gate_->set_session(nullptr);
  lease_->set_session(nullptr);
  if (link_) link_.close();
  if (control_) control_->session = nullptr;
  config_.pool->forget(*config_.thread, this);
  delete this;
}

void stream_session::shut_down() noexcept {
  stopped_ = true;
  if (closing_connection_) return;  // the close in progress finishes the session
  if (stream_open_)
    end_connection(std::nullopt);  // finishes once the loop closed the stream
  else
    finish();
}

bool stream_session::lingering() noexcept {
  if (finished_) return false;
  // The socket may have closed its end before this session came to that in its pipe: an
  // accepted connection learns of the close only from the pipe's delimiter, behind all it
  // still has to write (a whole pipe, and more if the peer reads slowly). Counted as idle
  // meanwhile, the context's end would shut it down with those messages unsent; so LINGER
  // runs from now. LINGER 0 asks for no wait.
  if (!linger_started_ && socket_gone()) {
    if (linger().count() == 0) return false;
    start_linger();
  }
  return linger_started_;
}

// ---- output -----------------------------------------------------------------------------

stream_session::fill_result stream_session::fill_from_pipe(bool may_watch) noexcept {
  if (!link_) return fill_result::empty;
  message frame;
  while (!out_.full()) {
    if (may_watch && run_ >= stream_run && !link_.probe()) {
      if (!std::exchange(stream_paused_, false)) return fill_result::watching;
      run_ = 0;  // the stream paused: the read below puts the pipe to sleep
    }
    switch (link_.read(frame)) {
      case link_end::read_status::empty: run_ = 0; return fill_result::empty;
      case link_end::read_status::closed: delimiter_seen_ = true; return fill_result::closed;
      case link_end::read_status::ok: break;
    }
    ++run_;
    const bool more = frame.more();
    pipe_mid_message_ = more;
    if (drop_rest_) {
      drop_rest_ = more;
      continue;
    }
    if (!conn_->send(std::move(frame), out_)) {
      encode_failed_ = true;  // the mechanism failed: the I/O thread ends the connection
      return fill_result::closed;
    }
  }
  return fill_result::ok;
}

void stream_session::start_send() {
  if (send_in_flight_ || out_.empty() || !stream_open_) return;
  std::swap(out_, wire_);  // wire_ was sent whole: out_ starts empty again
  send_in_flight_ = true;
  loop_.send(stream_, wire_.iovecs());
}

void stream_session::release_gate() { gate_->release_io_later(); }

void stream_session::pump_locked() {
  if (conn_ && !closing_connection_ && write_shut_ && !lent_ && conn_->has_pending_output()) {
    // Our direction has ended (shut down, or a write failed): control output has nowhere to
    // go. It is dropped, or PONGs waiting for room would hold the peer's input for good.
    conn_->flush_pending(out_);
    out_.clear();
    if (input_held_) {
      hold_input_while_blocked();
      reschedule_timer();
    }
  }
  if (conn_ && !closing_connection_ && !write_shut_) {
    // Pending control output is the decode side's: while lent, the borrower hands the
    // read side back to have it sent.
    if (!lent_ && conn_->has_pending_output()) {
      conn_->flush_pending(out_);
      if (conn_->handshake_complete()) traffic_open_ = true;
      if (input_held_) {
        // Room among the PONGs: the connection decodes its held input at its next deadline.
        hold_input_while_blocked();
        reschedule_timer();
      }
    }
    if (traffic_open_ && !delimiter_seen_ && !encode_failed_ &&
        fill_from_pipe(true) == fill_result::watching && out_.empty())
      loop_.watch_briefly(*this, stream_linger);
    start_send();
  } else if (run_ != 0 && link_) {
    // A stream's pipe may have been left awake for a watch: with no connection to fill,
    // it sleeps again, so the socket's next flush (or its close) tells this session.
    run_ = 0;
    (void)link_.check_read();
  }
}

void stream_session::pump() {
  for (;;) {
    pump_locked();
    // Decided while holding the gate, acted on after releasing it.
    const bool encode_failed = std::exchange(encode_failed_, false);
    const bool closed = delimiter_seen_ || (!conn_ && socket_gone());
    const bool drained = delimiter_seen_ && out_.empty() && !send_in_flight_;
    if (gate_->release_io()) continue;  // more was asked for meanwhile
    if (encode_failed && conn_) {
      end_connection(conn_->encode_error());
      return;
    }
    if (closed) check_closing(drained);
    return;
  }
}

stream_session::direct_outcome stream_session::send_directly() noexcept {
  // A send in flight: its completion pumps, and takes this message with it.
  if (send_in_flight_) return direct_outcome::io_thread_pumps;
  if (!traffic_open_ || delimiter_seen_ || write_shut_) return direct_outcome::needs_pump;
  if (!send_pacing::lone_message()) return direct_outcome::needs_pump;  // a stream: the I/O thread batches
  if (fill_from_pipe(false) != fill_result::empty)
    return direct_outcome::needs_pump;  // more than fits, or closing
  if (out_.empty()) return direct_outcome::done;
  write_now(fd_, out_);
  // What the kernel did not take is sent by the I/O thread.
  return out_.empty() ? direct_outcome::done : direct_outcome::needs_pump;
}

stream_session::direct_outcome stream_session::drain_directly() noexcept {
  if (!traffic_open_ || delimiter_seen_ || write_shut_) return direct_outcome::done;  // not ours to send now
  for (;;) {
    // Nothing may overtake a send in flight: then the batch only fills, up to its limit.
    if (!send_in_flight_) {
      write_now(fd_, out_);
      if (!out_.empty())
        return direct_outcome::needs_pump;  // the kernel is full: the I/O thread waits for room
    }
    const fill_result filled = fill_from_pipe(false);
    if (filled == fill_result::ok) {
      if (send_in_flight_) return direct_outcome::io_thread_pumps;  // the batch is full
      continue;
    }
    if (filled != fill_result::empty) return direct_outcome::needs_pump;  // the mechanism failed
    if (send_in_flight_) return direct_outcome::io_thread_pumps;
    write_now(fd_, out_);
    return out_.empty() ? direct_outcome::done : direct_outcome::needs_pump;
  }
}

bool stream_session::messages_pending() {
  if (!link_ || !link_.check_read()) return false;
  return !message_access::has(link_.get().in(1).front(), message_access::delimiter);
}

milliseconds stream_session::linger() const noexcept {
  // The socket's LINGER when it closed its end, not at connect() (libzmq reads it at close).
  return socket_gone() ? link_.get().linger(link_.other()) : config_.options.linger;
}

void stream_session::start_linger() {
  if (linger_started_) return;
  linger_started_ = true;
  const milliseconds linger = this->linger();
  if (linger.count() <= 0) return;  // 0: ends at once (check_closing); negative: no limit
  linger_timer_ = loop_.set_timer(std::chrono::steady_clock::now() + linger, [this] {
    linger_timer_ = 0;
    stopped_ = true;  // give up
    if (conn_)
      end_connection(std::nullopt);
    else
      finish();
  });
}

bool stream_session::check_closing(bool drained) {
  const milliseconds linger = this->linger();
  start_linger();
  if (conn_) {
    if (closing_connection_) return false;
    if (linger.count() == 0) {
      end_connection(std::nullopt);
      return false;
    }
    // Closing the descriptor now could lose what we wrote: with unread input it resets the
    // connection, which throws away what the kernel has not passed on yet; and a libzmq
    // peer at its RCVHWM drops what it holds when an ipc connection hangs up. So: take in
    // and drop whatever the peer still sends, end our direction once everything is
    // written, and close when the peer, having read it all, closes its own (on_recv_end),
    // or when LINGER runs out.
    resume_receiving();
    if (drained) shut_down_writing();
    return false;
  }
  // Not connected: keep dialing until LINGER only if messages wait for delivery.
  gate_->acquire_io();
  const bool pending = messages_pending();
  release_gate();
  if (linger.count() != 0 && dialing() && pending) return false;
  finish();
  return true;
}

// The gate is free while watched, and stays so: the pipe being awake, the socket's flushes
// do not call the gate, so the I/O thread may look at the read side.
bool stream_session::ready() noexcept { return link_ && link_.probe(); }

void stream_session::on_watched(bool ready) {
  if (!ready) stream_paused_ = true;
  request_pump();
}

void stream_session::request_pump() {
  if (!gate_->try_acquire_io()) {
    gate_->want();  // the holder (an application thread's direct send) hands the work back
    return;
  }
  pump();
}

void stream_session::shut_down_writing() {
  if (write_shut_) return;
  write_shut_ = true;
  ::shutdown(fd_, SHUT_WR);  // the peer reads what we wrote, then the end of the stream
}

void stream_session::resume_receiving() {
  if (!recv_paused_ || !stream_open_) return;
  recv_paused_ = false;
  if (!input_held_) loop_.resume_recv(stream_);
}

// ---- direct reads -------------------------------------------------------------------------

void stream_session::lend_read_side() {
  if (lending_ || lent_ || !conn_ || !handshake_done_ || !stream_open_ || closing_connection_ ||
      recv_paused_ || input_held_ || zap_)
    return;
  lending_ = true;
  loop_.lend_recv(stream_, [this](bool lent) { on_read_side_lent(lent); });
}

void stream_session::on_read_side_lent(bool lent) {
  lending_ = false;
  // Decoding what the loop had received may have filled the socket's pipe (the loop stays
  // paused until the socket returns credit) or ended the connection.
  if (!lent || !conn_ || closing_connection_ || recv_paused_ || input_held_) return;
  lent_ = true;
  lease_->lend(fd_);
  arm_borrower_check();
  wake_socket();  // it asked, and waits on its mailbox meanwhile
}

void stream_session::arm_borrower_check() {
  borrower_check_ = loop_.set_timer(std::chrono::steady_clock::now() + borrower_check_interval, [this] {
    borrower_check_ = 0;
    if (!lent_) return;
    switch (lease_->look_at_borrower()) {
      case read_lease::borrower::away: reclaim_read_side(); return;
      case read_lease::borrower::asleep:
        if (lease_->park_check()) return;
        break;
      case read_lease::borrower::active: break;
    }
    arm_borrower_check();
  });
}

void stream_session::resume_borrower_check() {
  if (lent_ && borrower_check_ == 0) arm_borrower_check();
}

bool stream_session::take_read_side_back() {
  if (!lent_) return false;
  lent_ = false;
  if (borrower_check_ != 0) loop_.cancel_timer(std::exchange(borrower_check_, 0));
  lease_->unpark();
  if (lease_->take_back()) wake_socket();  // it may be asleep on the fd
  return true;
}

void stream_session::reclaim_read_side() {
  if (!take_read_side_back()) return;
  if (borrower_end_) {
    const int error = *std::exchange(borrower_end_, std::nullopt);
    on_recv_end(error);
    return;
  }
  loop_.resume_recv(stream_);
  after_decode();  // what the borrower left: an error, control output to send
}

stream_session::direct_read stream_session::read_directly(std::span<std::byte> buffer) {
  // The rest of a large body goes straight into its message; only what follows it (the
  // next header and a little beyond, so the next read again lands in a body) into the
  // buffer, to be copied out by the decoder.
  const std::span<std::byte> body = conn_->body_space();
  const bool into_body = body.size() >= direct_body_min;
  iovec iov[2] = {{body.data(), body.size()},
                  {buffer.data(), into_body ? std::min(buffer.size(), body_read_tail) : buffer.size()}};
  msghdr msg{};
  msg.msg_iov = into_body ? iov : iov + 1;
  msg.msg_iovlen = into_body ? 2 : 1;
  const ssize_t n = ::recvmsg(fd_, &msg, MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return direct_read::empty;
    borrower_end_ = errno;
    return direct_read::hand_back;
  }
  if (n == 0) {
    borrower_end_ = 0;
    return direct_read::hand_back;
  }
  const auto now = std::chrono::steady_clock::now();
  std::size_t got = static_cast<std::size_t>(n);
  if (into_body) {
    const std::size_t in_body = std::min(got, body.size());
    conn_->body_received(in_body, now);
    got -= in_body;
  }
  if (got > 0 && !error_) conn_->feed(buffer.first(got), now);
  if (delivered_) {
    delivered_ = false;
    link_.flush();
  }
  if (error_ || conn_->has_pending_output()) return direct_read::hand_back;
  return direct_read::progress;
}

void stream_session::wake_socket() noexcept { config_.socket_inbox->post(command{}); }  // a wake-up command

// ---- input ------------------------------------------------------------------------------

void stream_session::on_data(std::span<const std::byte> bytes) {
  if (!conn_ || closing_connection_) return;
  conn_->feed(bytes, std::chrono::steady_clock::now());
  after_decode();
}

void stream_session::after_decode() {
  if (delivered_) {
    delivered_ = false;
    link_.flush();
  }
  if (error_) {
    end_connection(std::exchange(error_, std::nullopt));
    return;
  }
  if (conn_->has_pending_output()) request_pump();
  hold_input_while_blocked();
  // Over the socket's RCVHWM: stop reading; the socket's reads return credit (on_writable).
  if (link_ && handshake_done_ && !recv_paused_ && !socket_gone() && !link_.can_write()) {
    recv_paused_ = true;
    loop_.pause_recv(stream_);
  }
  reschedule_timer();
}

void stream_session::hold_input_while_blocked() {
  if (!stream_open_) return;
  const bool blocked = conn_->input_blocked();
  if (blocked == input_held_) return;
  input_held_ = blocked;
  if (blocked)
    loop_.pause_recv(stream_);
  else if (!recv_paused_)
    loop_.resume_recv(stream_);
}

void stream_session::reschedule_timer() {
  if (timer_ != 0) loop_.cancel_timer(std::exchange(timer_, 0));
  if (!conn_ || closing_connection_) return;
  const auto due = conn_->next_deadline();
  if (!due) return;
  timer_ = loop_.set_timer(*due, [this] {
    timer_ = 0;
    if (!conn_ || closing_connection_) return;
    // The decode side is the I/O thread's again first (the borrower decoded meanwhile).
    if (lent_) {
      reclaim_read_side();
      if (!conn_ || closing_connection_) return;
    }
    conn_->on_timer(std::chrono::steady_clock::now());
    after_decode();
  });
}

bool stream_session::socket_gone() const noexcept { return link_ && link_.peer_closed(); }

void stream_session::on_recv_end(int error) {
  end_connection(error == 0
                     ? std::nullopt
                     : std::optional<zmtp::error_info>(zmtp::make_errno_error(error, "connection reset")));
}

void stream_session::on_sent(std::size_t sent, int error) {
  gate_->acquire_io();  // an application thread holds it only for a non-blocking write
  send_in_flight_ = false;
  if (error != 0) {
    wire_.clear();
    if (!handshake_done_) {
      end_connection(zmtp::make_errno_error(error, "send failed"), true);
      return;
    }
    // The peer is gone (a reset, an ipc hang-up), but what it sent before may still wait in
    // our kernel's buffer, readable until the end is reported: nothing more is written, and
    // the connection ends when reading ends (on_recv_end), as libzmq's does. What was not
    // written is lost with the connection.
    write_shut_ = true;
    out_.clear();
    pump();
    return;
  }
  wire_.consume(sent);  // all of it (io_loop::send writes everything or fails)
  // Before the handshake the peer may never answer: a connection waiting for it holds no
  // output memory (issue 15: a silent connection costs no more than with libzmq).
  if (!handshake_done_) {
    wire_.trim();
    out_.trim();
  }
  pump();
}

void stream_session::on_handshake_succeeded(const zmtp::handshake_info& info) {
  handshake_done_ = true;
  if (dialer_) dialer_->reset_backoff();
  const peer_info who{info.peer_type, info.peer_routing_id, peer_address_};
  if (link_) {
    // The link made at connect() time: the socket learns who is at the other end now (a
    // ROUTER names the peer on this notification).
    if (link_.get().info(1) == nullptr) link_.get().publish_info(1, who);
    link_.get().notify_readable(0);
  } else {
    auto l = link::create(config_.options.inbound_hwm(), config_.options.sndhwm);  // to socket, to session
    l->set_listener(1, gate_);
    l->set_direct_source(lease_);
    l->publish_info(1, who);
    link_ = link_end(l, 1);
    command cmd;
    cmd.what = command::kind::attach;
    cmd.target = std::move(l);
    cmd.side = 0;
    cmd.origin = config_.origin;
    config_.socket_inbox->post(std::move(cmd));
  }
  // Reported after the socket was told: whoever waits for this event can use the peer.
  config_.events->emit(monitor_event::handshake_succeeded, 0, config_.endpoint, peer_address_);
}

bool stream_session::on_message(message&& frame) {
  if (!link_ || socket_gone()) return true;  // nobody will read it
  const bool more = frame.more();
  link_.write(std::move(frame), more);
  delivered_ = true;
  return true;
}

void stream_session::on_zap_request(const zmtp::zap_request& request) {
  // The answer comes back through a post on this thread (never from inside this call: the
  // connection must not be re-entered); end_connection() cancels it.
  try {
    zap_ = zap_client::start(config_.inproc, loop_, request, config_.options.zap_enforce_domain,
                             [this](const zap_client::outcome& o) {
                               zap_.reset();
                               if (!conn_ || closing_connection_) return;
                               if (o.reply)
                                 conn_->zap_reply(*o.reply, std::chrono::steady_clock::now());
                               else
                                 conn_->zap_failed(o.error);
                               after_decode();
                             });
  } catch (const std::bad_alloc&) {
    error_ = zmtp::make_errno_error(ENOMEM, "cannot start the ZAP exchange");
  }
}

void stream_session::on_error(const zmtp::error_info& error) { error_ = error; }

}  // namespace ringmq::detail
