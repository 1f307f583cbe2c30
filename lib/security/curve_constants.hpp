// curve_constants: CurveZMQ command layouts and nonce prefixes (rfc 26, as libzmq 4.3
// frames them; docs/wire-and-security.md). Offsets are within the command body.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringmq::security::curve {

inline constexpr std::size_t key_bytes = 32;
inline constexpr std::size_t mac_bytes = 16;         // crypto_box_MACBYTES
inline constexpr std::size_t nonce_bytes = 24;       // crypto_box_NONCEBYTES
inline constexpr std::size_t short_nonce_bytes = 8;  // the counter part sent on the wire
inline constexpr std::size_t long_nonce_bytes = 16;  // the random part of WELCOME/COOKIE/VOUCH nonces

// Nonce prefixes (16 octets before a short nonce, 8 before a long one).
inline constexpr std::string_view hello_nonce_prefix = "CurveZMQHELLO---";
inline constexpr std::string_view welcome_nonce_prefix = "WELCOME-";
inline constexpr std::string_view cookie_nonce_prefix = "COOKIE--";
inline constexpr std::string_view initiate_nonce_prefix = "CurveZMQINITIATE";
inline constexpr std::string_view vouch_nonce_prefix = "VOUCH---";
inline constexpr std::string_view ready_nonce_prefix = "CurveZMQREADY---";
inline constexpr std::string_view message_nonce_prefix_client = "CurveZMQMESSAGEC";  // client -> server
inline constexpr std::string_view message_nonce_prefix_server = "CurveZMQMESSAGES";  // server -> client

// Command names with their length octet.
inline constexpr std::string_view hello_name = "\x05HELLO";
inline constexpr std::string_view welcome_name = "\x07WELCOME";
inline constexpr std::string_view initiate_name = "\x08INITIATE";
inline constexpr std::string_view ready_name = "\x05READY";
inline constexpr std::string_view message_name = "\x07MESSAGE";

// HELLO (200): name(6) version(2) padding(72) C'(32) nonce(8) box[64 zeros](80).
// rfc 26 prose says 70 octets of padding; its grammar and libzmq say 72.
inline constexpr std::size_t hello_size = 200;
inline constexpr std::size_t hello_version = 6;
inline constexpr std::size_t hello_client_key = 80;
inline constexpr std::size_t hello_nonce = 112;
inline constexpr std::size_t hello_box = 120;
inline constexpr std::size_t hello_plain = 64;

// WELCOME (168): name(8) long nonce(16) box[S'(32) cookie(96)](144).
inline constexpr std::size_t welcome_size = 168;
inline constexpr std::size_t welcome_nonce = 8;
inline constexpr std::size_t welcome_box = 24;
inline constexpr std::size_t welcome_plain = 128;

// cookie (96): long nonce(16) secretbox[C'(32) s'(32)](80).
inline constexpr std::size_t cookie_size = 96;
inline constexpr std::size_t cookie_plain = 64;

// INITIATE (257 + M): name(9) cookie(96) nonce(8) box[C(32) vouch nonce(16) vouch(80) M](144 + M).
inline constexpr std::size_t initiate_cookie = 9;
inline constexpr std::size_t initiate_nonce = 105;
inline constexpr std::size_t initiate_box = 113;
inline constexpr std::size_t initiate_min_size = 257;
inline constexpr std::size_t initiate_fixed_plain = 128;  // C, vouch nonce, vouch

// vouch (80): box[C'(32) S(32)] from c to S'.
inline constexpr std::size_t vouch_size = 80;
inline constexpr std::size_t vouch_plain = 64;

// READY (30 + M): name(6) nonce(8) box[M](16 + M).
inline constexpr std::size_t ready_nonce = 6;
inline constexpr std::size_t ready_box = 14;
inline constexpr std::size_t ready_min_size = 30;

// MESSAGE (33 + N): name(8) nonce(8) box[flags(1) payload(N)](17 + N). Sent as a ZMTP data
// frame (libzmq); flags bit 0 = MORE, bit 1 = COMMAND (PING, PONG, SUBSCRIBE, CANCEL).
inline constexpr std::size_t message_nonce = 8;
inline constexpr std::size_t message_box = 16;
inline constexpr std::size_t message_min_size = 33;
inline constexpr std::uint8_t message_flag_more = 1;
inline constexpr std::uint8_t message_flag_command = 2;

// The largest metadata a peer may send in INITIATE (server) or READY (client). The wire
// layer already caps handshake frames (connection_config::handshake_max_frame, 64 KiB); this
// bound keeps the mechanism safe on its own.
inline constexpr std::size_t max_metadata = std::size_t{64} * 1024;

}  // namespace ringmq::security::curve
