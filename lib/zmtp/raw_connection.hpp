// raw_connection: a connection that speaks no protocol, for STREAM sockets (libzmq's raw
// engine). Nothing is written before the peer's first octet and nothing is expected from
// it: the connection is up as soon as the transport has it. Each piece of input the
// transport hands to feed() becomes one single-frame message, whatever its size, and each
// frame sent is written as its octets alone: no greeting, no frame headers, no commands,
// no heartbeats, no security mechanism.
//
// With `notify` (STREAM_NOTIFY, on by default) the sink receives an empty frame when the
// connection starts and another when it ended, so that the socket can tell its
// application that a peer came or went: libzmq's raw engine does the same.
//
// Threads: as zmtp::connection (wire_protocol.hpp). The encode side has no state of its
// own; the decode side only its metadata and whether the start was reported.
#pragma once

#include "core/metadata.hpp"
#include "zmtp/wire_protocol.hpp"

#include <string>

namespace ringmq::zmtp {

struct raw_config {
  // STREAM_NOTIFY: report the start and the end as empty frames.
  bool notify = true;
  // The Peer-Address property of every frame received ("127.0.0.1"); none when empty.
  std::string peer_address;
};

class raw_connection final : public wire_protocol {
 public:
  raw_connection(const raw_config& config, connection_sink& sink);

  void start(output_batch& out, time_point now) override;
  std::size_t feed(bytes in, time_point now) override;
  [[nodiscard]] std::span<std::byte> body_space() noexcept override { return {}; }
  void body_received(std::size_t, time_point) override {}
  // No mechanism, so no ZAP exchange is ever asked for.
  void zap_reply(const zmtp::zap_reply&, time_point) override {}
  void zap_failed(const error_info&) override {}
  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept override { return std::nullopt; }
  void on_timer(time_point) override {}
  // Pending until the first flush_pending(), which is what opens a session's traffic.
  [[nodiscard]] bool has_pending_output() const noexcept override { return !flushed_; }
  void flush_pending(output_batch&) override { flushed_ = true; }
  [[nodiscard]] bool input_blocked() const noexcept override { return false; }
  [[nodiscard]] bool handshake_complete() const noexcept override { return started_; }
  void ended() override;

  [[nodiscard]] bool send(message&& frame, output_batch& out) override;
  [[nodiscard]] const error_info& encode_error() const noexcept override { return no_error_; }

 private:
  bool deliver(message&& frame);

  connection_sink& sink_;
  const bool notify_;
  detail::metadata_source meta_;
  bool started_ = false;
  bool flushed_ = false;
  bool ended_ = false;
  error_info no_error_;  // send() never fails
};

}  // namespace ringmq::zmtp
