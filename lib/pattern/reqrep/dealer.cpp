#include "pattern/reqrep/dealer.hpp"

#include "pattern/registry.hpp"

namespace ringmq::detail {

std::unique_ptr<pattern> make_dealer(pattern_host& host) { return std::make_unique<dealer>(host); }

}  // namespace ringmq::detail
