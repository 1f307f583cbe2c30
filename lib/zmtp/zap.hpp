// zap: the fields of a ZAP exchange (rfc 27) as the wire layer sees them. A server
// mechanism asks for an exchange through handshake_step::zap; the transport's ZAP client
// sends the request over inproc://zeromq.zap.01, checks the reply's framing (version "1.0",
// request id, 7 frames) and hands the fields back through connection::zap_reply().
#pragma once

#include <string>
#include <vector>

namespace ringmq::zmtp {

struct zap_request {
  // Filled by the mechanism.
  std::string domain;                    // the socket's ZAP_DOMAIN
  std::vector<std::string> credentials;  // NULL: none; PLAIN: user, password; CURVE: client key (32 octets)
  // Filled by the connection before it reports the request.
  std::string mechanism;   // "NULL", "PLAIN", "CURVE"
  std::string address;     // the peer's address (connection_config::peer_address)
  std::string routing_id;  // our socket's own routing id, as libzmq sends it
};

struct zap_reply {
  std::string status_code;  // "200" accepts; "300", "400", "500" refuse
  std::string status_text;
  std::string user_id;   // becomes the User-Id property
  std::string metadata;  // ZMTP property encoding (rfc 27); its properties join the peer's
};

}  // namespace ringmq::zmtp
