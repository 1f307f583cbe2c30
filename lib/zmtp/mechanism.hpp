// mechanism: the extension point for ZMTP security mechanisms (rfc 23 NULL, rfc 24 PLAIN,
// rfc 25/26 CURVE). A mechanism is a sans-I/O state machine owned by one zmtp::connection:
// the connection decodes the greeting and frames, hands the mechanism each handshake command
// body, sends the command bodies the mechanism produces, runs the generic parts of the
// handshake (peer ERROR, metadata validation, socket-type check, ZAP status handling) and,
// once the handshake is complete, passes every frame through encode()/decode() when
// transforms_frames() says so.
//
// Threads. A connection has a decode side (the I/O thread that feeds it) and an encode side
// (whichever thread sends, always under the transport's output lock); see connection.hpp.
// Every handshake call below runs on the decode side. After the handshake, decode() runs on
// the decode side and encode() on the encode side, concurrently with each other: they must
// not share mutable state (CURVE keeps one nonce counter per direction; the session key is
// written during the handshake and only read afterwards). What the handshake wrote is
// published to the encode side by the output lock: the connection enables encode() only from
// connection::flush_pending(), which the transport calls under that lock after the handshake
// completed.
//
// No call may block: a mechanism that needs an outside answer (ZAP) asks for it through
// handshake_step::zap and is called back with on_zap_reply().
#pragma once

#include "zmtp/greeting.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/wire.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>
#include <ringmq/socket_type.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringmq::zmtp {

// What the connection tells the mechanism when the connection starts.
struct handshake_context {
  socket_type our_type = socket_type::pair;
  // Our metadata, already encoded as ZMTP properties (Socket-Type; Identity for REQ, DEALER
  // and ROUTER; the application's X-* properties). The mechanism sends it in its READY
  // (NULL, PLAIN/CURVE server) or INITIATE (PLAIN/CURVE client). Valid until the mechanism
  // is destroyed.
  bytes our_properties;
};

// The outcome of one mechanism call. The connection hands an empty step to each call and
// acts on it when the call returns, in this order: take `peer_properties` (when it refuses
// them it fails the handshake and sends none of the step's commands), queue `commands`,
// fail with `error` if set, else report `zap`, then finish the handshake when `complete`.
struct handshake_step {
  // Command bodies ("name-len name data", e.g. from build_command()) to send, in order. The
  // connection adds the frame headers and sends them as they are, before the handshake's
  // end and before any traffic. Commands queued together with an `error` are still sent
  // (a server's ERROR before it closes).
  std::vector<message> commands;
  // The raw ZMTP property list the peer sent (NULL: READY; PLAIN/CURVE: INITIATE on the
  // server, READY on the client, after decryption). Set at most once per handshake. The
  // connection parses it, checks Socket-Type against ours and records Identity and X-*;
  // malformed metadata or an incompatible socket type fails the handshake.
  std::optional<std::string> peer_properties;
  // Server side: authenticate through ZAP before going on. Fill `domain` and `credentials`;
  // the connection completes the other fields and reports the request to its sink. Until
  // on_zap_reply() is called the mechanism sends nothing more.
  std::optional<zap_request> zap;
  // Both directions of the handshake are done: we have sent our last handshake command
  // (queued in this or an earlier step) and accepted the peer's.
  bool complete = false;
  // The handshake failed; the connection reports it and stops. Use protocol_code values
  // (e.g. zmtp_malformed_command_hello, zmtp_cryptographic, zmtp_invalid_sequence).
  std::optional<error_info> error;
};

// Result of a per-frame transformation after the handshake.
enum class codec_status : std::uint8_t {
  ok,      // `frame` now holds the transformed frame
  drop,    // discard this frame silently (libzmq drops CURVE MESSAGEs sent as commands)
  failed,  // fatal; `error` says why (e.g. zmtp_cryptographic, zmtp_invalid_sequence)
};

class mechanism {
 public:
  // Runs when the connection is destroyed (on the thread that owns the decode side, after
  // both sides stopped). A mechanism holding secrets wipes them here (sodium_memzero); it
  // owns no other resource that outlives the connection.
  virtual ~mechanism() = default;

