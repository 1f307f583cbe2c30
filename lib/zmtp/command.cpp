#include "zmtp/command.hpp"

#include "core/message_access.hpp"

#include <algorithm>
#include <cstring>

namespace ringmq::zmtp {

std::optional<command_view> parse_command(bytes body) noexcept {
  if (body.empty()) return std::nullopt;
  const std::size_t name_len = std::to_integer<std::size_t>(body[0]);
  if (name_len == 0 || name_len > body.size() - 1) return std::nullopt;
  return command_view{as_text(body.subspan(1, name_len)), body.subspan(1 + name_len)};
}

message build_command(std::string_view name, bytes data1, bytes data2) {
  message m(1 + name.size() + data1.size() + data2.size());
  auto* p = static_cast<std::byte*>(m.data());
  p[0] = static_cast<std::byte>(name.size());
  std::memcpy(p + 1, name.data(), name.size());
  p += 1 + name.size();
  if (!data1.empty()) std::memcpy(p, data1.data(), data1.size());
  p += data1.size();
  if (!data2.empty()) std::memcpy(p, data2.data(), data2.size());
  detail::message_access::set_flags(m, detail::message_access::command);
  return m;
}

message build_command(std::string_view name, bytes data) { return build_command(name, data, {}); }

message build_ready(bytes properties) { return build_command(command_name::ready, properties); }

message build_error(std::string_view reason) {
  reason = reason.substr(0, 255);
  const auto len = static_cast<std::byte>(reason.size());
  return build_command(command_name::error, bytes(&len, 1), as_bytes(reason));
}

message build_subscribe(bytes topic) { return build_command(command_name::subscribe, topic); }

message build_cancel(bytes topic) { return build_command(command_name::cancel, topic); }

message build_ping(std::uint16_t ttl_deciseconds, bytes context) {
  std::byte ttl[2];
  put_u16(ttl, ttl_deciseconds);
  return build_command(command_name::ping, ttl, context.first(std::min(context.size(), max_ping_context)));
}

message build_pong(bytes context) {
  return build_command(command_name::pong, context.first(std::min(context.size(), max_ping_context)));
}

std::optional<ping_view> parse_ping(bytes data) noexcept {
  if (data.size() < 2) return std::nullopt;
  return ping_view{get_u16(data.data()), data.subspan(2)};
}

std::optional<std::string_view> parse_error_reason(bytes data) noexcept {
  if (data.empty()) return std::nullopt;
  const std::size_t len = std::to_integer<std::size_t>(data[0]);
  if (len > data.size() - 1) return std::nullopt;
  return as_text(data.subspan(1, len));
}

}  // namespace ringmq::zmtp
