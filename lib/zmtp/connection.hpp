// connection: one ZMTP 3.x connection as a sans-I/O state machine. Bytes the transport read
// go into feed(); frames, handshake results and errors come out through a connection_sink;
// bytes to write go into an output_batch the caller owns. It has no fd, no clock (every
// time-dependent call takes `now`) and no thread.
//
// Stages (rfc 23 "Overall Behavior"): greeting -> security handshake (commands the mechanism
// produces and consumes, ending with the peers' metadata) -> traffic (messages and commands
// intermixed). A ZMTP 3.0 peer is accepted (minor 0: subscriptions as "\x01topic" messages);
// ZMTP 1.0 and 2.0 peers are refused.
//
// Threads: two sides with disjoint state.
//   Decode side -- owned by the I/O thread that reads the connection's socket:
//     start(), feed(), zap_reply(), on_timer(), next_deadline(), has_pending_output(),
//     flush_pending() (the latter under the output lock, see below), the state queries;
//     state: greeting and frame decoders, mechanism handshake, heartbeat timers, peer
//     properties, the queue of control frames produced while decoding (handshake replies,
//     PONG, PING, a final ERROR). Sink events happen here.
//   Encode side -- whichever thread holds the transport's output lock for this connection
//     (the application thread sending directly, or the I/O thread):
//     send(); state: the outgoing multipart position, the subscription form, the mechanism's
//     encode() state (e.g. CURVE's send nonce).
//   Decoding never writes encode-side state and never touches an output_batch: what must
//   go out because of something received (handshake commands, PONG) or a timer (PING) is
//   queued on the decode side and written by flush_pending(out), which the I/O thread calls
//   while holding the output lock -- after every feed(), zap_reply() and on_timer() for
//   which has_pending_output() is true. flush_pending() is also where the encode side opens
//   once the handshake is complete: send() refuses frames until then, so the handshake's
//   last command always precedes the first message.
//   start() writes the greeting straight into `out`; it runs before any other thread knows
//   the connection.
//
// Errors: the first error is reported once through sink.on_error(); afterwards feed()
// discards its input, timers stop and no event follows. A refusing ZAP reply still leaves
// an ERROR command in the pending output.
#pragma once

#include "core/metadata.hpp"
#include "zmtp/connection_sink.hpp"
#include "zmtp/frame_decoder.hpp"
#include "zmtp/greeting.hpp"
#include "zmtp/heartbeat.hpp"
#include "zmtp/mechanism.hpp"
#include "zmtp/metadata_codec.hpp"
#include "zmtp/output_batch.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/wire.hpp"
#include "zmtp/wire_protocol.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>
#include <ringmq/socket_type.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ringmq::zmtp {

struct connection_config {
  socket_type type = socket_type::pair;
  // ROUTING_ID, 0-255 octets. Sent as the Identity property by REQ, DEALER and ROUTER, as
  // libzmq does; also the routing id field of our ZAP requests.
  std::string routing_id;
  // ZMQ_METADATA: application properties ("X-..." names) added to our metadata.
  std::vector<property> app_properties;
  // MAXMSGSIZE: the largest frame body accepted after the handshake; -1 = no limit.
  std::int64_t max_message_size = -1;
  // The largest frame accepted before the handshake completes, whatever MAXMSGSIZE says
  // (docs/wire-and-security.md: unauthenticated peers must not choose allocation sizes).
  // A CURVE INITIATE with metadata fits easily.
  std::size_t handshake_max_frame = std::size_t{64} * 1024;
  heartbeat_config heartbeat;
  // HANDSHAKE_IVL: the handshake must complete within this long after start(); 0 = no limit.
  std::chrono::milliseconds handshake_timeout{30000};
  // The peer's address ("127.0.0.1", "/tmp/x.sock"): the Peer-Address property and the
  // address field of ZAP requests.
  std::string peer_address;
};

