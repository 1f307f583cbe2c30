// GATHER (rfc 49): fair-queues one-part messages from SCATTERs; never sends. What a peer
// sends in several parts is dropped whole, as libzmq's gather.cpp does. Thread-safe
// (socket_type_table).
#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/fair_queue.hpp"
#include "pattern/strategy/single_part.hpp"

namespace ringmq::detail {

namespace {

class gather final : public pattern {
 public:
  explicit gather(pattern_host& host) : fq_(host) {}
  bool attach(peer& p) override {
    fq_.attach(p);
    return true;
  }
  void detach(peer& p) override { fq_.detach(p); }
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer&) override {}
  std::error_code send(message&, bool) override { return not_supported(); }
  std::error_code recv(message& frame) override { return reader_.recv(fq_, frame); }
  bool can_send() override { return false; }
  bool can_recv() override { return fq_.can_recv(); }

 private:
  fair_queue fq_;
  single_part_reader reader_;
};

}  // namespace

std::unique_ptr<pattern> make_gather(pattern_host& host) { return std::make_unique<gather>(host); }

}  // namespace ringmq::detail
