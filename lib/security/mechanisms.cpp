#include "security/mechanisms.hpp"

#include "security/curve_client.hpp"
#include "security/curve_server.hpp"
#include "security/plain_client.hpp"
#include "security/plain_server.hpp"
#include "zmtp/null_mechanism.hpp"

namespace ringmq::security {

std::unique_ptr<zmtp::mechanism> make_mechanism(const detail::socket_options& o) {
  if (o.curve_server) return std::make_unique<curve_server>(o.curve_secretkey, o.zap_domain);
  if (!o.curve_serverkey.empty())
    return std::make_unique<curve_client>(o.curve_serverkey, o.curve_publickey, o.curve_secretkey);
  if (o.plain_server) return std::make_unique<plain_server>(o.zap_domain);
  if (!o.plain_username.empty())
    return std::make_unique<plain_client>(o.plain_username, o.plain_password.str());
  // libzmq: NULL asks ZAP only when a ZAP domain is set.
  if (!o.zap_domain.empty()) return std::make_unique<zmtp::null_mechanism>(o.zap_domain);
  return std::make_unique<zmtp::null_mechanism>();
}

}  // namespace ringmq::security