  // ---- Identity: any thread, constant for the object's life. ----

  // The mechanism name for our greeting, 1-20 characters ("NULL", "PLAIN", "CURVE"). The
  // peer's greeting must carry exactly this name.
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  // Our greeting's as-server octet (rfc 23). libzmq always sends 0 and ignores the peer's;
  // PLAIN and CURVE take their roles from local options, never from this octet.
  [[nodiscard]] virtual bool as_server() const noexcept = 0;

  // ---- Handshake: decode side, in this order, never concurrently, never blocking. ----

  // Called once when the connection starts, right after our greeting has been queued
  // (before the peer's greeting arrives). May queue the first commands: NULL queues READY
  // here (libzmq sends it at once), a CURVE client may queue HELLO. `ctx` stays valid.
  virtual void start(const handshake_context& ctx, handshake_step& step) = 0;

  // Called once when the peer's greeting has passed the version and mechanism checks. A
  // mechanism that should reveal nothing before that (a PLAIN client's password) queues its
  // first command here instead of in start().
  virtual void on_peer_greeting(const peer_greeting& peer, handshake_step& step) {
    static_cast<void>(peer);
    static_cast<void>(step);
  }

  // Called for each command frame received before the handshake is complete, with the whole
  // command body ("name-len name data", its name already checked to be well formed). The
  // peer's ERROR command never reaches here: the connection handles it for every mechanism.
  // An unexpected or malformed command is an error (zmtp_unexpected_command,
  // zmtp_malformed_command_*). Data frames before the handshake is complete are rejected by
  // the connection and never reach the mechanism. `body` is valid only during the call.
  virtual void process_command(bytes body, handshake_step& step) = 0;

  // Called after the transport's ZAP exchange answered the request made through
  // handshake_step::zap, only with status "200": the connection itself handles refusals
  // (rfc 27 / libzmq: "300" closes silently, "400" and "500" send ERROR with the status as
  // reason), malformed status codes and malformed metadata, and records User-Id and the
  // reply's metadata as connection properties. The mechanism goes on with its handshake
  // (CURVE server: READY; PLAIN server: WELCOME; NULL server: READY).
  virtual void on_zap_reply(const zap_reply& reply, handshake_step& step) {
    static_cast<void>(reply);
    step.error = make_protocol_error(protocol_code::zap_unspecified, "unexpected ZAP reply");
  }

  // ---- Traffic after the handshake. ----

  // True when frames must pass through encode()/decode(). Constant for the object's life.
  // NULL and PLAIN return false and the connection never calls encode()/decode(): the
  // identity transformation costs nothing on the hot path.
  [[nodiscard]] virtual bool transforms_frames() const noexcept { return false; }

  // Encode side, under the transport's output lock, on any thread. `frame` arrives as the
  // application frame (message_access::more / ::command say what it is: a data frame, or a
  // PING, PONG, SUBSCRIBE or CANCEL command body) and leaves as the frame to put on the
  // wire, its message_access flags being the wire frame's MORE and COMMAND bits. CURVE
  // (libzmq's layout, docs/wire-and-security.md): body = "\x07MESSAGE" nonce(8)
  // box(flags(1) payload), where flags bit 0 = MORE and bit 1 = COMMAND, sent as a data
  // frame without MORE.
  virtual codec_status encode(message& frame, error_info& error) {
    static_cast<void>(frame);
    static_cast<void>(error);
    return codec_status::ok;
  }

  // Decode side (I/O thread). The inverse of encode(): `frame` arrives as received (data or
  // command per its flags) and leaves as the application frame with MORE / COMMAND taken
  // from inside the box. Every frame after the handshake passes here, commands included;
  // the connection then handles PING, PONG, SUBSCRIBE, CANCEL and ERROR from the result.
  virtual codec_status decode(message& frame, error_info& error) {
    static_cast<void>(frame);
    static_cast<void>(error);
    return codec_status::ok;
  }

 protected:
  mechanism() = default;
  mechanism(const mechanism&) = default;
  mechanism& operator=(const mechanism&) = default;
};

}  // namespace ringmq::zmtp
