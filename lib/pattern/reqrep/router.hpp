// ROUTER (rfc 28): every received message is prefixed with a frame naming the peer it came
// from; a message sent starts with such a frame to choose the peer. Peers are named by the
// Identity they announce, or by a generated 5-byte id (0x00 + 32-bit counter, as libzmq).
// REP builds on it.
#pragma once

#include "core/pattern.hpp"
#include "pattern/strategy/fair_queue.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

namespace ringmq::detail {

// What ROUTER keeps about each peer: the name it is addressed by, once it has one.
struct routed_peer final : peer_state {
  std::string routing_id;
  bool identified = false;
};

class router : public pattern {
 public:
  explicit router(pattern_host& host);

  bool attach(peer& p) override;
  void detach(peer& p) override;
  void read_activated(peer& p) override;
  void write_activated(peer&) override {}
  std::error_code send(message& frame, bool more) override;
  std::error_code recv(message& frame) override;
  bool can_send() override;
  bool can_recv() override;
  using pattern::set_option;
  std::error_code set_option(option id, std::int64_t value) override;
  using pattern::get_option;
  std::error_code get_option(option id, std::int64_t& value) const override;

 private:
  // Names `p` once its peer_info is known. False if the name is taken (the connection is
  // refused, or with ROUTER_HANDOVER the old holder is closed).
  bool identify(peer& p);
  std::string generate_id();

  pattern_host& host_;
  fair_queue fq_;
  std::unordered_map<std::string, peer*> by_id_;
  std::uint32_t next_id_;
  std::optional<message> prefetched_;  // first frame of a message whose id frame was returned
  bool more_in_ = false;
  bool more_out_ = false;
  peer* out_ = nullptr;  // destination of the message being sent; null: dropping it
  bool mandatory_ = false;
  bool handover_ = false;
  bool probe_ = false;  // PROBE_ROUTER
  // ROUTER_NOTIFY: the bits of ringmq::router_notify_connect/disconnect, and the routing ids
  // whose connection or disconnection recv reports next, as [routing id, empty frame].
  int notify_ = 0;
  std::deque<std::string> notices_;
};

}  // namespace ringmq::detail
