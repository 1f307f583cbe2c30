// SCATTER (rfc 49): one-part messages, round-robin to the GATHERs with room; never
// receives. A PUSH with rfc 49's one-part rule (libzmq's scatter.cpp refuses a send with
// more parts to follow, EINVAL). Thread-safe (socket_type_table).
#include "pattern/pipeline/push.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/single_part.hpp"

namespace ringmq::detail {

namespace {

class scatter final : public push {
 public:
  using push::push;
  std::error_code send(message& frame, bool more) override {
    if (std::error_code ec = refuse_more(more)) return ec;
    return lb_.send(frame, false);
  }
};

}  // namespace

std::unique_ptr<pattern> make_scatter(pattern_host& host) { return std::make_unique<scatter>(host); }

}  // namespace ringmq::detail
