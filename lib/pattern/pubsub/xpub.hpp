// XPUB (rfc 29): PUB whose subscribers' subscriptions surface as messages ("\x01topic" /
// "\x00topic") on recv, and which passes other upstream messages through. PUB is XPUB that
// keeps both to itself. A subscriber that goes over its subscription_limits is dropped
// (pattern_host::drop_peer, LIMIT_EXCEEDED); its topics go with it as with any leaver.
#pragma once

#include "core/pattern.hpp"
#include "pattern/pubsub/subscriptions.hpp"
#include "pattern/strategy/distributor.hpp"

#include <deque>

namespace ringmq::detail {

// What XPUB keeps about each subscriber: what its subscriptions cost, and with XPUB_MANUAL
// what the ones it asked for cost (the application decides which it gets).
struct subscriber final : peer_state {
  subscription_usage usage;
  subscription_usage requested;
};

class xpub : public pattern {
 public:
  xpub(pattern_host& host, bool is_pub) : host_(host), options_(host.options()), is_pub_(is_pub) {}

  bool attach(peer& p) override;
  void detach(peer& p) override;
  void read_activated(peer& p) override;
  void write_activated(peer& p) override { dist_.write_activated(p); }
  std::error_code send(message& frame, bool more) override;
  std::error_code recv(message& frame) override;
  bool can_send() override;
  bool can_recv() override;
  using pattern::set_option;
  std::error_code set_option(option id, std::int64_t value) override;
  std::error_code set_option(option id, std::string_view value) override;
  using pattern::get_option;
  std::error_code get_option(option id, std::int64_t& value) const override;

 private:
  // Reads what `p` sent: subscriptions update the map, the rest is queued for recv.
  void read_peer(peer& p);
  // Queues "\x01topic" / "\x00topic" for recv; `from` is the peer that asked (XPUB_MANUAL).
  void surface(std::string_view topic, bool subscribe, peer* from = nullptr);
  // XPUB_MANUAL: `p` asked for `topic`; the application is told and decides.
  bool request(std::string_view topic, bool subscribe, peer& p);
  // Ends the connection of `p`, which went over `broken`; `p` is gone afterwards (detached).
  void drop(peer& p, peer_limit broken);

  pattern_host& host_;
  const socket_options& options_;  // the socket's, read per message without a virtual call
  const bool is_pub_;
  distributor dist_;
  subscription_map subscriptions_;
  struct pending_frame {
    message frame;
    peer* from;  // XPUB_MANUAL: the peer whose subscription this is; null otherwise
  };
  std::deque<pending_frame> pending_;  // frames for recv()
  bool verbose_ = false;               // surface every subscribe, not only new topics
  bool verboser_ = false;              // ... and every unsubscribe
  bool nodrop_ = false;                // would-block instead of dropping at the high-water mark
  bool reading_more_ = false;          // the frame read next continues a multipart message
  message welcome_;                    // XPUB_WELCOME_MSG, sent to each new peer if not empty
  // XPUB_MANUAL: peers' subscriptions are surfaced, never applied; SUBSCRIBE/UNSUBSCRIBE on
  // this socket apply them to `last_`, the peer of the last subscription received.
  // `requested_` holds what each peer asked for, so that its leaving can be surfaced.
  bool manual_ = false;
  bool last_value_ = false;  // XPUB_MANUAL_LAST_VALUE: the next send goes to `last_` only
  peer* last_ = nullptr;
  subscription_map requested_;
};

}  // namespace ringmq::detail
