#include "zmtp/null_mechanism.hpp"

#include "zmtp/command.hpp"

#include <string>

namespace ringmq::zmtp {

void null_mechanism::start(const handshake_context& ctx, handshake_step& step) {
  our_properties_ = ctx.our_properties;
  if (!zap_domain_) send_ready(step);
}

void null_mechanism::on_peer_greeting(const peer_greeting& /*peer*/, handshake_step& step) {
  if (!zap_domain_) return;
  // libzmq sends the NULL ZAP request before the peer's READY: it carries no credentials.
  zap_pending_ = true;
  step.zap = zap_request{*zap_domain_, {}, {}, {}, {}};
}

void null_mechanism::process_command(bytes body, handshake_step& step) {
  const auto cmd = parse_command(body);
  if (!cmd || cmd->name != command_name::ready) {
    step.error = make_protocol_error(protocol_code::zmtp_unexpected_command,
                                     "expected READY during the NULL handshake");
    return;
  }
  if (ready_received_) {
    step.error = make_protocol_error(protocol_code::zmtp_unexpected_command, "second READY");
    return;
  }
  ready_received_ = true;
  step.peer_properties = std::string(as_text(cmd->data));
  check_complete(step);
}

void null_mechanism::on_zap_reply(const zap_reply& /*reply*/, handshake_step& step) {
  if (!zap_pending_) {
    step.error = make_protocol_error(protocol_code::zap_unspecified, "unexpected ZAP reply");
    return;
  }
  zap_pending_ = false;
  send_ready(step);
  check_complete(step);
}

void null_mechanism::send_ready(handshake_step& step) {
  step.commands.push_back(build_ready(our_properties_));
  ready_sent_ = true;
}

void null_mechanism::check_complete(handshake_step& step) const {
  step.complete = ready_sent_ && ready_received_;
}

}  // namespace ringmq::zmtp
