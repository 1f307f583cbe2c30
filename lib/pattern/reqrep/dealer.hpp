// DEALER (rfc 28): round-robin out, fair-queued in, no envelope handling. REQ builds on it.
#pragma once

#include "core/pattern.hpp"
#include "pattern/reqrep/probe.hpp"
#include "pattern/strategy/fair_queue.hpp"
#include "pattern/strategy/load_balancer.hpp"

namespace ringmq::detail {

class dealer : public pattern {
 public:
  explicit dealer(pattern_host& host) : fq_(host) {}

  bool attach(peer& p) override {
    if (probe_) send_probe(p);
    lb_.attach(p);
    fq_.attach(p);
    return true;
  }
  void detach(peer& p) override {
    lb_.detach(p);
    fq_.detach(p);
  }
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer& p) override { lb_.write_activated(p); }
  std::error_code send(message& frame, bool more) override { return lb_.send(frame, more); }
  std::error_code recv(message& frame) override { return fq_.recv(frame); }
  bool can_send() override { return lb_.can_send(); }
  bool can_recv() override { return fq_.can_recv(); }
  using pattern::set_option;
  std::error_code set_option(option id, std::int64_t value) override;

 protected:
  load_balancer lb_;
  fair_queue fq_;
  bool probe_ = false;  // PROBE_ROUTER
};

}  // namespace ringmq::detail
