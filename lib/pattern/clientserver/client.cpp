// CLIENT (rfc 41): talks to SERVERs; one-part messages, sent round-robin among the
// servers with room, received fair-queued. Thread-safe (socket_type_table).
#include "core/pattern.hpp"
#include "pattern/clientserver/single_part.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/fair_queue.hpp"
#include "pattern/strategy/load_balancer.hpp"

namespace ringmq::detail {

namespace {

class client final : public pattern {
 public:
  explicit client(pattern_host& host) : fq_(host) {}

  bool attach(peer& p) override {
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
  std::error_code send(message& frame, bool more) override {
    if (std::error_code ec = refuse_more(more)) return ec;
    frame.set_routing_id(0);
    return lb_.send(frame, false);
  }
  std::error_code recv(message& frame) override { return reader_.recv(fq_, frame); }
  bool can_send() override { return lb_.can_send(); }
  bool can_recv() override { return fq_.can_recv(); }

 private:
  load_balancer lb_;
  fair_queue fq_;
  single_part_reader reader_;
};

}  // namespace

std::unique_ptr<pattern> make_client(pattern_host& host) { return std::make_unique<client>(host); }

}  // namespace ringmq::detail
