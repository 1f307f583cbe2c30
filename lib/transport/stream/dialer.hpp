// dialer: the connection attempts of a dialing session. It resolves the session's target,
// connects to each address in turn (each attempt bounded by CONNECT_TIMEOUT), and after a
// round that failed, or a connection that ended, waits RECONNECT_IVL (growing exponentially
// up to RECONNECT_IVL_MAX, plus jitter) before the next round. It reports CONNECT_DELAYED,
// CONNECT_RETRIED and CONNECTED, and hands each connected descriptor to its session.
//
// Threads: the session's I/O thread only. Owned by the session; destroying it cancels the
// attempt and the timer in progress.
#pragma once

#include "core/monitor_queue.hpp"
#include "core/socket_options.hpp"
#include "io/io_loop.hpp"
#include "transport/stream/address.hpp"
#include "transport/stream/dial_target.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ringmq::detail {

class dialer {
 public:
  // `connected(fd, peer_address)`: an attempt succeeded; the session owns `fd` now.
  using connected_fn = std::function<void(int fd, std::string peer_address)>;

  dialer(io::io_loop& loop, const socket_options& options, std::shared_ptr<monitor_hub> events,
         std::string endpoint, std::shared_ptr<const dial_target> target, connected_fn connected);
  ~dialer();
  dialer(const dialer&) = delete;
  dialer& operator=(const dialer&) = delete;

  // Tries the next address now (resolving the target again when none is left).
  void dial();
  // The last connection ended: dials again after the back-off (unless RECONNECT_IVL < 0).
  void redial_later();
  // A connection completed its handshake: the next back-off starts from RECONNECT_IVL.
  void reset_backoff() noexcept { backoff_ = options_.reconnect_ivl; }
  // Cancels the attempt and the timer in progress; dial() may start again.
  void cancel() noexcept;

 private:
  // Binds `fd` to the target's source address for `peer`, if it has one; false when that
  // fails (the attempt is abandoned).
  bool bind_source(int fd, const socket_address& peer) const;
  void on_connect_done(int fd, int error, const socket_address& peer);

  io::io_loop& loop_;
  const socket_options& options_;  // the session's copy: outlives the dialer
  std::shared_ptr<monitor_hub> events_;
  std::string endpoint_;
  std::shared_ptr<const dial_target> target_;
  connected_fn connected_;

  std::vector<socket_address> candidates_;
  std::size_t candidate_ = 0;
  std::chrono::milliseconds backoff_;
  std::uint64_t connect_op_ = 0;
  int connect_fd_ = -1;
  io::timer_id redial_timer_ = 0;
  io::timer_id timeout_timer_ = 0;
};

}  // namespace ringmq::detail
