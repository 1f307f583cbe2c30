#include "zmtp/protocol_error.hpp"

#include <cstdio>
#include <utility>

namespace ringmq::zmtp {

error_info make_protocol_error(int code, std::string text) {
  return {error_kind::protocol, code, std::move(text), false};
}

error_info make_errno_error(int errno_value, std::string text) {
  return {error_kind::no_detail, errno_value, std::move(text), false};
}

std::string describe(const error_info& e) {
  char head[64];
  switch (e.kind) {
    case error_kind::protocol:
      std::snprintf(head, sizeof head, "protocol error 0x%08x", static_cast<unsigned>(e.code));
      break;
    case error_kind::auth: std::snprintf(head, sizeof head, "authentication failed (%d)", e.code); break;
    case error_kind::no_detail:
      std::snprintf(head, sizeof head, "connection error (errno %d)", e.code);
      break;
  }
  std::string out = head;
  if (!e.text.empty()) out += ": " + e.text;
  if (e.from_peer) out += " (sent by the peer)";
  return out;
}

}  // namespace ringmq::zmtp
