#include "pattern/pipeline/pull.hpp"

#include "pattern/registry.hpp"

namespace ringmq::detail {

std::unique_ptr<pattern> make_pull(pattern_host& host) { return std::make_unique<pull>(host); }

}  // namespace ringmq::detail