class connection final : public wire_protocol {
 public:
  // Throws std::invalid_argument for a bad configuration: a routing id above 255 octets, an
  // invalid property name, a mechanism name that is not 1-20 of [A-Z0-9-_.+], no mechanism.
  connection(connection_config config, std::unique_ptr<mechanism> mech, connection_sink& sink);
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() override;

  // ---- Decode side ----

  // Writes our whole greeting into `out`, followed by whatever the mechanism sends at once
  // (NULL: READY), and starts the handshake timer. Call once, first.
  void start(output_batch& out, time_point now) override;

  // Decodes received octets, cut anywhere. Returns the number consumed: all of them, unless
  // the sink paused (on_message returned false; feed the rest later) or an error occurred.
  // Octets the connection holds back (see input_blocked) count as consumed.
  std::size_t feed(bytes in, time_point now) override;
  // Where the rest of the data frame being received can be written directly (empty when
  // there is no such body; see frame_decoder::body_space), and the report of `n` octets
  // written there, processed as feed() would process them.
  [[nodiscard]] std::span<std::byte> body_space() noexcept override;
  void body_received(std::size_t n, time_point now) override;

  // The answer to the ZAP request reported by sink.on_zap_request(). Ignored when no
  // request is outstanding (a stale answer after an error or a timeout).
  void zap_reply(const zmtp::zap_reply& reply, time_point now) override;
  // The ZAP exchange itself failed (the transport's ZAP client saw a malformed reply, a bad
  // version or request id, or no handler where one is required): fails the handshake with
  // `error` (e.g. protocol_code::zap_malformed_reply). Ignored when no request is outstanding.
  void zap_failed(const error_info& error) override;

  // The earliest time on_timer() has something to do (handshake deadline, next PING,
  // heartbeat timeout or TTL, held input that can be decoded now); empty when nothing is
  // scheduled.
  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept override;
  // Acts on what is due at `now`: held input to decode, a handshake or heartbeat timeout
  // (error), a PING to send (queued: has_pending_output() becomes true).
  void on_timer(time_point now) override;

  // True when flush_pending() has something to do.
  [[nodiscard]] bool has_pending_output() const noexcept override;
  // Writes the queued control frames into `out` (handshake commands, then PING and PONGs
  // through the mechanism's encode()) and opens the encode side once the handshake is
  // complete. Called on the decode side's thread with the output lock held. Our PING is
  // dropped while out.full() (it is optional). PONGs are written while `out` holds fewer
  // than pong_output_bound octets; the others wait for the next flush.
  void flush_pending(output_batch& out) override;

  // PING back-pressure (issue 15). rfc 37 answers every PING with a PONG; a peer may send
  // PINGs faster than the PONGs go out (it does not read them). At most max_waiting_pongs
  // PONGs wait for flush_pending(); a PING that fills the queue stops the decoding, and the
  // rest of that input is held. While input_blocked() the transport must read nothing more
  // from the peer; once flush_pending() made room, next_deadline() is due at once and
  // on_timer() decodes the held input. So the peer's PINGs go no faster than our PONGs, and
  // TCP holds it back. Meanwhile its silence is ours: no heartbeat timeout or TTL fires.
  [[nodiscard]] bool input_blocked() const noexcept override {
    return pending_pongs_.size() >= max_waiting_pongs || !held_input_.empty();
  }
  // Octets of input held back (what the transport had read before it stopped), for tests.
  [[nodiscard]] std::size_t held_input() const noexcept { return held_input_.size() - held_pos_; }
  static constexpr std::size_t max_waiting_pongs = 16;
  static constexpr std::size_t pong_output_bound = 1024;

  [[nodiscard]] bool handshake_complete() const noexcept override { return phase_ == phase::traffic; }
  // Nothing to report: a ZMTP peer's end is the transport's to announce.
  void ended() override {}
  [[nodiscard]] bool failed() const noexcept { return phase_ == phase::failed; }
  // The peer's greeting, once received.
  [[nodiscard]] const peer_greeting& peer() const noexcept { return greeting_.peer(); }
  [[nodiscard]] const connection_config& config() const noexcept { return config_; }

