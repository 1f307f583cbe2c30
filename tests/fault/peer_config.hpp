// peer_config: the command line of the fault suite's peer program (fault_peer and
// fault_peer_zmq), parsed into one struct. The driver (fault_suite.py) builds these command
// lines; `fault_peer --help` lists them.
#pragma once

#include "fault/numbered_message.hpp"
#include "fault/peer_socket.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fault {

enum class req_mode { relaxed, reconnect };

struct peer_config {
  lib::kind kind = lib::kind::pair;
  std::string bind;  // exactly one of bind / connect
  std::string connect;
  std::string tally_path;
  std::uint64_t capacity = std::uint64_t{1} << 26;  // sequence numbers per producer

  // Outgoing numbered messages.
  bool send = false;
  unsigned producer = 0;
  std::uint64_t count = 0;   // stop generating after this many (0: no limit)
  std::uint64_t rate = 0;    // messages per second (0: as fast as the socket takes them)
  std::uint64_t window = 0;  // DEALER: at most this many without their echo (0: no limit)
  std::chrono::milliseconds reply_timeout{300};
  req_mode req = req_mode::relaxed;
  bool tiny = false;  // one-byte messages, counted but not numbered
  shape_settings shape;
  bool exit_when_sent = false;  // close and exit once `count` were accepted

  // Incoming.
  std::uint64_t recv_rate = 0;   // PULL/SUB: receive at most this many per second (a slow consumer)
  bool echo = false;             // ROUTER/REP: send whole messages back
  std::uint64_t echo_limit = 0;  // ROUTER: after this many echoes close at once and exit

  // Socket options (negative: library default).
  int sndhwm = -1;
  int rcvhwm = -1;
  std::optional<std::chrono::milliseconds> linger;
  std::optional<std::chrono::milliseconds> reconnect_ivl;
  std::optional<std::chrono::milliseconds> reconnect_ivl_max;
  std::optional<std::chrono::milliseconds> heartbeat_ivl;
  std::optional<std::chrono::milliseconds> heartbeat_timeout;
  std::optional<std::chrono::milliseconds> heartbeat_ttl;
  std::optional<std::chrono::milliseconds> connect_timeout;
  bool immediate = false;
  bool nodrop = false;
  std::string routing_id;
  bool monitor = false;
};

// Parses argv; throws std::invalid_argument with a readable message on a bad command line.
peer_config parse_peer_config(const std::vector<std::string>& args);

// The usage text.
const char* peer_usage() noexcept;

}  // namespace fault
