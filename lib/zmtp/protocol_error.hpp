// protocol_error: how the wire layer reports a failed connection. The kinds map one to one
// onto libzmq's handshake monitor events (HANDSHAKE_FAILED_PROTOCOL / _AUTH / _NO_DETAIL),
// and the codes are libzmq's ZMQ_PROTOCOL_ERROR_* values, so a monitor built on top reports
// what a libzmq application would see.
#pragma once

#include <cstdint>
#include <string>

namespace ringmq::zmtp {

// libzmq's include/zmq.h values (stable since 4.2.3).
namespace protocol_code {
inline constexpr int zmtp_unspecified = 0x10000000;
inline constexpr int zmtp_unexpected_command = 0x10000001;
inline constexpr int zmtp_invalid_sequence = 0x10000002;
inline constexpr int zmtp_key_exchange = 0x10000003;
inline constexpr int zmtp_malformed_command_unspecified = 0x10000011;
inline constexpr int zmtp_malformed_command_message = 0x10000012;
inline constexpr int zmtp_malformed_command_hello = 0x10000013;
inline constexpr int zmtp_malformed_command_initiate = 0x10000014;
inline constexpr int zmtp_malformed_command_error = 0x10000015;
inline constexpr int zmtp_malformed_command_ready = 0x10000016;
inline constexpr int zmtp_malformed_command_welcome = 0x10000017;
inline constexpr int zmtp_invalid_metadata = 0x10000018;
inline constexpr int zmtp_cryptographic = 0x11000001;
inline constexpr int zmtp_mechanism_mismatch = 0x11000002;
inline constexpr int zap_unspecified = 0x20000000;
inline constexpr int zap_malformed_reply = 0x20000001;
inline constexpr int zap_bad_request_id = 0x20000002;
inline constexpr int zap_bad_version = 0x20000003;
inline constexpr int zap_invalid_status_code = 0x20000004;
inline constexpr int zap_invalid_metadata = 0x20000005;
}  // namespace protocol_code

enum class error_kind : std::uint8_t {
  // The peer broke the protocol; `code` is a protocol_code value.
  protocol,
  // Authentication refused; `code` is the ZAP status (300, 400 or 500), whether our ZAP
  // handler refused the peer or the peer sent us ERROR with that status as its reason.
  auth,
  // Anything else; `code` is an errno value: ETIMEDOUT (handshake or heartbeat timeout),
  // EMSGSIZE (a frame above the size limit), ENOMEM (a body we could not allocate).
  no_detail,
};

struct error_info {
  error_kind kind = error_kind::protocol;
  int code = protocol_code::zmtp_unspecified;
  std::string text;
  // True when the peer sent an ERROR command. rfc 23: the peer "SHALL treat an incoming
  // ERROR command as fatal, and act by closing the connection, and not re-connecting using
  // the same security credentials" -- the transport stops reconnecting when it is also an
  // auth refusal (a ZAP status during the handshake).
  bool from_peer = false;
};

error_info make_protocol_error(int code, std::string text);
error_info make_errno_error(int errno_value, std::string text);
// "protocol error 0x10000018: bad metadata" style, for logs and test failure messages.
std::string describe(const error_info& e);

}  // namespace ringmq::zmtp
