// PULL (rfc 30): fair-queues messages from connected PUSH peers; never sends. GATHER
// builds on it.
#pragma once

#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/strategy/fair_queue.hpp"

namespace ringmq::detail {

class pull : public pattern {
 public:
  explicit pull(pattern_host& host) : fq_(host) {}
  bool attach(peer& p) override {
    fq_.attach(p);
    return true;
  }
  void detach(peer& p) override { fq_.detach(p); }
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer&) override {}
  std::error_code send(message&, bool) override { return not_supported(); }
  std::error_code recv(message& frame) override { return fq_.recv(frame); }
  bool can_send() override { return false; }
  bool can_recv() override { return fq_.can_recv(); }

 protected:
  fair_queue fq_;
};

}  // namespace ringmq::detail
