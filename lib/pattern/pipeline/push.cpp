#include "pattern/pipeline/push.hpp"

#include "pattern/registry.hpp"

namespace ringmq::detail {

std::unique_ptr<pattern> make_push(pattern_host& host) { return std::make_unique<push>(host); }

}  // namespace ringmq::detail
