// PUSH (rfc 30): round-robin to connected PULL peers; blocks at the high-water mark; never
// receives. SCATTER builds on it.
#pragma once

#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/strategy/load_balancer.hpp"

namespace ringmq::detail {

class push : public pattern {
 public:
  explicit push(pattern_host&) {}
  bool attach(peer& p) override {
    lb_.attach(p);
    return true;
  }
  void detach(peer& p) override { lb_.detach(p); }
  void read_activated(peer&) override {}
  void write_activated(peer& p) override { lb_.write_activated(p); }
  std::error_code send(message& frame, bool more) override { return lb_.send(frame, more); }
  std::error_code recv(message&) override { return not_supported(); }
  bool can_send() override { return lb_.can_send(); }
  bool can_recv() override { return false; }
  [[nodiscard]] bool reads_peers() const noexcept override { return false; }

 protected:
  load_balancer lb_;
};

}  // namespace ringmq::detail
