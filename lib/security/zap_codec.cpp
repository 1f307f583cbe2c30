#include "security/zap_codec.hpp"

#include "core/message_access.hpp"

#include <string>

namespace ringmq::security {

using detail::message_access;

namespace {

void add(std::vector<message>& out, std::string_view part) {
  message m(part);
  message_access::set(m, message_access::more, true);
  out.push_back(std::move(m));
}

}  // namespace

std::vector<message> build_zap_request(const zmtp::zap_request& r) {
  std::vector<message> out;
  out.reserve(7 + r.credentials.size());
  add(out, "");     // address delimiter: the handler is REP or ROUTER
  add(out, "1.0");  // rfc 27: version
  add(out, "1");    // request id: libzmq sends "1" on every request
  add(out, r.domain);
  add(out, r.address);
  add(out, r.routing_id);
  add(out, r.mechanism);
  for (const std::string& c : r.credentials) add(out, c);
  message_access::set(out.back(), message_access::more, false);
  return out;
}

std::optional<zmtp::error_info> parse_zap_reply(std::span<const message> frames, zmtp::zap_reply& reply) {
  using namespace zmtp::protocol_code;
  // libzmq reads 7 frames and requires MORE on the first six and not on the seventh.
  if (frames.size() != zap_reply_frames)
    return zmtp::make_protocol_error(zap_malformed_reply, "ZAP reply does not have 7 frames");
  for (std::size_t i = 0; i < zap_reply_frames; ++i)
    if (frames[i].more() != (i + 1 < zap_reply_frames))
      return zmtp::make_protocol_error(zap_malformed_reply, "ZAP reply does not have 7 frames");
  if (!frames[0].empty())
    return zmtp::make_protocol_error(zap_unspecified, "ZAP reply without its delimiter");
  if (frames[1].view() != "1.0")
    return zmtp::make_protocol_error(zap_bad_version, "ZAP reply version is not 1.0");
  if (frames[2].view() != "1")
    return zmtp::make_protocol_error(zap_bad_request_id, "ZAP reply request id is not 1");
  reply.status_code = frames[3].to_string();
  reply.status_text = frames[4].to_string();
  reply.user_id = frames[5].to_string();
  reply.metadata = frames[6].to_string();
  return std::nullopt;
}

}  // namespace ringmq::security
