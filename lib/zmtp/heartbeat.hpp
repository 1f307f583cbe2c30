// heartbeat: the ZMTP 3.1 heartbeat timers of one connection, kept as deadlines in the
// caller's clock (the connection has none of its own). Decode side.
//
// rfc 37 "Connection Heartbeating", with libzmq's timers (src/stream_engine_base.cpp):
// - a PING every HEARTBEAT_IVL once the handshake is complete, carrying our HEARTBEAT_TTL;
// - when a PING goes out and no timeout is armed, the connection dies unless some traffic
//   arrives within HEARTBEAT_TIMEOUT (-1: the interval);
// - a PING received with a non-zero TTL arms the TTL timer: no traffic within TTL -> dead;
// - "a peer SHOULD treat any incoming traffic (not just a PONG reply) as a sign of life":
//   any inbound octets cancel both the timeout and the TTL timer.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace ringmq::zmtp {

struct heartbeat_config {
  std::chrono::milliseconds interval{0};  // HEARTBEAT_IVL; 0 = no PINGs
  std::chrono::milliseconds timeout{-1};  // HEARTBEAT_TIMEOUT; -1 = same as interval
  std::chrono::milliseconds ttl{0};       // HEARTBEAT_TTL asked of the peer; 0 = none
};

class heartbeat {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  enum class action : std::uint8_t { none, send_ping, timed_out, ttl_expired };

  explicit heartbeat(const heartbeat_config& config) noexcept;

  // The handshake completed at `now`: the first PING is due one interval later.
  void start(time_point now) noexcept;
  // Octets arrived: cancels the timeout and the TTL timer.
  void on_traffic() noexcept;
  // The peer sent PING with this TTL (tenths of a second).
  void on_ping(time_point now, std::uint16_t ttl_deciseconds) noexcept;

  // The earliest pending deadline, if any.
  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept;
  // What is due at `now`. A timeout wins over a PING. For send_ping the next PING is
  // scheduled one interval after `now` and the timeout is armed.
  action on_timer(time_point now) noexcept;

  // The TTL field of our PINGs: HEARTBEAT_TTL in tenths of a second, at most 65535.
  [[nodiscard]] std::uint16_t ping_ttl() const noexcept { return ping_ttl_; }

 private:
  std::chrono::milliseconds interval_;
  std::chrono::milliseconds timeout_;
  std::uint16_t ping_ttl_;
  std::optional<time_point> next_ping_;
  std::optional<time_point> timeout_at_;
  std::optional<time_point> ttl_at_;
};

}  // namespace ringmq::zmtp
