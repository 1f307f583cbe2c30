// connection: the handshake stage -- the peer's greeting, the mechanism's commands, the
// generic ERROR and ZAP handling, the peers' metadata and the switch to traffic.
#include "core/message_access.hpp"
#include "zmtp/command.hpp"
#include "zmtp/connection.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <string>
#include <utility>

namespace ringmq::zmtp {

using detail::message_access;

namespace {

// "300", "400", "500": libzmq's handle_error_reason treats an ERROR reason of this shape as
// a ZAP status and reports an authentication failure.
int zap_status_of(std::string_view reason) noexcept {
  if (reason.size() != 3 || reason[1] != '0' || reason[2] != '0') return 0;
  if (reason[0] < '3' || reason[0] > '5') return 0;
  return (reason[0] - '0') * 100;
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

void connection::on_greeting_done(time_point now) {
  phase_ = phase::handshake;
  handshake_step step;
  mech_->on_peer_greeting(greeting_.peer(), step);
  apply_step(step, now);
}

void connection::on_handshake_command(message&& frame, time_point now) {
  // rfc 23: "handshake = 1*command"; messages may flow only once both READYs are through.
  if (!message_access::has(frame, message_access::command)) {
    fail(make_protocol_error(protocol_code::zmtp_unexpected_command,
                             "data frame before the handshake completed"));
    return;
  }
  // libzmq 4.3.4's PLAIN server declares its ERROR prefix as "\x05ERROR", in which the
  // hex escape swallows the 'E': it sends 5e 'RROR' reason-len reason. Read it as the ERROR
  // it means, so a libzmq refusal reaches us as an authentication failure.
  static constexpr std::array<std::byte, 5> libzmq_plain_error{
      std::byte{0x5e}, std::byte{'R'}, std::byte{'R'}, std::byte{'O'}, std::byte{'R'}};
  const bytes body = frame.bytes();
  if (body.size() >= libzmq_plain_error.size() &&
      std::equal(libzmq_plain_error.begin(), libzmq_plain_error.end(), body.begin())) {
    on_peer_error(body.subspan(libzmq_plain_error.size()));
    return;
  }
  const auto cmd = parse_command(body);
  if (!cmd) {
    fail(make_protocol_error(protocol_code::zmtp_malformed_command_unspecified, "malformed command frame"));
    return;
  }
  if (cmd->name == command_name::error) {
    on_peer_error(cmd->data);
    return;
  }
  handshake_step step;
  mech_->process_command(frame.bytes(), step);
  apply_step(step, now);
}

// rfc 23: "The peer SHALL treat an incoming ERROR command as fatal".
void connection::on_peer_error(bytes data) {
  const auto reason = parse_error_reason(data);
  if (!reason) {
    fail(make_protocol_error(protocol_code::zmtp_malformed_command_error,
                             "ERROR reason runs past the command"));
    return;
  }
  error_info e;
  // A ZAP status refuses our credentials only during the handshake. Once traffic flows,
  // libzmq does not read ERROR at all; anyone on the path of a NULL or PLAIN connection
  // could inject one, so it ends this connection like any error and dialing goes on.
  const int status = phase_ == phase::handshake ? zap_status_of(*reason) : 0;
  if (status != 0) {
    e = error_info{error_kind::auth, status, "the peer refused us: ZAP status " + std::string(*reason), true};
  } else {
    e = make_protocol_error(protocol_code::zmtp_unspecified,
                            "the peer sent ERROR '" + printable(*reason) + "'");
    e.from_peer = true;
  }
  fail(e);
}

void connection::apply_step(handshake_step& step, time_point now) {
  // The peer's metadata before the step's commands: a PLAIN server's READY goes out in the
  // step that carries the client's INITIATE metadata, and must not reach a client we
  // refuse (libzmq produces READY only once the metadata passed; a READY tells the client
  // the handshake succeeded).
  if (phase_ != phase::failed && step.peer_properties && !accept_peer_properties(*step.peer_properties)) {
    step.commands.clear();
    return;
  }
  for (message& cmd : step.commands) {
    message_access::set_flags(cmd, message_access::command);
    pending_raw_.push_back(std::move(cmd));
  }
  step.commands.clear();
  if (phase_ == phase::failed) return;
  if (step.error) {
    fail(*step.error);
    return;
  }
  if (step.zap) {
    zap_request& req = *step.zap;
    req.mechanism = std::string(mech_->name());
    req.address = config_.peer_address;
    req.routing_id = config_.routing_id;
    zap_pending_ = true;
    sink_.on_zap_request(req);
  }
  if (step.complete) complete_handshake(now);
}

bool connection::accept_peer_properties(const std::string& raw) {
  std::vector<property_view> props;
  // Bounded in count and cost (metadata_codec.hpp): a peer cannot make us hold many times
  // what it sent. Over the bounds the handshake fails like for any invalid metadata.
  if (const char* why = parse_peer_properties(as_bytes(raw), props); why != nullptr) {
    fail(make_protocol_error(protocol_code::zmtp_invalid_metadata, why));
    return false;
  }
  for (const property_view& p : props) {
    if (property_name_equal(p.name, property_name::socket_type)) {
      // rfc 37: "The peer SHOULD enforce that the other peer is using a valid socket type."
      // libzmq closes without sending ERROR; so do we.
      const auto type = socket_type_from_string(p.value);
      if (!type || !compatible(config_.type, *type)) {
        fail(make_protocol_error(protocol_code::zmtp_invalid_metadata,
                                 "incompatible peer socket type '" + printable(p.value) + "' for our " +
                                     std::string(to_string(config_.type))));
        return false;
      }
      if (!peer_type_) peer_type_ = type;
    } else if (property_name_equal(p.name, property_name::identity)) {
      // rfc 37: identity = 0*255OCTET.
      if (p.value.size() > 255) {
        fail(make_protocol_error(protocol_code::zmtp_invalid_metadata, "Identity longer than 255 octets"));
        return false;
      }
      if (!peer_identity_) peer_identity_ = std::string(p.value);
    } else if (is_application_property(p.name)) {
      peer_properties_.emplace_back(std::string(p.name), std::string(p.value));
    }
    // Resource and unknown properties: accepted and ignored.
  }
  return true;
}

void connection::zap_reply(const zmtp::zap_reply& reply, time_point now) {
  if (phase_ != phase::handshake || !zap_pending_) return;  // stale answer
  zap_pending_ = false;
  const std::string& code = reply.status_code;
  // rfc 27: status-code = "200" | "300" | "400" | "500".
  if (code != "200" && code != "300" && code != "400" && code != "500") {
    fail(make_protocol_error(protocol_code::zap_invalid_status_code,
                             "ZAP status code '" + printable(code) + "'"));
    return;
  }
  std::vector<property_view> props;
  if (const char* why = parse_properties(as_bytes(reply.metadata), props); why != nullptr) {
    fail(make_protocol_error(protocol_code::zap_invalid_metadata, why));
    return;
  }
  if (code != "200") {
    // libzmq: 300 is a temporary failure and closes silently; 400 and 500 tell the peer with
    // ERROR carrying the status code, which a libzmq client turns into HANDSHAKE_FAILED_AUTH.
    if (code != "300") pending_raw_.push_back(build_error(code));
    fail(error_info{error_kind::auth, zap_status_of(code),
                    "ZAP refused the peer: " + printable(reply.status_text), false});
    return;
  }
  user_id_ = reply.user_id;
  // libzmq takes the ZAP handler's properties first and never overwrites them, so the peer
  // cannot replace what the handler says about it. Lookups return the first match: the
  // reply's properties go before any the peer sent, even those that arrived earlier (a
  // NULL READY, a CURVE INITIATE).
  std::vector<property> zap_properties;
  zap_properties.reserve(props.size());
  for (const property_view& p : props) zap_properties.emplace_back(std::string(p.name), std::string(p.value));
  peer_properties_.insert(peer_properties_.begin(), std::make_move_iterator(zap_properties.begin()),
                          std::make_move_iterator(zap_properties.end()));
  handshake_step step;
  mech_->on_zap_reply(reply, step);
  apply_step(step, now);
}

void connection::zap_failed(const error_info& error) {
  if (phase_ != phase::handshake || !zap_pending_) return;
  zap_pending_ = false;
  fail(error);
}

void connection::complete_handshake(time_point now) {
  phase_ = phase::traffic;
  handshake_deadline_.reset();
  frames_.set_max_size(config_.max_message_size);
  heartbeat_.start(now);

  std::vector<detail::metadata::property> props;
  if (peer_type_)
    props.emplace_back(std::string(property_name::socket_type), std::string(to_string(*peer_type_)));
  if (peer_identity_) props.emplace_back(std::string(property_name::identity), *peer_identity_);
  if (!config_.peer_address.empty())
    props.emplace_back(std::string(property_name::peer_address), config_.peer_address);
  if (!user_id_.empty()) props.emplace_back(std::string(property_name::user_id), user_id_);
  for (auto& p : peer_properties_) props.push_back(std::move(p));
  peer_properties_.clear();
  meta_ = detail::metadata_source(detail::metadata_ptr(detail::metadata::create(std::move(props))));

  handshake_info info;
  info.peer_type = peer_type_;
  info.peer_routing_id = peer_identity_.value_or(std::string());
  info.meta = meta_.set();
  info.peer_major = peer().major;
  info.peer_minor = peer().minor;
  sink_.on_handshake_succeeded(info);
}

}  // namespace ringmq::zmtp
