// mechanisms: the security mechanism a connection uses, chosen from its socket's options as
// libzmq chooses: CURVE_SERVER -> CURVE server; CURVE_SERVERKEY -> CURVE client;
// PLAIN_SERVER -> PLAIN server; PLAIN_USERNAME -> PLAIN client; otherwise NULL, asking ZAP
// only when ZAP_DOMAIN is set.
#pragma once

#include "core/socket_options.hpp"
#include "zmtp/mechanism.hpp"

#include <memory>

namespace ringmq::security {

std::unique_ptr<zmtp::mechanism> make_mechanism(const detail::socket_options& options);

}  // namespace ringmq::security
