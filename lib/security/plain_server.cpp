#include "security/plain_server.hpp"

#include "zmtp/command.hpp"

#include <cstring>

namespace ringmq::security {

void plain_server::fail(zmtp::handshake_step& step, int code, std::string text) {
  state_ = state::failed;
  step.error = zmtp::make_protocol_error(code, std::move(text));
}

void plain_server::start(const zmtp::handshake_context& ctx, zmtp::handshake_step& /*step*/) {
  our_properties_ = ctx.our_properties;
}

void plain_server::process_command(zmtp::bytes body, zmtp::handshake_step& step) {
  switch (state_) {
    case state::expect_hello: on_hello(body, step); return;
    case state::expect_initiate: on_initiate(body, step); return;
    case state::waiting_zap:
    case state::connected:
    case state::failed: break;
  }
  fail(step, zmtp::protocol_code::zmtp_unexpected_command, "unexpected command during the PLAIN handshake");
}

void plain_server::on_hello(zmtp::bytes body, zmtp::handshake_step& step) {
  const auto cmd = zmtp::parse_command(body);
  if (!cmd || cmd->name != "HELLO") {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected HELLO");
    return;
  }
  // username(1 + u) password(1 + p), exactly filling the command (libzmq).
  const zmtp::bytes d = cmd->data;
  if (d.empty()) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_hello, "HELLO without a username");
    return;
  }
  const std::size_t ulen = std::to_integer<std::size_t>(d[0]);
  if (ulen > d.size() - 1 || d.size() - 1 - ulen < 1) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_hello, "HELLO username runs past the command");
    return;
  }
  const std::size_t plen = std::to_integer<std::size_t>(d[1 + ulen]);
  if (plen != d.size() - 2 - ulen) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_hello, "HELLO password length does not match");
    return;
  }
  std::vector<std::string> credentials;
  credentials.emplace_back(zmtp::as_text(d.subspan(1, ulen)));
  credentials.emplace_back(zmtp::as_text(d.subspan(2 + ulen, plen)));
  step.zap = zmtp::zap_request{zap_domain_, std::move(credentials), {}, {}, {}};
  state_ = state::waiting_zap;
}

void plain_server::on_zap_reply(const zmtp::zap_reply& /*reply*/, zmtp::handshake_step& step) {
  if (state_ != state::waiting_zap) {
    fail(step, zmtp::protocol_code::zap_unspecified, "unexpected ZAP reply");
    return;
  }
  step.commands.push_back(zmtp::build_command("WELCOME", {}));
  state_ = state::expect_initiate;
}

void plain_server::on_initiate(zmtp::bytes body, zmtp::handshake_step& step) {
  const auto cmd = zmtp::parse_command(body);
  if (!cmd || cmd->name != "INITIATE") {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected INITIATE");
    return;
  }
  step.peer_properties = std::string(zmtp::as_text(cmd->data));
  step.commands.push_back(zmtp::build_ready(our_properties_));
  state_ = state::connected;
  step.complete = true;
}

}  // namespace ringmq::security
