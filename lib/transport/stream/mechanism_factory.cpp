#include "transport/stream/mechanism_factory.hpp"

#include "zmtp/null_mechanism.hpp"

namespace ringmq::detail {

std::unique_ptr<zmtp::mechanism> make_mechanism(const socket_options&) {
  return std::make_unique<zmtp::null_mechanism>();
}

}  // namespace ringmq::detail
