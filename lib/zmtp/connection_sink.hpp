// connection_sink: how a zmtp::connection reports what it decoded. Implemented by the
// transport's session for each connection.
//
// Every member is called on the connection's decode side (the I/O thread that owns it),
// from inside connection::start(), feed(), zap_reply() or on_timer(), never concurrently.
// A member must not call back into the same connection (no re-entry): record what to do
// and act after the connection call returns. None may throw.
#pragma once

#include "core/metadata.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>
#include <ringmq/socket_type.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace ringmq::zmtp {

struct handshake_info {
  // The peer's Socket-Type; empty when it sent none (libzmq accepts that too). When set it
  // has passed ringmq::compatible() against our type.
  std::optional<socket_type> peer_type;
  // The peer's Identity property (0-255 octets), to be used as its routing id by a ROUTER
  // when not empty.
  std::string peer_routing_id;
  // The properties attached to every message received on this connection: Socket-Type,
  // Identity, Peer-Address, User-Id (from ZAP), the peer's X-* properties and the ZAP
  // reply's metadata.
  detail::metadata_ptr meta;
  // The peer's greeting version (minor 0: a ZMTP 3.0 peer).
  std::uint8_t peer_major = 3;
  std::uint8_t peer_minor = 1;
};

class connection_sink {
 public:
  virtual ~connection_sink() = default;

  // The handshake is complete. Output the handshake produced may still be pending: the
  // transport calls connection::flush_pending() before it lets the application send.
  virtual void on_handshake_succeeded(const handshake_info& info) = 0;

  // One received frame, in order: a data frame (message::more() set when another frame of
  // the same message follows), or for PUB and XPUB a subscription as a single-frame message
  // "\x01topic" / "\x00topic" (from a 3.1 SUBSCRIBE / CANCEL command or a 3.0 peer's data
  // frame, both look the same). The connection's metadata is attached. Return false to
  // pause: feed() returns right after this frame and the caller feeds the rest later.
  virtual bool on_message(message&& frame) = 0;

  // A server mechanism needs a ZAP exchange. The transport performs it asynchronously and
  // calls connection::zap_reply() with the answer (after this call has returned).
  virtual void on_zap_request(const zap_request& request) = 0;

  // The connection failed; no event follows. Pending output may hold a last ERROR command
  // (flush_pending) that the transport should try to write before it closes.
  virtual void on_error(const error_info& error) = 0;
};

}  // namespace ringmq::zmtp
