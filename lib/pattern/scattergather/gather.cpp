// GATHER (rfc 49): fair-queues one-part messages from SCATTERs; never sends. A PULL that
// drops what a peer sends in several parts whole, as libzmq's gather.cpp does.
// Thread-safe (socket_type_table).
#include "pattern/pipeline/pull.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/single_part.hpp"

namespace ringmq::detail {

namespace {

class gather final : public pull {
 public:
  using pull::pull;
  std::error_code recv(message& frame) override { return reader_.recv(fq_, frame); }

 private:
  single_part_reader reader_;
};

}  // namespace

std::unique_ptr<pattern> make_gather(pattern_host& host) { return std::make_unique<gather>(host); }

}  // namespace ringmq::detail
