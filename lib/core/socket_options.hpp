// socket_options: the option values of one socket, with the defaults ringmq promises, and
// the generic set/get that validates kinds and ranges. Options that only some socket types
// have (SUBSCRIBE, ROUTER_MANDATORY, ...) are handled by the pattern (see pattern.hpp).
#pragma once

#include "core/address_mask.hpp"
#include "core/secret.hpp"

#include <ringmq/options.hpp>
#include <ringmq/socket_type.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ringmq::detail {

using std::chrono::milliseconds;

struct socket_options {
  socket_type type = socket_type::pair;
  int sndhwm = 1000;
  int rcvhwm = 1000;
  // Finite, unlike libzmq's infinite default: closing never hangs on an absent peer.
  milliseconds linger{1000};
  milliseconds sndtimeo{-1};
  milliseconds rcvtimeo{-1};
  milliseconds reconnect_ivl{100};
  // Exponential back-off by default, doubling from reconnect_ivl up to this.
  milliseconds reconnect_ivl_max{2000};
  milliseconds handshake_ivl{10000};
  milliseconds heartbeat_ivl{0};
  milliseconds heartbeat_ttl{0};
  milliseconds heartbeat_timeout{-1};  // -1: same as heartbeat_ivl
  milliseconds connect_timeout{0};
  int sndbuf = -1;  // -1: kernel default
  int rcvbuf = -1;
  int backlog = 100;
  // Finite by default: a peer cannot make us allocate more than this for one frame.
  std::int64_t maxmsgsize = std::int64_t{256} << 20;
  bool immediate = false;
  // CONFLATE (pattern-independent part): inbound queues get no limit (inbound_hwm).
  bool conflate = false;
  std::uint64_t affinity = 0;  // I/O threads for new binds and connects: bit n, thread n; 0: any
  bool ipv6 = false;
  // PUB/XPUB send to the peers no subscription matches, SUB/XSUB receive what matches
  // none. Any type may set it, as in libzmq; the others ignore it.
  bool invert_matching = false;
  // STREAM: a connection's start and end reach the application as [routing id, empty].
  bool stream_notify = true;
  // tcp connections (libzmq's defaults: -1 and 0 leave the kernel's settings alone).
  int tcp_keepalive = -1;
  int tcp_keepalive_cnt = -1;
  int tcp_keepalive_idle = -1;
  int tcp_keepalive_intvl = -1;
  milliseconds tcp_maxrt{0};
  int tos = 0;
  std::string bindtodevice;
  // Listeners' admission filters; empty: everyone is admitted.
  std::vector<address_mask> tcp_accept_filters;
  std::vector<std::int64_t> ipc_filter_pids;
  std::vector<std::int64_t> ipc_filter_uids;
  std::vector<std::int64_t> ipc_filter_gids;
  std::string routing_id;
  std::string connect_routing_id;  // consumed by the next connect
  // Security (used by the security layer).
  bool plain_server = false;
  std::string plain_username;
  secret plain_password;
  bool curve_server = false;
  std::string curve_publickey;  // 32 binary bytes when set
  secret curve_secretkey;
  std::string curve_serverkey;
  std::string zap_domain;
  bool zap_enforce_domain = false;

  [[nodiscard]] mechanism_kind mechanism() const noexcept;
  // The limit of a new connection's inbound queue: RCVHWM, or none with CONFLATE (the
  // socket then keeps only the newest message when it reads: socket_base::recv).
  [[nodiscard]] int inbound_hwm() const noexcept { return conflate ? 0 : rcvhwm; }

  // Sets a generic option. errc::unknown_option if `id` is not generic (the caller then
  // asks the pattern), wrong_option_type / invalid_option_value on bad values.
  std::error_code set(option id, std::int64_t value);
  std::error_code set(option id, std::string_view value);
  std::error_code get(option id, std::int64_t& value) const;
  std::error_code get(option id, std::string& value) const;
};

// Checks that `id` exists and takes the given form; returns the error otherwise.
std::error_code check_option_kind(option id, bool bytes_form);

}  // namespace ringmq::detail
