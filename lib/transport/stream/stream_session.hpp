// stream_session: one tcp or ipc peer of a socket, living on an I/O thread. It runs the wire
// protocol (ZMTP, or raw for STREAM: zmtp/wire_protocol.hpp) over the socket's fd and moves
// messages between the network and the link to the socket.
//
// Two kinds:
//  - accepted (bind side): one connection; the session ends with it.
//  - dialing (connect side): connects, and reconnects with exponential back-off after the
//    connection ends, until the socket disconnects or closes. Unless IMMEDIATE is set, its
//    link to the socket exists from connect() on and survives reconnects, so messages sent
//    while disconnected wait in the pipe (up to SNDHWM).
//
// Threads: everything runs on the session's I/O thread, except
//  - send_directly() and drain_directly(), which the socket's thread runs while holding the
//    session_gate. The state that both touch (the outgoing pipe, the encode side of the
//    ZMTP connection, the batch being filled, the fd, the flags marked "gate") is only
//    touched while holding the gate. The I/O thread holds the gate only for moments (a
//    pump, a send's completion): the batch of the send in flight (wire_) is its own, so
//    while the kernel takes it either thread may encode what follows into out_.
//  - read_directly(), which the socket's thread runs while it holds the read_lease in its
//    `reading` state. While the read side is lent (lent_), the I/O thread leaves the
//    decode side of the connection, the link's writing end and the flags marked "lease"
//    alone, and the loop receives nothing on the fd.
//
// Ends when: the connection ends (accepted), the socket closed its end of the link and
// everything it flushed before was written or LINGER expired, or the pool shuts down.
#pragma once

#include "core/link.hpp"
#include "core/mailbox.hpp"
#include "core/monitor_queue.hpp"
#include "core/socket_options.hpp"
#include "io/io_loop.hpp"
#include "io/io_thread.hpp"
#include "transport/stream/dial_target.hpp"
#include "transport/stream/dialer.hpp"
#include "transport/stream/io_pool.hpp"
#include "transport/stream/read_lease.hpp"
#include "transport/stream/session_gate.hpp"
#include "zmtp/output_batch.hpp"
#include "zmtp/wire_protocol.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ringmq::detail {

// What a session needs to know about its socket and endpoint (copied at bind/connect).
struct session_config {
  io::io_thread* thread = nullptr;
  io_pool* pool = nullptr;
  socket_options options;
  std::shared_ptr<monitor_hub> events;
  std::shared_ptr<mailbox> socket_inbox;
  const void* origin = nullptr;               // the bind/connect handle, for the socket's attach
  std::string endpoint;                       // for monitor events
  std::shared_ptr<context_extension> inproc;  // the context's inproc namespace: ZAP handler lookup
};

class zap_client;

// Shared between a dialing session and its connect handle, so that the handle (socket
// thread) can ask the session to stop without outliving it: `session` is cleared by the
// session when it ends, and read only on the I/O thread.
struct dial_control {
  stream_session* session = nullptr;
};

