// zap_codec: ZAP (rfc 27) request and reply frames exactly as libzmq 4.3 sends and expects
// them (docs/wire-and-security.md; libzmq src/zap_client.cpp). The transport's ZAP client
// moves the frames over inproc://zeromq.zap.01; this is the sans-I/O part.
//
// Request: "" (delimiter), "1.0", "1" (request id, constant), domain, peer address, OUR
// socket's routing id, mechanism, credentials... -- every frame but the last with MORE.
// Reply: exactly 7 frames "", "1.0", request id "1", status code, status text, user id,
// metadata; MORE on the first six only.
#pragma once

#include "zmtp/protocol_error.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>

#include <optional>
#include <span>
#include <vector>

namespace ringmq::security {

inline constexpr std::string_view zap_endpoint = "zeromq.zap.01";  // inproc name
inline constexpr std::size_t zap_reply_frames = 7;

// The request frames; message::more() is set on all but the last.
std::vector<message> build_zap_request(const zmtp::zap_request& request);

// Checks the reply framing as libzmq does and extracts its fields. `frames` are the frames
// read for one reply, at most zap_reply_frames (a reader stops after the 7th, whether or
// not it has MORE). Returns the error to fail the handshake with (protocol kind, codes
// zap_malformed_reply / zap_unspecified / zap_bad_version / zap_bad_request_id), or empty
// with `reply` filled. The status code and metadata are checked by the connection.
std::optional<zmtp::error_info> parse_zap_reply(std::span<const message> frames, zmtp::zap_reply& reply);

}  // namespace ringmq::security
