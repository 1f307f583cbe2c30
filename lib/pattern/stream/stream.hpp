// STREAM (libzmq's ZMQ_STREAM; no rfc): a socket whose tcp/ipc peers speak no ZMTP. Its
// connections run zmtp::raw_connection (socket_type_row::raw_wire), so whatever a peer
// sends arrives as it was read, and what the application sends is written as it is.
//
// Receiving: each chunk read from a peer is one message [routing id, data]. With
// STREAM_NOTIFY (the default) a connection's start and its end arrive as [routing id,
// empty]; the connection reports them itself (raw_connection), so they are ordered with
// its data: the end follows everything the peer sent before it left.
// Sending: [routing id, data] writes data to that peer; [routing id, empty] closes the
// connection once what was sent before it is written (within LINGER). An unknown routing id
// is host_unreachable (EHOSTUNREACH), a full pipe would-block: STREAM never drops silently.
// Routing ids: CONNECT_ROUTING_ID for the connect it names, else 5 octets, 0x00 and a
// 32-bit counter starting at a random value (as libzmq). A connect's peer keeps its id
// across reconnects, each connection announced again.
#pragma once

#include "core/pattern.hpp"
#include "pattern/strategy/fair_queue.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace ringmq::detail {

struct stream_peer final : peer_state {
  std::string routing_id;
};

class stream_pattern final : public pattern {
 public:
  explicit stream_pattern(pattern_host& host);

  bool attach(peer& p) override;
  void detach(peer& p) override;
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer&) override {}
  std::error_code send(message& frame, bool more) override;
  std::error_code recv(message& frame) override;
  // libzmq: always writable; a send to a full peer would-block by itself.
  bool can_send() override { return true; }
  bool can_recv() override { return prefetched_.has_value() || fq_.can_recv(); }

 private:
  std::string generate_id();

  pattern_host& host_;
  fair_queue fq_;
  std::unordered_map<std::string, peer*> by_id_;
  std::uint32_t next_id_;
  std::optional<message> prefetched_;  // the data frame whose routing id recv returned
  bool more_out_ = false;              // the routing-id frame was sent; data follows
  peer* out_ = nullptr;                // destination of the data frame; null: dropped
};

}  // namespace ringmq::detail