class stream_session final : public io_object,
                             private io::stream_handler,
                             private io::brief_watch,
                             private zmtp::connection_sink {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  // A session for an accepted connection; takes over `fd`. I/O thread.
  static void accept(const session_config& config, int fd);
  // A dialing session. `l` (with `gate` as listener of its side 1) is already attached to
  // the socket unless IMMEDIATE; then both are null. I/O thread.
  static void dial(const session_config& config, std::shared_ptr<const dial_target> target,
                   std::shared_ptr<link> l, std::shared_ptr<session_gate> gate,
                   std::shared_ptr<read_lease> lease, std::shared_ptr<dial_control> control);

  // I/O thread: the socket disconnected from this endpoint: stop reconnecting and end once
  // the socket's last messages are written (or LINGER expires).
  void stop_dialing();

  // What an application thread that held the gate leaves to the I/O thread.
  enum class direct_outcome {
    done,             // nothing
    io_thread_pumps,  // a send is in flight: its completion pumps again, nothing to post
    needs_pump,       // the rest: post a pump
  };
  // The socket's thread, gate held: writes what the socket flushed straight to the kernel
  // when it is a lone message and nothing is being sent; leaves streams to the I/O thread.
  direct_outcome send_directly() noexcept;
  // The socket's thread, gate held, its pipe to us full: moves as much of the pipe as fits
  // into the batch being filled, and writes it to the kernel unless a send is in flight.
  direct_outcome drain_directly() noexcept;
  // I/O thread, gate held: moves output and sends; releases the gate when done.
  void pump();
  // I/O thread: the socket returned credit: read the network again.
  void resume_receiving();

  // Direct reads (read_lease). I/O thread: the socket's thread asks for the read side; it
  // gets it once the loop's receive left the kernel (and the connection is up and not
  // held back by RCVHWM).
  void lend_read_side();
  // I/O thread: takes the read side back (if lent) and reads on its own again.
  void reclaim_read_side();
  // I/O thread: the borrower left a wait in which the looks at it were parked.
  void resume_borrower_check();
  // The socket's thread, holding the lease: one non-blocking read, decoded into the link.
  enum class direct_read { progress, empty, hand_back };
  direct_read read_directly(std::span<std::byte> buffer);

  void shut_down() noexcept override;
  [[nodiscard]] bool lingering() noexcept override;

 private:
  explicit stream_session(const session_config& config);
  ~stream_session() override;

  // Connections.
  void start_connection(int fd, std::string peer_address);
  // The wire protocol of a new connection, for the socket type.
  std::unique_ptr<zmtp::wire_protocol> make_protocol();
  // `gate_held`: the caller (a send's completion) holds the gate already.
  void end_connection(std::optional<zmtp::error_info> error, bool gate_held = false);
  void after_connection_closed();
  // A dialing session whose connection ended dials again, unless told not to.
  void redial_later();
  [[nodiscard]] bool dialing() const noexcept { return dialer_ != nullptr; }
  void finish();

  // Output.
  // watching: the pipe ran dry in the middle of a stream and is left awake (stream_linger).
  enum class fill_result { ok, empty, closed, watching };
  // `may_watch`: the I/O thread fills (an application thread's direct send never watches).
  fill_result fill_from_pipe(bool may_watch) noexcept;
  // Runs pump() now if the gate is free, else has its holder hand the work back.
  void request_pump();
  // Gate held: unless a send is in flight, hands out_ to the kernel (it becomes wire_).
  void start_send();
  // Gate held: moves control output and the pipe into out_, and starts a send.
  void pump_locked();
  // Releases the gate; work requested meanwhile runs later, through a posted pump().
  void release_gate();
  // The socket closed its end of the link (or disconnected): deliver what it flushed before,
  // then end, bounded by LINGER. `drained`: all of it is written.
  // True when it finished the session (`this` is gone).
  bool check_closing(bool drained);
  // The closed socket's LINGER starts to run (once): a timer ends the session when it is out.
  void start_linger();
  // How long a closed socket's messages may take to leave (its LINGER at close).
  [[nodiscard]] std::chrono::milliseconds linger() const noexcept;
  // The socket closed and everything is written: sends the end of our direction.
  void shut_down_writing();
  // Gate: messages (not just the closing delimiter) wait in the pipe.
  bool messages_pending();

  // Direct reads.
  void on_read_side_lent(bool lent);
  // Every borrower_check_interval while lent: takes the read side back from a borrower
  // that stayed away; parks while the borrower sleeps in one wait (read_lease::park_check).
  void arm_borrower_check();
  // Ends the lease if there is one (no resume, no decode handling); false if not lent.
  bool take_read_side_back();
  void wake_socket() noexcept;

  // Input and timers.
  void after_decode();
  // Reading also stops while the connection blocks its input (zmtp::connection::
  // input_blocked: its PONGs wait for the output to drain), so a peer flooding PINGs meets
  // TCP's back-pressure. Independent of the RCVHWM pause: the loop reads again when neither
  // holds. Called after decoding and after the pump wrote PONGs.
  void hold_input_while_blocked();
  void reschedule_timer();
  bool socket_gone() const noexcept;

  // io::stream_handler
  void on_data(std::span<const std::byte> bytes) override;
  void on_recv_end(int error) override;
  void on_sent(std::size_t sent, int error) override;
  // io::brief_watch: the socket's next messages, while it streams.
  bool ready() noexcept override;
  void on_watched(bool ready) override;
  // zmtp::connection_sink
  void on_handshake_succeeded(const zmtp::handshake_info& info) override;
  bool on_message(message&& frame) override;
  void on_zap_request(const zmtp::zap_request& request) override;
  void on_error(const zmtp::error_info& error) override;

  session_config config_;
  io::io_loop& loop_;
  std::unique_ptr<dialer> dialer_;  // null for an accepted connection
  std::shared_ptr<dial_control> control_;
  std::shared_ptr<session_gate> gate_;
  std::shared_ptr<read_lease> lease_;
  link_end link_;  // side 1 of the socket↔session link; null before the handshake (accepted / IMMEDIATE)

  // The current connection.
  int fd_ = -1;
  io::stream_id stream_ = 0;
  bool stream_open_ = false;
  std::string peer_address_;
  // ZMTP, or raw for STREAM (socket_type_row::raw_wire); chosen per connection.
  std::unique_ptr<zmtp::wire_protocol> conn_;
  std::optional<zmtp::error_info> error_;  // lease: set by on_error during a connection call
  std::shared_ptr<zap_client> zap_;        // the connection's ZAP exchange in progress
  bool handshake_done_ = false;
  bool recv_paused_ = false;
  bool input_held_ = false;  // reading stopped while the connection's input is blocked
  bool delivered_ = false;   // lease: frames written to the socket's pipe since its last flush
  io::timer_id timer_ = 0;
  bool closing_connection_ = false;
  bool write_shut_ = false;  // nothing more is sent (shut_down_writing, or a write failed)

  // Direct reads.
  bool lending_ = false;             // lend_recv in progress
  bool lent_ = false;                // the socket's thread may read (lease_ is lent)
  std::optional<int> borrower_end_;  // lease: the borrower saw the end (0) or an errno
  io::timer_id borrower_check_ = 0;

  // Output.
  zmtp::output_batch out_;         // gate: encoded, not yet handed to the kernel
  zmtp::output_batch wire_;        // I/O thread: the batch of the send in flight
  bool traffic_open_ = false;      // gate: the encode side is open, the fd is usable
  bool send_in_flight_ = false;    // gate: an io_loop::send of wire_ is running
  bool pipe_mid_message_ = false;  // gate: the last frame taken from the pipe had MORE
  bool drop_rest_ = false;         // gate: skip the rest of a message cut by a reconnect
  bool delimiter_seen_ = false;    // gate: the socket closed its end; everything before is taken
  bool encode_failed_ = false;     // gate: the mechanism could not encode a frame
  std::uint32_t run_ = 0;          // gate: messages taken since the pipe last slept
  bool stream_paused_ = false;     // a watch ran out: the pipe sleeps at the next fill

  // Dialing.
  bool stopped_ = false;       // no more reconnects
  bool auth_refused_ = false;  // the peer refused our credentials: never reconnect

  // Ending.
  bool linger_started_ = false;
  io::timer_id linger_timer_ = 0;
  bool finished_ = false;
};

}  // namespace ringmq::detail
