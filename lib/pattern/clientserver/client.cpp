// CLIENT (rfc 41): talks to SERVERs; one-part messages, sent round-robin among the
// servers with room, received fair-queued: a DEALER with rfc 41's one-part rule (and
// without DEALER's PROBE_ROUTER). Thread-safe (socket_type_table).
#include "pattern/registry.hpp"
#include "pattern/reqrep/dealer.hpp"
#include "pattern/strategy/single_part.hpp"

#include <ringmq/error.hpp>

namespace ringmq::detail {

namespace {

class client final : public dealer {
 public:
  using dealer::dealer;

  std::error_code send(message& frame, bool more) override {
    if (std::error_code ec = refuse_more(more)) return ec;
    frame.set_routing_id(0);
    return lb_.send(frame, false);
  }
  std::error_code recv(message& frame) override { return reader_.recv(fq_, frame); }
  using dealer::set_option;
  std::error_code set_option(option id, std::int64_t value) override {
    // PROBE_ROUTER is DEALER's (and ROUTER's, REQ's), not CLIENT's.
    if (id == option::probe_router) return make_error_code(errc::not_supported);
    return dealer::set_option(id, value);
  }

 private:
  single_part_reader reader_;
};

}  // namespace

std::unique_ptr<pattern> make_client(pattern_host& host) { return std::make_unique<client>(host); }

}  // namespace ringmq::detail
