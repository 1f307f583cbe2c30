#include "security/plain_client.hpp"

#include "security/secure_memory.hpp"
#include "zmtp/command.hpp"

#include <algorithm>
#include <cstring>

namespace ringmq::security {

namespace {

bool is_command(zmtp::bytes body, std::string_view name) {
  const auto cmd = zmtp::parse_command(body);
  return cmd && cmd->name == name;
}

}  // namespace

plain_client::plain_client(std::string username, std::string password)
    : username_(std::move(username)), password_(std::move(password)) {}

plain_client::~plain_client() { wipe(password_.data(), password_.size()); }

void plain_client::fail(zmtp::handshake_step& step, int code, std::string text) {
  state_ = state::failed;
  step.error = zmtp::make_protocol_error(code, std::move(text));
}

void plain_client::start(const zmtp::handshake_context& ctx, zmtp::handshake_step& /*step*/) {
  our_properties_ = ctx.our_properties;
}

void plain_client::on_peer_greeting(const zmtp::peer_greeting& /*peer*/, zmtp::handshake_step& step) {
  // rfc 24: hello = %d5 "HELLO" username password; username = OCTET 0*255username-char;
  // password = OCTET 0*255password-char.
  std::string data;
  data.reserve(2 + username_.size() + password_.size());
  const std::size_t ulen = std::min<std::size_t>(username_.size(), 255);
  const std::size_t plen = std::min<std::size_t>(password_.size(), 255);
  data += static_cast<char>(ulen);
  data.append(username_.data(), ulen);
  data += static_cast<char>(plen);
  data.append(password_.data(), plen);  // no reallocation: reserved above
  step.commands.push_back(zmtp::build_command("HELLO", zmtp::as_bytes(data)));
  wipe(data.data(), data.size());
  wipe(password_.data(), password_.size());
  state_ = state::expect_welcome;
}

void plain_client::process_command(zmtp::bytes body, zmtp::handshake_step& step) {
  switch (state_) {
    case state::expect_welcome:
      // rfc 24: welcome = %d7 "WELCOME" (no data); libzmq checks the exact size.
      if (!is_command(body, "WELCOME")) break;
      if (body.size() != 8) {
        fail(step, zmtp::protocol_code::zmtp_malformed_command_welcome, "WELCOME carries data");
        return;
      }
      // rfc 24: initiate = %d8 "INITIATE" metadata.
      step.commands.push_back(zmtp::build_command("INITIATE", our_properties_));
      state_ = state::expect_ready;
      return;
    case state::expect_ready: {
      const auto cmd = zmtp::parse_command(body);
      if (!cmd || cmd->name != zmtp::command_name::ready) break;
      step.peer_properties = std::string(zmtp::as_text(cmd->data));
      state_ = state::connected;
      step.complete = true;
      return;
    }
    case state::greeting:
    case state::connected:
    case state::failed: break;
  }
  fail(step, zmtp::protocol_code::zmtp_unexpected_command, "unexpected command during the PLAIN handshake");
}

}  // namespace ringmq::security
