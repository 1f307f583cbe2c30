// wire_protocol: what a stream session runs over a connection's bytes. The session owns
// the fd, the threads and the output lock; a wire_protocol turns received octets into
// frames (through a connection_sink) and frames into octets (into an output_batch), and
// knows nothing of either end. Two implement it:
//   - zmtp::connection: ZMTP 3.x (greeting, handshake, framing, heartbeats); every
//     socket type but STREAM.
//   - zmtp::raw_connection: no greeting and no framing (libzmq's raw engine, for STREAM):
//     each read is one frame, each frame's octets are written as they are.
// The session picks one per connection (socket_type_row::raw_wire), so the choice is made
// once at connect/accept time; the per-frame calls below are virtual, and each
// implementation is final.
//
// The threading contract is zmtp::connection's (connection.hpp): a decode side (the I/O
// thread, or a direct reader holding the read lease) and an encode side (whoever holds the
// output lock). Members are grouped the same way.
#pragma once

#include "zmtp/connection_sink.hpp"
#include "zmtp/output_batch.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/wire.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>

namespace ringmq::zmtp {

class wire_protocol {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  virtual ~wire_protocol() = default;

  // ---- Decode side ----

  // First call: writes what goes out before anything is received into `out` (ZMTP: the
  // greeting) and may report the handshake done at once (raw: there is none).
  virtual void start(output_batch& out, time_point now) = 0;
  // Decodes received octets; returns the number consumed (connection::feed).
  virtual std::size_t feed(bytes in, time_point now) = 0;
  // Where a large body being received may be read into directly (empty: nowhere), and the
  // report of `n` octets read there.
  [[nodiscard]] virtual std::span<std::byte> body_space() noexcept = 0;
  virtual void body_received(std::size_t n, time_point now) = 0;
  virtual void zap_reply(const zmtp::zap_reply& reply, time_point now) = 0;
  virtual void zap_failed(const error_info& error) = 0;
  [[nodiscard]] virtual std::optional<time_point> next_deadline() const noexcept = 0;
  virtual void on_timer(time_point now) = 0;
  // Control output waits for flush_pending() (under the output lock), which also opens
  // the encode side once the handshake is complete.
  [[nodiscard]] virtual bool has_pending_output() const noexcept = 0;
  virtual void flush_pending(output_batch& out) = 0;
  // While true the transport reads nothing more from the peer (connection::input_blocked).
  [[nodiscard]] virtual bool input_blocked() const noexcept = 0;
  [[nodiscard]] virtual bool handshake_complete() const noexcept = 0;
  // The transport closed the connection (the peer left, an error, or we closed it). Called
  // once, last, on the decode side; the protocol may report a final frame through its sink
  // (raw: the disconnect notification).
  virtual void ended() = 0;

  // ---- Encode side (output lock held) ----

  // Queues one frame of an application message into `out`; false when the encode side is
  // not open or failed (encode_error()).
  [[nodiscard]] virtual bool send(message&& frame, output_batch& out) = 0;
  [[nodiscard]] virtual const error_info& encode_error() const noexcept = 0;

 protected:
  wire_protocol() = default;
  wire_protocol(const wire_protocol&) = default;
  wire_protocol& operator=(const wire_protocol&) = default;
};

}  // namespace ringmq::zmtp
