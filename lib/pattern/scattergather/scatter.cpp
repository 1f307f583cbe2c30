// SCATTER (rfc 49): one-part messages, round-robin to the GATHERs with room; never
// receives. A PUSH with rfc 49's one-part rule (libzmq's scatter.cpp refuses a send with
// more parts to follow, EINVAL). Thread-safe (socket_type_table).
#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/load_balancer.hpp"
#include "pattern/strategy/single_part.hpp"

namespace ringmq::detail {

namespace {

class scatter final : public pattern {
 public:
  explicit scatter(pattern_host&) {}
  bool attach(peer& p) override {
    lb_.attach(p);
    return true;
  }
  void detach(peer& p) override { lb_.detach(p); }
  void read_activated(peer&) override {}
  void write_activated(peer& p) override { lb_.write_activated(p); }
  std::error_code send(message& frame, bool more) override {
    if (std::error_code ec = refuse_more(more)) return ec;
    return lb_.send(frame, false);
  }
  std::error_code recv(message&) override { return not_supported(); }
  bool can_send() override { return lb_.can_send(); }
  bool can_recv() override { return false; }
  [[nodiscard]] bool reads_peers() const noexcept override { return false; }

 private:
  load_balancer lb_;
};

}  // namespace

std::unique_ptr<pattern> make_scatter(pattern_host& host) { return std::make_unique<scatter>(host); }

}  // namespace ringmq::detail
