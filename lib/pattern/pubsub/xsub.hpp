// XSUB (rfc 29): receives from publishers, filtered by its subscriptions, and sends
// subscriptions ("\x01topic" / "\x00topic") and other messages upstream to all of them.
// SUB is XSUB driven by the SUBSCRIBE/UNSUBSCRIBE options instead of sends.
#pragma once

#include "core/pattern.hpp"
#include "pattern/pubsub/subscriptions.hpp"
#include "pattern/strategy/distributor.hpp"
#include "pattern/strategy/fair_queue.hpp"

#include <optional>

namespace ringmq::detail {

class xsub : public pattern {
 public:
  explicit xsub(pattern_host& host) : options_(host.options()), fq_(host) {}

  bool attach(peer& p) override;
  void detach(peer& p) override;
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer& p) override { dist_.write_activated(p); }
  std::error_code send(message& frame, bool more) override;
  std::error_code recv(message& frame) override;
  bool can_send() override { return true; }
  bool can_recv() override;

 protected:
  // Sends a subscription change upstream (to every publisher).
  void send_subscription(std::string_view topic, bool subscribe);

 private:
  // Reads the next message that matches a subscription; parks its first frame in
  // `prefetched_` when called from can_recv().
  std::error_code read_matching(message& frame);

  const socket_options& options_;  // the socket's, read per message without a virtual call
  fair_queue fq_;
  distributor dist_;
  subscription_filter subscriptions_;
  std::optional<message> prefetched_;
  bool more_in_ = false;   // passing the rest of a matching multipart message through
  bool more_out_ = false;  // sending the rest of an upstream message
};

}  // namespace ringmq::detail
