#include "transport/stream/mechanism_factory.hpp"

#include "security/mechanisms.hpp"

namespace ringmq::detail {

std::unique_ptr<zmtp::mechanism> make_mechanism(const socket_options& options) {
  return security::make_mechanism(options);
}

}  // namespace ringmq::detail