  // ---- Encode side (output lock held) ----

  // Queues one outgoing frame of an application message into `out`: header plus body,
  // bodies above output_batch::copy_threshold referenced, not copied. `frame.more()` says
  // whether another frame of the same message follows. For SUB and XSUB a single-frame
  // message starting with 0x01 / 0x00 is a subscribe / cancel: sent as a SUBSCRIBE /
  // CANCEL command to a 3.1 peer and unchanged to a 3.0 peer (rfc 37;
  // docs/wire-and-security.md), inside the mechanism's box if it has one. Returns false,
  // queuing nothing, before the encode side is open (handshake not complete and flushed)
  // or when the mechanism's encode() failed (encode_error() says why; the connection is
  // then unusable).
  [[nodiscard]] bool send(message&& frame, output_batch& out) override;
  [[nodiscard]] const error_info& encode_error() const noexcept override { return encoder_.error; }

 private:
  enum class phase : std::uint8_t { greeting, handshake, traffic, failed };

  // Decode side.
  // feed() without the held input: decodes until `in` ends, an error, the sink pauses or a
  // PING fills the PONG queue; returns the octets consumed.
  std::size_t decode(bytes in, time_point now);
  // What the frame decoder returned: acts on a complete frame or a failure. False to stop
  // decoding (need more input, an error, or the sink paused).
  bool on_decoded(frame_decoder::status st, time_point now);
  bool on_frame(message&& frame, time_point now);
  bool on_command(message&& frame, time_point now);
  bool deliver(message&& frame);
  void on_greeting_done(time_point now);
  void on_handshake_command(message&& frame, time_point now);
  void on_peer_error(bytes data);
  void apply_step(handshake_step& step, time_point now);
  bool accept_peer_properties(const std::string& raw);
  void complete_handshake(time_point now);
  void fail(const error_info& e);
  void write_raw_commands(output_batch& out);
  // Keeps `rest` (after what is held already) to decode once the PONG queue has room; out
  // of line, off feed()'s path.
  [[gnu::noinline, gnu::cold]] void hold(bytes rest);
  // Decodes held input when the PONG queue has room again (input_blocked).
  void decode_held_input(time_point now);

  // Encode side.
  bool write_frame(message&& frame, output_batch& out);

  connection_config config_;
  std::string our_properties_;  // encoded once; handshake_context points here (outlives mech_)
  std::unique_ptr<mechanism> mech_;
  connection_sink& sink_;
  const bool transforms_;  // mech_->transforms_frames(), constant

  // ---- Decode-side state ----
  phase phase_ = phase::greeting;
  greeting_decoder greeting_;
  frame_decoder frames_;
  heartbeat heartbeat_;
  std::optional<time_point> handshake_deadline_;
  bool zap_pending_ = false;
  bool rx_mid_message_ = false;  // the last data frame delivered had MORE set
  // Peer properties gathered during the handshake.
  std::optional<socket_type> peer_type_;
  std::optional<std::string> peer_identity_;
  std::vector<property> peer_properties_;  // ZAP metadata, then X-* from the peer
  std::string user_id_;
  detail::metadata_source meta_;
  // Control frames waiting for flush_pending().
  std::vector<message> pending_raw_;  // handshake commands and a final ERROR, sent as they are
  bool pending_ping_ = false;
  std::vector<message> pending_pongs_;  // at most max_waiting_pongs, in PING order
  std::vector<std::byte> held_input_;   // input after the PING that filled pending_pongs_
  std::size_t held_pos_ = 0;            // octets of held_input_ decoded already
  bool encoder_opened_ = false;         // flush_pending() has opened the encode side

  // ---- Encode-side state ----
  struct encoder_state {
    bool open = false;
    bool subscription_commands = false;  // the peer speaks 3.1: SUBSCRIBE / CANCEL commands
    bool mid_message = false;            // the last frame sent had MORE set
    error_info error;
  } encoder_;
};

}  // namespace ringmq::zmtp
