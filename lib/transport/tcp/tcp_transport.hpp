// tcp: "tcp://host:port" over IPv4 or IPv6 ("*" binds every interface, port "*" or 0 picks
// an ephemeral port, host names resolve at each connection attempt), TCP_NODELAY on.
#pragma once

#include "core/transport.hpp"

#include <memory>

namespace ringmq::detail {

std::unique_ptr<transport> make_tcp_transport();

}  // namespace ringmq::detail
