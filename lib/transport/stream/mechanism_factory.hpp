// The security mechanism a connection uses, chosen from the socket's options.
#pragma once

#include "core/socket_options.hpp"
#include "zmtp/mechanism.hpp"

#include <memory>

namespace ringmq::detail {

std::unique_ptr<zmtp::mechanism> make_mechanism(const socket_options& options);

}  // namespace ringmq::detail
