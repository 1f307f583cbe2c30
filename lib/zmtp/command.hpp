// command: building and parsing ZMTP command bodies (the body of a frame with the COMMAND
// flag). rfc 23: command-body = command-name(short-size 1*255 ALPHA) command-data.
// Names are compared exactly (case-sensitively), as libzmq does.
#pragma once

#include "zmtp/wire.hpp"

#include <ringmq/message.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ringmq::zmtp {

namespace command_name {
inline constexpr std::string_view ready = "READY";
inline constexpr std::string_view error = "ERROR";
inline constexpr std::string_view subscribe = "SUBSCRIBE";  // ZMTP 3.1
inline constexpr std::string_view cancel = "CANCEL";        // ZMTP 3.1
inline constexpr std::string_view ping = "PING";            // ZMTP 3.1
inline constexpr std::string_view pong = "PONG";            // ZMTP 3.1
}  // namespace command_name

// rfc 37: "ping-context = 0*16OCTET"; a PONG echoes at most this many octets.
inline constexpr std::size_t max_ping_context = 16;

struct command_view {
  std::string_view name;
  bytes data;
};

// Splits a command body into name and data. Empty when the body is empty, the name length
// is 0, or the name runs past the body (checked as `len > end - pos`).
std::optional<command_view> parse_command(bytes body) noexcept;

// A command body `name-len name data`, flagged message_access::command. Precondition:
// 1 <= name.size() <= 255.
message build_command(std::string_view name, bytes data);
// Same, data given in two parts (e.g. a fixed prefix and a payload).
message build_command(std::string_view name, bytes data1, bytes data2);

// rfc 23 NULL: ready = command-size %d5 "READY" metadata. `properties` is already encoded
// (metadata_codec).
message build_ready(bytes properties);
// rfc 23: error = %d5 "ERROR" error-reason(short-size 0*255VCHAR); longer reasons are cut.
message build_error(std::string_view reason);
// rfc 37: subscribe = %d9 "SUBSCRIBE" subscription; cancel = %d6 "CANCEL" subscription.
message build_subscribe(bytes topic);
message build_cancel(bytes topic);
// rfc 37: ping = %d4 "PING" ping-ttl(2, deciseconds) ping-context(0..16); a longer
// context is cut to 16 octets.
message build_ping(std::uint16_t ttl_deciseconds, bytes context);
// rfc 37: pong = %d4 "PONG" ping-context; cut to 16 octets as libzmq does.
message build_pong(bytes context);

struct ping_view {
  std::uint16_t ttl_deciseconds = 0;
  bytes context;  // as received, possibly longer than 16 octets
};
// Parses PING command data; empty when the 2-octet TTL is missing.
std::optional<ping_view> parse_ping(bytes data) noexcept;
// Parses ERROR command data; empty when the reason length runs past the data.
std::optional<std::string_view> parse_error_reason(bytes data) noexcept;

}  // namespace ringmq::zmtp
